// Sample outputs in the README and docs are generated, not pasted: every block
//   <!-- sample: ARGS -->
//   ```text            (or json, yaml, markdown: any fence language)
//   ...output of `rampart ARGS`...
//   ```
//   <!-- /sample -->
// must equal what the CLI prints now (run from the repository root, no colour). UPDATE_SAMPLES=1
// rewrites the blocks after an intended change. CLI runs use dist/, so build first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const FILES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const BLOCK = /<!-- sample: (.+?) -->\n```(\w+)\n([\s\S]*?)```\n<!-- \/sample -->/g;

function words(args: string): string[] {
  return [...args.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function output(args: string): string {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...words(args)], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  assert.ok(r.status !== null && r.status <= 2, `rampart ${args}: ${r.stderr}`);
  return r.stdout;
}

test('sample outputs in README.md and docs/*.md are what the CLI prints', () => {
  let checked = 0;
  const stale: string[] = [];
  for (const file of FILES) {
    const text = readFileSync(file, 'utf8');
    const updated = text.replace(BLOCK, (_all, args: string, lang: string, shown: string) => {
      checked++;
      const now = output(args);
      if (now !== shown) stale.push(`${file}: rampart ${args}`);
      return `<!-- sample: ${args} -->\n\`\`\`${lang}\n${now}\`\`\`\n<!-- /sample -->`;
    });
    if (process.env.UPDATE_SAMPLES && updated !== text) writeFileSync(file, updated);
  }
  console.log(`doc samples: ${checked} checked, ${stale.length} stale${process.env.UPDATE_SAMPLES ? ' (rewritten)' : ''}`);
  assert.ok(checked >= 2, 'the README carries samples');
  if (!process.env.UPDATE_SAMPLES) assert.deepEqual(stale, [], 'stale samples: run UPDATE_SAMPLES=1 node scripts/run-tests.mjs doc-samples');
});
