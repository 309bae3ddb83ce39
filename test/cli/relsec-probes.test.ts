// Regression tests for the "inputs pass unseen" reproducers in ../shared/probes/relsec/ (16, 17, 18),
// end to end through bin/rampart.js (needs a build). Skipped loudly when the shared folder is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PROBES = path.resolve('../shared/probes/relsec');
const built = existsSync('dist/cli/main.js');
const present = existsSync(PROBES);
if (!built) console.error('\n*** test/cli/relsec-probes.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');
if (!present) console.error(`\n*** test/cli/relsec-probes.test.ts: ${path.relative(process.cwd(), PROBES)} is absent. Skipping the probe tests. ***\n`);
const skip = !built || !present;

const BIN = path.resolve('bin/rampart.js');
function rampart(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('probe 16: a privileged, hostPID Argo Rollout gets the PSS findings and fails the run', { skip }, () => {
  const r = rampart(['scan', path.join(PROBES, '16-crd-workload-silent', 'rollout.yaml'), '--no-config', '-o', 'json']);
  assert.equal(r.code, 1, r.err);
  const report = JSON.parse(r.out) as { findings: { ruleId: string; location: { path: string } }[] };
  const ids = report.findings.map((f) => f.ruleId);
  for (const id of ['pss/privileged', 'pss/hostNamespaces']) assert.ok(ids.includes(id), id);
  assert.equal(report.findings.find((f) => f.ruleId === 'pss/privileged')!.location.path, '/spec/template/spec/containers/0/securityContext/privileged');
  const pss = rampart(['pss', path.join(PROBES, '16-crd-workload-silent', 'rollout.yaml'), '--no-config', '--level', 'baseline']);
  assert.equal(pss.code, 1);
  assert.match(pss.out, /^DENIED {3}Rollout shop\/r/m);
});

const ESC_OR_BEL = /[\u0007\u001b]/;

test('probe 17: names with newlines cannot forge report lines; no raw ESC/BEL in text, markdown or pss text', { skip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-probe17-'));
  const names = path.join(dir, 'names');
  mkdirSync(names);
  const forged = '0 resources in 0 files, 0 findings';
  copyFileSync(path.join(PROBES, '17-output-control-chars', 'x.yaml'), path.join(names, `a\n${forged}\nb.yaml`));
  const text = rampart(['scan', names, '--no-config']);
  assert.equal(text.code, 1, text.err);
  const lines = text.out.split('\n');
  assert.ok(!lines.includes(forged), 'the forged summary line is not a line of its own');
  assert.ok(lines.some((l) => l.includes(`a\\n${forged}\\nb.yaml`)), 'the name is shown with visible \\n escapes');
  assert.match(lines.filter(Boolean).at(-1)!, /^1 resources in 1 files, \d+ findings/);
  assert.doesNotMatch(text.out, ESC_OR_BEL);
  assert.match(text.out, /evil\\x1b\]0;pwned\\x07\\x1b\[2J/);

  const x = path.join(PROBES, '17-output-control-chars', 'x.yaml');
  for (const args of [['scan', x, '-o', 'markdown'], ['scan', x], ['pss', x], ['pss', x, '--suggest'], ['scan', names, '-o', 'markdown']]) {
    const r = rampart([...args, '--no-config', '--fail-on', 'never']);
    assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: ${r.err}`);
    assert.doesNotMatch(r.out, ESC_OR_BEL, args.join(' '));
    assert.ok(!r.out.split('\n').includes(forged), args.join(' '));
  }
});

test('probe 18: a whitespace-only exception reason is rejected like an empty one (exit 2, file:line)', { skip }, () => {
  const r = rampart(['scan', 'pod.yaml', '-o', 'json'], path.join(PROBES, '18-config-whitespace-reason'));
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^rampart scan: \.rampart\.yaml:3: invalid config at \/exceptions\/0\/reason: must NOT have fewer than 3 characters \(besides blanks\)/);
});

test('terminalSafe: every character that moves the cursor, rings, redraws or reorders text is shown escaped', async () => {
  const { terminalSafe } = await import('../../src/reports/terminal-safe.js');
  assert.equal(terminalSafe('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(terminalSafe('\u001b[2J\u0007\u0000\u007f\u009b'), '\\x1b[2J\\x07\\x00\\x7f\\x9b');
  assert.equal(terminalSafe('x\u2028y\u2029z'), 'x\\u2028y\\u2029z');
  assert.equal(terminalSafe('admin\u202Egpj.yaml\u2066'), 'admin\\u202egpj.yaml\\u2066');
  assert.equal(terminalSafe('plain ünïcode — ok 名前'), 'plain ünïcode — ok 名前');
});
