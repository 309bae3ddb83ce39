// End to end through bin/rampart.js (needs a build: `npm test` builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinRules } from '../../src/rules/index.js';
import { ENGINE_RULE_METAS } from '../../src/engine/run.js';
import { emptyConfig } from '../../src/engine/config.js';
import { buildCatalog } from '../../src/cli/rules-catalog.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/rules-command.test.ts: dist/ is missing; run `npm run build` (npm test does). Skipping. ***\n');

function rampart(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('rampart rules list -o json lists every rule with references', { skip: !built }, () => {
  const r = rampart('rules', 'list', '-o', 'json', '--no-config');
  assert.equal(r.code, 0, r.err);
  const data = JSON.parse(r.out) as { rules: { id: string; severity: string; references: { cis: string[] } }[] };
  const probes = data.rules.find((x) => x.id === 'workload/probes');
  assert.equal(probes?.severity, 'low');
  assert.deepEqual(data.rules.find((x) => x.id === 'workload/automount-sa-token')?.references.cis, ['5.1.6']);
});

test('rampart rules list --framework cis --family workload -o json adds the control view', { skip: !built }, () => {
  const r = rampart('rules', 'list', '--framework', 'cis', '--family', 'workload', '-o', 'json', '--no-config');
  assert.equal(r.code, 0, r.err);
  const data = JSON.parse(r.out) as { rules: { id: string }[]; framework: { name: string; controls: { id: string; rules: string[] }[] } };
  assert.equal(data.framework.name, 'cis');
  assert.ok(data.rules.every((x) => x.id.startsWith('workload/')));
  assert.deepEqual(data.framework.controls.find((c) => c.id === '5.2.8')?.rules, ['workload/drop-net-raw']);
});

test('rampart rules show prints rationale, remediation, references, options and fix', { skip: !built }, () => {
  const r = rampart('rules', 'show', 'workload/drop-net-raw', '--no-config');
  assert.equal(r.code, 0, r.err);
  for (const s of ['NET_RAW capability not dropped', 'Why it matters:', 'Remediation:', '5.2.8', 'T1557.002', 'fix:          may-break: `rampart fix --include may-break` applies it']) assert.ok(r.out.includes(s), s);
});

test('rampart rules: usage errors exit 2 with a hint', { skip: !built }, () => {
  const cases: [string[], RegExp][] = [
    [['rules', 'show', 'workload/probe'], /unknown rule "workload\/probe"; did you mean workload\/probes/],
    [['rules', 'show'], /exactly one rule id/],
    [['rules', 'list', '--framework', 'iso'], /unknown framework "iso"/],
    [['rules', 'list', '--family', 'nope'], /unknown family "nope"/],
    [['rules', 'list', '-o', 'sarif'], /unknown format "sarif"/],
    [['rules', 'frobnicate'], /unknown subcommand "frobnicate"/],
  ];
  for (const [args, re] of cases) {
    const r = rampart(...args, '--no-config');
    assert.equal(r.code, 2, `${args.join(' ')} exits 2`);
    assert.match(r.err, re);
  }
});

test('docs/rules.md lists every workload/image/secrets rule with its current severity and fix flag', () => {
  const doc = readFileSync('docs/rules.md', 'utf8');
  const catalog = buildCatalog(builtinRules, ENGINE_RULE_METAS, emptyConfig()).filter((e) => /^(workload|image|secrets)\//.test(e.id));
  for (const e of catalog) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${e.id}\` |`));
    assert.ok(row, `${e.id} has a row in docs/rules.md`);
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells[2], e.severity, `${e.id}: severity in docs/rules.md`);
    assert.equal(cells[4], e.fixClass ?? '', `${e.id}: fix class column in docs/rules.md`);
  }
});
