#!/usr/bin/env node
// Reading files into values alone: `loadInputs` of the compiled files (no rules, no locating, no
// report) for the real-world corpus at several sizes (shared generator), this checkout against
// another built checkout in alternated child processes: CPU time and peak RSS as the kernel counted
// them, with the V8 settings `scan` uses. What `scan` spends between a file's bytes and its values,
// without the engine's share of the machine's noise. Run after `npm run build` (and in the other checkout too).
//
//   node bench/load.mjs [--corpus DIR] [--sizes 1,4] [--repeat N] [--against CHECKOUT]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure, fmt } from './measure.mjs';

const args = process.argv.slice(2);
if (args[0] === '--child') {
  // One load in this process: `--child CHECKOUT DIR`; prints what was read.
  const { loadInputs } = await import(pathToFileURL(path.resolve(args[1], 'dist/input/files.js')).href);
  const r = await loadInputs([args[2]], undefined, false);
  console.log(JSON.stringify({ resources: r.resources.length, errors: r.errors.length, skipped: r.skipped.length, bytes: r.bytes }));
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const CORPUS = opt('--corpus', '../shared/corpus/real-world');
const SIZES = opt('--sizes', '1,4').split(',').map(Number);
const REPEAT = Math.max(1, Number(opt('--repeat', '5')));
const AGAINST = opt('--against', undefined);
const checkouts = ['.', ...(AGAINST ? [AGAINST] : [])];
for (const c of checkouts) {
  if (!existsSync(path.join(c, 'dist/input/files.js'))) {
    console.error(`${c}: dist/ is missing: run \`npm run build\` there first`);
    process.exit(2);
  }
}
if (!existsSync(CORPUS)) {
  console.error(`not found: ${CORPUS}`);
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-load-'));
console.log(`corpus ${CORPUS}; loadInputs only; CPU = user+sys s of each child, RSS = its peak; ${REPEAT} alternated runs each`);
console.log(['copies', 'input MB', 'after CPU s (median; runs)', ...(AGAINST ? ['before CPU s (median; runs)', 'after / before'] : []), 'after RSS MB', ...(AGAINST ? ['before RSS MB', 'same counts'] : [])].join(' | '));
try {
  for (const k of SIZES) {
    const dir = path.join(work, `x${k}`);
    const gen = spawnSync(process.execPath, [path.join('../shared/perf', 'replicate-corpus.mjs'), CORPUS, dir, String(k)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    const { bytes } = JSON.parse(gen.stdout);
    const runs = new Map(checkouts.map((c) => [c, []]));
    // The compiler and young-generation settings `rampart scan` gives a file scan (src/cli/commands/scan.ts).
    const flags = ['--no-turbo-inlining', ...(process.versions.v8.startsWith('11.3.') ? ['--interrupt-budget=200000'] : []), ...(bytes < 64 * 1024 * 1024 ? ['--semi-space-growth-factor=1'] : [])];
    for (let i = 0; i < REPEAT; i++) for (const c of checkouts) runs.get(c).push(measure(path.join('bench', 'load.mjs'), ['--child', c, dir], flags));
    const after = runs.get('.');
    const before = AGAINST ? runs.get(AGAINST) : [];
    const cpu = (rs) => `${fmt(median(rs.map((r) => r.cpuS)))} (${rs.map((r) => fmt(r.cpuS)).join(' / ')})`;
    const rss = (rs) => fmt(median(rs.map((r) => r.maxRssMB)), 0);
    const same = AGAINST && after.every((r) => r.stdout === before[0].stdout);
    console.log(
      [`${k}x`, fmt(bytes / 1e6, 1), cpu(after), ...(AGAINST ? [cpu(before), `${fmt(median(after.map((r) => r.cpuS)) / median(before.map((r) => r.cpuS)))}x`] : []), rss(after), ...(AGAINST ? [rss(before), same ? 'yes' : 'NO'] : [])].join(' | '),
    );
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
