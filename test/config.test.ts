// `.rampart.yaml`: discovery, schema errors with file:line, rule settings, exceptions, annotations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, discoverConfig, parseConfig } from '../src/engine/config.js';
import { exitCodeFor, runEngine } from '../src/engine/run.js';
import { defineRule, type AnyRule } from '../src/engine/rule.js';
import { loadText } from '../src/input/files.js';
import { fixtureRules } from './support/fixture-rules.js';
import { runCli } from './support/cli.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A rule with options and a schema for them, off unless enabled. */
const minReplicas = defineRule({
  meta: {
    id: 'fixture/min-replicas',
    title: 'Too few replicas',
    severity: 'low',
    rationale: 'A single replica is a single point of failure.',
    remediation: 'Raise spec.replicas.',
    references: {},
    kinds: ['Deployment'],
    defaultOff: true,
    optionsSchema: { type: 'object', additionalProperties: false, properties: { min: { type: 'integer', minimum: 1 } } },
    defaults: { min: 2 },
  },
  check(ctx) {
    const replicas = ctx.resource.object.spec && typeof ctx.resource.object.spec === 'object' && !Array.isArray(ctx.resource.object.spec) ? ctx.resource.object.spec.replicas : undefined;
    const min = ctx.options.min as number;
    if (typeof replicas === 'number' && replicas < min) ctx.report({ message: `${replicas} replicas, fewer than ${min}`, path: '/spec/replicas' });
  },
});
const RULES: AnyRule[] = [...fixtureRules, minReplicas];

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-frontend
  namespace: shop
  annotations:
    ignore.rampart.dev/fixture.no-owner-label: "owned by the platform team, label added by CI"
spec:
  replicas: 1
  template:
    spec:
      containers:
      - {name: app, image: "nginx:1.27"}
      - {name: sidecar, image: "envoy:1.30"}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: kube-system
  annotations:
    ignore.rampart.dev/fixture.all: ""
spec:
  replicas: 3
  template:
    spec:
      containers:
      - {name: a, image: "agent:2"}
      - {name: b, image: "agent:2"}
`;

const NOW = new Date('2026-03-01T00:00:00Z');

function run(configText: string, manifests = MANIFESTS, file = 'deploy/web.yaml') {
  const config = parseConfig(configText, 'rampart.yaml');
  return runEngine(loadText(manifests, file), { rules: RULES, config, now: NOW });
}

function configError(text: string): ConfigError {
  try {
    parseConfig(text, 'cfg.yaml');
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail('expected a ConfigError');
}

test('discovery: nearest .rampart.yaml or .rampart.yml upwards, stopping at the repository root', () => {
  const repo = path.join(dir, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'apps', 'web', 'deploy'), { recursive: true });
  writeFileSync(path.join(dir, '.rampart.yaml'), 'rules: {}\n'); // above the repository: never used
  assert.equal(discoverConfig(path.join(repo, 'apps', 'web', 'deploy')), undefined);
  writeFileSync(path.join(repo, '.rampart.yml'), 'rules: {}\n');
  assert.equal(discoverConfig(path.join(repo, 'apps', 'web', 'deploy')), path.join(repo, '.rampart.yml'));
  writeFileSync(path.join(repo, 'apps', '.rampart.yaml'), 'rules: {}\n');
  assert.equal(discoverConfig(path.join(repo, 'apps', 'web', 'deploy')), path.join(repo, 'apps', '.rampart.yaml'));
});

const SCHEMA_ERRORS: { name: string; text: string; line: number; message: RegExp }[] = [
  { name: 'unknown top-level key', text: 'rules: {}\nfailon: high\n', line: 1, message: /must NOT have additional properties "failon"/ },
  { name: 'bad severity', text: 'rules:\n  fixture/writable-root:\n    severity: urgent\n', line: 3, message: /\/rules\/fixture~1writable-root\/severity: must be equal to one of the allowed values: critical, high/ },
  { name: 'bad shorthand', text: 'rules:\n  fixture/writable-root: loud\n', line: 2, message: /\/rules\/fixture~1writable-root: must be equal to one of the allowed values: off, on, critical/ },
  { name: 'failOn not a severity', text: 'failOn: sometimes\n', line: 1, message: /\/failOn: must be equal to one of the allowed values: critical, high, medium, low, info, never/ },
  { name: 'exception without reason', text: 'exceptions:\n  - rule: fixture/*\n    expires: "2026-12-31"\n', line: 2, message: /must have required property 'reason'/ },
  { name: 'exception without rule', text: 'exceptions:\n  - reason: because we must\n', line: 2, message: /must have required property 'rule'/ },
  { name: 'reason too short', text: 'exceptions:\n  - rule: x/y\n    reason: ok\n', line: 3, message: /\/exceptions\/0\/reason: must NOT have fewer than 3 characters/ },
  // probe relsec/18-config-whitespace-reason: blanks are no reason, however many.
  { name: 'reason only blanks', text: 'exceptions:\n  - rule: x/y\n    reason: "   "\n', line: 3, message: /\/exceptions\/0\/reason: must NOT have fewer than 3 characters \(besides blanks\)/ },
  { name: 'reason blanks around two letters', text: 'exceptions:\n  - rule: x/y\n    reason: "\\t ok \\n"\n', line: 3, message: /\/exceptions\/0\/reason: must NOT have fewer than 3/ },
  { name: 'expiry not YYYY-MM-DD', text: 'exceptions:\n  - rule: x/y\n    reason: accepted risk\n    expires: next week\n', line: 4, message: /expires: must match pattern/ },
  { name: 'expiry not a calendar date', text: 'exceptions:\n  - rule: x/y\n    reason: accepted risk\n    expires: "2026-02-30"\n', line: 4, message: /expires: not a date/ },
  { name: 'unknown resource matcher field', text: 'exceptions:\n  - rule: x/y\n    reason: accepted risk\n    resources:\n      - {kind: Pod, label: x}\n', line: 5, message: /additional properties "label"/ },
  { name: 'invalid YAML', text: 'rules:\n  a/b: off\n   c/d: on\n', line: 2, message: /invalid YAML/ },
  { name: 'two documents', text: 'rules: {}\n---\nrules: {}\n', line: 3, message: /single YAML document/ },
];

for (const c of SCHEMA_ERRORS) {
  test(`schema error names the line: ${c.name}`, () => {
    const e = configError(c.text);
    assert.equal(e.file, 'cfg.yaml');
    assert.equal(e.line, c.line, e.message);
    assert.match(e.message, c.message);
  });
}

test('CLI: an invalid config is a usage error (exit 2) naming file:line; a missing --config file too', () => {
  const bad = path.join(dir, 'bad.rampart.yaml');
  writeFileSync(bad, 'rules:\n  fixture/x: loud\n');
  const r = runCli(['scan', 'examples/hardened', '--config', bad]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.rampart\.yaml:2: invalid config at \/rules\/fixture~1x/);
  const missing = runCli(['scan', 'examples/hardened', '--config', path.join(dir, 'nope.yaml')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read config/);
});

test('rules: off, on, family globs, exact id beats glob', () => {
  const ids = (text: string) => [...new Set(run(text).findings.map((f) => f.ruleId))].sort();
  assert.deepEqual(ids('rules: {}\n'), ['config/suppression-without-reason', 'fixture/no-owner-label', 'fixture/writable-root']);
  assert.deepEqual(ids('rules:\n  fixture/writable-root: off\n'), ['config/suppression-without-reason', 'fixture/no-owner-label']);
  assert.deepEqual(ids('rules:\n  "fixture/*": false\n'), []);
  // The reasonless `ignore.rampart.dev/fixture.all` on "agent" is still reported: it tried to hide writable-root.
  assert.deepEqual(ids('rules:\n  "fixture/*": off\n  fixture/writable-root: on\n'), ['config/suppression-without-reason', 'fixture/writable-root']);
  assert.deepEqual(ids('rules:\n  fixture/min-replicas: on\n  fixture/writable-root: {enabled: false}\n'), ['config/suppression-without-reason', 'fixture/min-replicas', 'fixture/no-owner-label']);
});

test('rules: severity override (shorthand and object form) changes findings and the exit code', () => {
  const r = run('rules:\n  fixture/writable-root: critical\n  fixture/no-owner-label: {severity: info}\n');
  assert.ok(r.findings.filter((f) => f.ruleId === 'fixture/writable-root').every((f) => f.severity === 'critical'));
  assert.ok(r.findings.filter((f) => f.ruleId === 'fixture/no-owner-label').every((f) => f.severity === 'info'));
  assert.equal(exitCodeFor(r.summary, r.findings, 'high'), 1);
  const low = run('rules:\n  fixture/writable-root: low\n');
  assert.equal(exitCodeFor(low.summary, low.findings, 'medium'), 0);
});

test('rules: options reach the rule, defaults apply, invalid options fail closed with the config line', () => {
  const def = run('rules:\n  fixture/min-replicas: on\n').findings.filter((f) => f.ruleId === 'fixture/min-replicas');
  assert.deepEqual(def.map((f) => f.message), ['1 replicas, fewer than 2']);
  const custom = run('rules:\n  fixture/min-replicas:\n    enabled: true\n    options: {min: 5}\n').findings.filter((f) => f.ruleId === 'fixture/min-replicas');
  assert.deepEqual(custom.map((f) => f.message), ['1 replicas, fewer than 5', '3 replicas, fewer than 5']);
  const bad = run('rules:\n  fixture/writable-root: high\n  fixture/min-replicas:\n    enabled: true\n    options: {min: "five"}\n');
  assert.equal(bad.findings.filter((f) => f.ruleId === 'fixture/min-replicas').length, 0);
  assert.equal(bad.errors.length, 1);
  assert.equal(bad.errors[0]!.file, 'rampart.yaml');
  assert.equal(bad.errors[0]!.line, 3);
  assert.match(bad.errors[0]!.message, /invalid options for rule fixture\/min-replicas at \/min: must be integer; the rule was not run/);
  assert.equal(exitCodeFor(bad.summary, bad.findings, 'never'), 2);
});

test('exceptions: a matching exception suppresses, the finding stays in the report marked suppressed', () => {
  const r = run('exceptions:\n  - rule: fixture/writable-root\n    reason: image is distroless and read-only by design\n    expires: "2026-12-31"\n    ticket: SEC-42\n');
  const wr = r.findings.filter((f) => f.ruleId === 'fixture/writable-root');
  assert.equal(wr.length, 4);
  for (const f of wr) {
    assert.equal(f.suppressed, true);
    assert.deepEqual(f.suppression, { kind: 'config', reason: 'image is distroless and read-only by design', expires: '2026-12-31', source: 'rampart.yaml:2' });
  }
  // 4 by the exception + web-frontend's owner label by its annotation.
  assert.equal(r.summary.suppressed, 5);
  assert.equal(r.summary.findings, r.findings.length - 5);
  assert.equal(exitCodeFor(r.summary, r.findings, 'medium'), 0, 'suppressed findings do not fail the run');
});

test('exceptions: glob resource matchers (kind, namespace, name, file); every given field must match', () => {
  const suppressedNames = (resources: string, file?: string) => {
    const cfg = `exceptions:\n  - rule: "fixture/writable*"\n    reason: accepted for now\n    resources:\n${resources}`;
    const r = run(cfg, MANIFESTS, file);
    return r.findings.filter((f) => f.ruleId === 'fixture/writable-root' && f.suppressed).map((f) => f.resource.name);
  };
  assert.deepEqual(suppressedNames('      - {namespace: "kube-*"}\n'), ['agent', 'agent']);
  assert.deepEqual(suppressedNames('      - {kind: Deployment, name: "web-*"}\n'), ['web-frontend', 'web-frontend']);
  assert.deepEqual(suppressedNames('      - {kind: StatefulSet, name: "web-*"}\n'), []);
  assert.deepEqual(suppressedNames('      - {file: "deploy/*.yaml", name: agent}\n'), ['agent', 'agent']);
  assert.deepEqual(suppressedNames('      - {file: "other/*.yaml"}\n'), []);
  assert.deepEqual(suppressedNames('      - {name: agent}\n      - {name: web-frontend}\n').sort(), ['agent', 'agent', 'web-frontend', 'web-frontend']);
});

test('exceptions: expired (from the expiry date on) no longer suppresses and is itself a finding at its line', () => {
  const r = run('rules: {}\nexceptions:\n  - rule: fixture/no-owner-label\n    reason: old decision\n  - rules: [fixture/writable-root]\n    reason: temporary while migrating\n    expires: "2026-03-01"\n');
  assert.ok(r.findings.filter((f) => f.ruleId === 'fixture/writable-root').every((f) => !f.suppressed));
  const expired = r.findings.filter((f) => f.ruleId === 'config/expired-exception');
  assert.equal(expired.length, 1);
  assert.deepEqual({ file: expired[0]!.location.file, line: expired[0]!.location.line, column: expired[0]!.location.column }, { file: 'rampart.yaml', line: 5, column: 5 });
  assert.match(expired[0]!.message, /expired on 2026-03-01 .*temporary while migrating/);
  // The day before, the same exception still applies.
  const config = parseConfig('exceptions:\n  - rules: [fixture/writable-root]\n    reason: temporary while migrating\n    expires: "2026-03-01"\n', 'rampart.yaml');
  const dayBefore = runEngine(loadText(MANIFESTS, 'deploy/web.yaml'), { rules: RULES, config, now: new Date('2026-02-28T23:59:59Z') });
  assert.ok(dayBefore.findings.filter((f) => f.ruleId === 'fixture/writable-root').every((f) => f.suppressed));
  assert.equal(dayBefore.findings.filter((f) => f.ruleId === 'config/expired-exception').length, 0);
});

test('annotations: per-rule key with a reason suppresses; an empty value does not and is reported once per object', () => {
  const r = run('rules: {}\n');
  const owner = r.findings.filter((f) => f.ruleId === 'fixture/no-owner-label');
  assert.deepEqual(owner.map((f) => [f.resource.name, f.suppressed, f.suppression?.kind, f.suppression?.source]), [
    ['web-frontend', true, 'annotation', 'ignore.rampart.dev/fixture.no-owner-label'],
    ['agent', false, undefined, undefined],
  ]);
  const reasonless = r.findings.filter((f) => f.ruleId === 'config/suppression-without-reason');
  assert.equal(reasonless.length, 1, 'one finding per object and key, however many findings it tried to hide');
  assert.equal(reasonless[0]!.location.path, '/metadata/annotations/ignore.rampart.dev~1fixture.all');
  assert.deepEqual([reasonless[0]!.location.line, reasonless[0]!.location.column], [22, 5]);
  assert.ok(r.findings.filter((f) => f.resource.name === 'agent' && f.ruleId.startsWith('fixture/')).every((f) => !f.suppressed));
});

test('annotations: family and global keys; the annotation on the object itself is used when names collide across files', () => {
  const pod = (name: string, ann: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  annotations: {${ann}}\nspec: {containers: [{name: c, image: x}]}\n`;
  const fam = run('rules: {}\n', pod('p', '"ignore.rampart.dev/fixture.all": "sandbox pod"'));
  assert.ok(fam.findings.filter((f) => f.ruleId.startsWith('fixture/')).every((f) => f.suppressed && f.suppression?.reason === 'sandbox pod'));
  const all = run('rules: {}\n', pod('p', '"ignore.rampart.dev/all": "throwaway demo"'));
  assert.ok(all.findings.length > 0 && all.findings.every((f) => f.suppressed));
  // Same kind/name in two files: only the annotated copy is suppressed.
  const load = loadText(pod('dup', '"ignore.rampart.dev/fixture.writable-root": "reviewed"'), 'a.yaml');
  const other = loadText(pod('dup', 'x: y'), 'b.yaml');
  load.resources.push(...other.resources);
  const r = runEngine(load, { rules: RULES, config: parseConfig('rules: {}\n', 'c.yaml') });
  const wr = r.findings.filter((f) => f.ruleId === 'fixture/writable-root');
  assert.deepEqual(wr.map((f) => [f.location.file, f.suppressed]), [['a.yaml', true], ['b.yaml', false]]);
});

test('CLI: failOn from the auto-discovered config, --fail-on overrides it, --no-config ignores it', () => {
  const proj = path.join(dir, 'proj');
  mkdirSync(path.join(proj, '.git'), { recursive: true });
  writeFileSync(path.join(proj, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers:\n  - {name: c, image: "nginx:1.27", securityContext: {privileged: true}}\n');
  const none = runCli(['scan', 'pod.yaml', '-o', 'json'], undefined, {}, proj);
  assert.equal(none.status, 1, 'default threshold high: a privileged container fails');
  writeFileSync(path.join(proj, '.rampart.yaml'), 'failOn: never\n');
  assert.equal(runCli(['scan', 'pod.yaml'], undefined, {}, proj).status, 0);
  assert.equal(runCli(['scan', 'pod.yaml', '--fail-on', 'high'], undefined, {}, proj).status, 1);
  assert.equal(runCli(['scan', 'pod.yaml', '--no-config'], undefined, {}, proj).status, 1);
  const bad = runCli(['scan', 'pod.yaml', '--fail-on', 'severe'], undefined, {}, proj);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--fail-on must be one of/);
});

test('CLI: exceptions from the config file show as suppressed in json with their source line', () => {
  const proj = path.join(dir, 'proj2');
  mkdirSync(path.join(proj, '.git'), { recursive: true });
  writeFileSync(path.join(proj, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers:\n  - {name: c, image: "nginx:1.27", securityContext: {privileged: true}}\n');
  writeFileSync(path.join(proj, '.rampart.yaml'), '# accepted risks\nexceptions:\n  - rule: "*"\n    resources: [{kind: Pod, name: p}]\n    reason: lab machine, isolated network\n');
  const r = runCli(['scan', 'pod.yaml', '-o', 'json'], undefined, {}, proj);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.findings.length > 0);
  for (const f of report.findings) assert.deepEqual(f.suppression, { kind: 'config', reason: 'lab machine, isolated network', source: '.rampart.yaml:3' });
  assert.equal(report.summary.findings, 0);
  assert.equal(report.summary.suppressed, report.findings.length);
});


test('rules: the more specific glob wins whatever the order in the file; options merge key by key', () => {
  const cfg = (text: string) => parseConfig(text, 'r.yaml');
  const ids = (text: string) => [...new Set(runEngine(loadText(MANIFESTS, 'deploy/web.yaml'), { rules: RULES, config: cfg(text), now: NOW }).findings.map((f) => f.ruleId))].sort();
  assert.deepEqual(ids('rules:\n  "fixture/*": on\n  "*": off\n'), ids('rules:\n  "*": off\n  "fixture/*": on\n'));
  assert.ok(ids('rules:\n  "fixture/*": on\n  "*": off\n').includes('fixture/writable-root'));
  const withOptions = runEngine(loadText(MANIFESTS, 'deploy/web.yaml'), {
    rules: RULES,
    config: cfg('rules:\n  "fixture/*": {options: {min: 9}}\n  fixture/min-replicas: {enabled: true, severity: high}\n'),
  });
  assert.deepEqual(withOptions.findings.filter((f) => f.ruleId === 'fixture/min-replicas').map((f) => `${f.severity} ${f.message}`), ['high 1 replicas, fewer than 9', 'high 3 replicas, fewer than 9']);
});

test('rules: a severity override alone does not count as (empty) options, so required options are not demanded', () => {
  const strict = defineRule({
    meta: { ...minReplicas.meta, id: 'fixture/strict', defaultOff: false, optionsSchema: { type: 'object', required: ['min'], properties: { min: { type: 'integer' } } }, defaults: {} },
    check: () => undefined,
  });
  const r = runEngine(loadText(MANIFESTS, 'a.yaml'), { rules: [strict], config: parseConfig('rules:\n  fixture/strict: high\n  "fixture/*": on\n', 'r.yaml') });
  assert.deepEqual(r.errors, []);
  const bad = runEngine(loadText(MANIFESTS, 'a.yaml'), { rules: [strict], config: parseConfig('rules:\n  fixture/strict: {options: {}}\n', 'r.yaml') });
  assert.match(bad.errors[0]?.message ?? '', /invalid options for rule fixture\/strict: must have required property 'min'/);
});
