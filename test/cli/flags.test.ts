// Command-line flags shared by the commands, end to end through bin/rampart.js (needs a build):
// --rule checks and off-by-default rules, --skip-rule, --severity, -f, -n, case-insensitive
// severities, --output into a missing folder, and short usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reporters } from '../../src/reports/index.js';
import { REPORTERS } from '../../src/cli/scan-options.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/flags.test.ts: dist/ is missing; run `npm run build` (npm test does). Skipping. ***\n');

function rampart(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-flags-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const POD = file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n    securityContext: {privileged: true}\n');
// cis/apiserver-always-pull-images is off by default; this API server would fail it.
const APISERVER = file(
  'apiserver.yaml',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels: {component: kube-apiserver, tier: control-plane}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.30.0\n    command: [kube-apiserver, --authorization-mode=Node,RBAC]\n',
);

function json(r: { code: number | null; out: string; err: string }) {
  try {
    return JSON.parse(r.out) as { summary: { findings: number; rules: number; bySeverity: Record<string, number> }; findings: { ruleId: string; severity: string }[] };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.err}`);
  }
}

test('the lazily loaded output formats are exactly the reporters, function for function', async () => {
  assert.deepEqual(Object.keys(REPORTERS).sort(), Object.keys(reporters).sort());
  for (const [name, load] of Object.entries(REPORTERS)) assert.equal(await load(), reporters[name], name);
});

test('--rule naming no rule is a usage error with the nearest ids, for ids and globs', { skip: !built }, () => {
  for (const [args, re] of [
    [['--rule', 'workload/probs'], /--rule "workload\/probs" matches no rule; did you mean workload\/probes\?/],
    [['--rule', 'nosuch/*'], /--rule "nosuch\/\*" matches no rule/],
    [['--skip-rule', 'pss/privilegd'], /--skip-rule "pss\/privilegd" matches no rule; did you mean pss\/privileged\?/],
  ] as const) {
    const r = rampart(['scan', POD, '--no-config', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, re);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});

test('--rule naming an off-by-default rule runs it; a glob keeps to the rules that are on', { skip: !built }, () => {
  const named = json(rampart(['scan', APISERVER, '--no-config', '-o', 'json', '--fail-on', 'never', '--rule', 'cis/apiserver-always-pull-images']));
  assert.equal(named.summary.rules, 1);
  assert.deepEqual(named.findings.map((f) => f.ruleId), ['cis/apiserver-always-pull-images']);
  const glob = json(rampart(['scan', APISERVER, '--no-config', '-o', 'json', '--fail-on', 'never', '--rule', 'cis/*']));
  assert.ok(!glob.findings.some((f) => f.ruleId === 'cis/apiserver-always-pull-images'));
  // Switched off in the config, named on the command line: the command line wins.
  const cfg = file('off.rampart.yaml', 'rules:\n  pss/privileged: off\n');
  const off = json(rampart(['scan', POD, '--config', cfg, '-o', 'json', '--fail-on', 'never', '--rule', 'pss/privileged']));
  assert.deepEqual(off.findings.map((f) => f.ruleId), ['pss/privileged']);
  // Named, but it checks nothing until configured: a usage error, not a silent pass.
  const unset = rampart(['scan', POD, '--no-config', '--rule', 'image/registry-allowlist']);
  assert.equal(unset.code, 2);
  assert.match(unset.err, /--rule image\/registry-allowlist checks nothing until its option allowed is set in \.rampart\.yaml/);
  const allow = file('allow.rampart.yaml', 'rules:\n  image/registry-allowlist:\n    options: {allowed: [ghcr.io/acme]}\n');
  const set = json(rampart(['scan', POD, '--config', allow, '-o', 'json', '--fail-on', 'never', '--rule', 'image/registry-allowlist']));
  assert.deepEqual(set.findings.map((f) => f.ruleId), ['image/registry-allowlist']);
});

test('--skip-rule and --severity filter; severities are case-insensitive; -f takes inputs', { skip: !built }, () => {
  const all = json(rampart(['scan', POD, '--no-config', '-o', 'json', '--fail-on', 'never']));
  const skipped = json(rampart(['scan', '-f', POD, '--no-config', '-o', 'json', '--fail-on', 'never', '--skip-rule', 'pss/*']));
  assert.ok(all.findings.some((f) => f.ruleId.startsWith('pss/')));
  assert.ok(!skipped.findings.some((f) => f.ruleId.startsWith('pss/')));
  assert.equal(skipped.findings.length, all.findings.filter((f) => !f.ruleId.startsWith('pss/')).length);

  const high = json(rampart(['scan', '--filename', POD, '--no-config', '-o', 'JSON', '--fail-on', 'never', '--severity', 'HIGH,Critical']));
  const expected = all.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  assert.ok(expected.length > 0);
  assert.deepEqual(high.findings.map((f) => f.ruleId), expected.map((f) => f.ruleId));
  assert.equal(high.summary.findings, expected.length);
  assert.equal(high.summary.bySeverity.medium, 0);

  assert.equal(rampart(['scan', POD, '--no-config', '--fail-on', 'HIGH']).code, 1);
  assert.equal(rampart(['scan', POD, '--no-config', '--fail-on', 'Never']).code, 0);
  const bad = rampart(['scan', POD, '--no-config', '--severity', 'urgent']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--severity must be one of critical, high, medium, low, info \(got "urgent"\)/);
});

test('--output into a missing folder creates it; a path that cannot be written is a short error, exit 2', { skip: !built }, () => {
  const out = path.join(dir, 'reports', 'nested', 'scan.json');
  const r = rampart(['scan', POD, '--no-config', '-o', 'json', '--fail-on', 'never', '--output', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).summary.resources, 1);
  const blocked = rampart(['scan', POD, '--no-config', '--output', path.join(POD, 'under-a-file.txt')]);
  assert.equal(blocked.code, 2);
  assert.match(blocked.err, /^rampart scan: cannot write --output .*under-a-file\.txt: a parent is not a directory\n$/);
  const pss = rampart(['pss', POD, '--no-config', '--output', path.join(POD, 'x', 'y.txt')]);
  assert.equal(pss.code, 2);
  assert.doesNotMatch(pss.err, /\n\s+at /, 'no stack trace');
});

test('usage errors are one short message and a pointer to --help, not the parser text or the whole usage', { skip: !built }, () => {
  const cases: [string[], RegExp][] = [
    [['scan', POD, '--fromat', 'json'], /^rampart scan: unknown option --fromat \(did you mean --format\?\)/],
    [['scan', POD, '-x'], /^rampart scan: unknown option -x;/],
    [['scan', POD, '--output'], /^rampart scan: --output needs a value\n/],
    [['scan', POD, '--no-config=yes'], /^rampart scan: --no-config takes no value\n/],
    [['scan'], /^rampart scan: no input: give files, directories or - for stdin/],
  ];
  for (const [args, re] of cases) {
    const r = rampart(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, re);
    assert.match(r.err, /\nRun 'rampart scan --help' for usage\.\n$/);
    assert.doesNotMatch(r.err, /Usage:|To specify a positional argument/);
  }
  const typo = rampart(['scna', POD]);
  assert.equal(typo.code, 2);
  assert.equal(typo.err, `rampart: unknown command "scna"; did you mean "scan"?\nRun 'rampart --help' for the commands.\n`);
  const help = rampart(['scan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: rampart scan/);
  assert.match(help.out, /-f, --filename PATH/);
  assert.match(help.out, /-n, --namespace NS/);
});
