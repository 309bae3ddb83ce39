// Engine behaviour reporters rely on: crashes fail closed, references resolve to positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineGlobalRule, defineRule } from '../src/engine/rule.js';
import { compareFindings, exitCodeFor, runEngine } from '../src/engine/run.js';
import { loadText } from '../src/input/files.js';
import { releasePositions } from '../src/input/yaml.js';
import { WORKLOAD_KINDS, allContainers, podSpecOf } from '../src/model/workloads.js';

const YAML = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: ns}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {serviceAccountName: sa, containers: [{name: c, image: x}]}\n';
const meta = { title: 't', severity: 'high' as const, rationale: 'r', remediation: 'm', references: {} };

test('a global rule that reports a bare reference to a scanned object gets its file and position', () => {
  const rule = defineGlobalRule({
    meta: { ...meta, id: 'fixture/ref', scope: 'global' },
    check(ctx) {
      ctx.report({ message: 'sa used', path: '/metadata/name', resource: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ns', name: 'sa' } });
      ctx.report({ message: 'not scanned', resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: 'gone' } });
    },
  });
  const r = runEngine(loadText(YAML, 'a.yaml'), { rules: [rule] });
  const byMsg = Object.fromEntries(r.findings.map((f) => [f.message, f.location]));
  assert.deepEqual(byMsg['sa used'], { file: 'a.yaml', line: 3, column: 12, path: '/metadata/name' });
  assert.deepEqual(byMsg['not scanned'], { file: '', line: 0, column: 0, path: '' });
});

test('a rule that throws on one object is an error naming the object (exit 2); other objects are still checked', () => {
  const rule = defineRule({
    meta: { ...meta, id: 'fixture/throws' },
    check(ctx) {
      if (ctx.resource.kind === 'Pod') throw new TypeError('boom');
      ctx.report({ message: 'checked ' + ctx.resource.kind });
    },
  });
  const r = runEngine(loadText(YAML, 'a.yaml'), { rules: [rule] });
  assert.deepEqual(r.findings.map((f) => f.message), ['checked ServiceAccount']);
  assert.deepEqual(r.errors, [{ file: 'a.yaml', line: 5, message: 'rule fixture/throws could not evaluate Pod/p: boom' }]);
  assert.equal(exitCodeFor(r.summary, r.findings, 'never'), 2);
});

test('a global rule that reports without naming a resource is an error, not a crash', () => {
  const rule = defineGlobalRule({ meta: { ...meta, id: 'fixture/anon', scope: 'global' }, check: (ctx) => ctx.report({ message: 'x' }) });
  const r = runEngine(loadText(YAML, 'a.yaml'), { rules: [rule] });
  assert.equal(r.findings.length, 0);
  assert.match(r.errors[0]!.message, /rule fixture\/anon failed: rule fixture\/anon reported without a resource/);
  assert.equal(r.summary.notEvaluated, 1);
});

test('a run hands the reader its position release once the findings are located; positions read after it are the same', () => {
  const rule = defineRule({
    meta: { ...meta, id: 'fixture/image' },
    check(ctx) {
      if (ctx.resource.kind === 'Pod') ctx.report({ message: 'image', path: '/spec/containers/0/image' });
    },
  });
  const load = loadText(YAML, 'a.yaml');
  let released = 0;
  const r = runEngine({ ...load, releasePositions: () => { released++; releasePositions(); } }, { rules: [rule] });
  assert.equal(released, 1);
  const expected = { file: 'a.yaml', line: 8, column: 55, path: '/spec/containers/0/image' };
  assert.deepEqual(r.findings[0]!.location, expected);
  const pod = load.resources.find((x) => x.kind === 'Pod')!;
  assert.deepEqual(pod.locator.locate('/spec/containers/0/image'), expected);
});

test('rules whose kinds are WORKLOAD_KINDS judge objects with a pod spec only (not a core Service); a copy of the list judges every kind named', () => {
  const text =
    'apiVersion: v1\nkind: Service\nmetadata: {name: core, namespace: ns}\nspec: {ports: [{port: 80}]}\n---\n' +
    'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: kn, namespace: ns}\nspec: {template: {spec: {containers: [{image: x}]}}}\n---\n' +
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec: {template: {spec: {containers: [{name: a, image: x}, {name: b, image: y}]}}}\n';
  const seen = (kinds: string[]) => {
    const names: string[] = [];
    const rule = defineRule({ meta: { ...meta, id: 'fixture/seen', kinds }, check: (ctx) => void names.push(ctx.resource.name) });
    const r = runEngine(loadText(text, 'w.yaml'), { rules: [rule] });
    assert.deepEqual(r.errors, []);
    return names.sort();
  };
  assert.deepEqual(seen(WORKLOAD_KINDS), ['d', 'kn']);
  assert.deepEqual(seen([...WORKLOAD_KINDS]), ['core', 'd', 'kn']);
});

test('while rules run, each object\'s pod spec and containers are read once and shared; outside a run they are made per call', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec: {template: {spec: {initContainers: [{name: i, image: z}], containers: [{name: a, image: x}, {image: y}]}}}\n';
  const load = loadText(text, 'w.yaml');
  const got: unknown[][] = [];
  const rule = (id: string) =>
    defineRule({
      meta: { ...meta, id, kinds: WORKLOAD_KINDS },
      check(ctx) {
        got.push([podSpecOf(ctx.resource), allContainers(ctx.resource), allContainers(ctx.resource, ['containers', 'initContainers']), allContainers(ctx.resource, ['containers'])]);
      },
    });
  runEngine(load, { rules: [rule('fixture/one'), rule('fixture/two')] });
  assert.equal(got.length, 2);
  const [a, b] = got as [unknown[], unknown[]];
  for (let i = 0; i < 3; i++) assert.equal(a[i], b[i], `shared ${i}`);
  // The same values a call outside the run makes (and that one is not shared).
  const r = load.resources[0]!;
  assert.deepEqual(a, [podSpecOf(r), allContainers(r), allContainers(r, ['containers', 'initContainers']), allContainers(r, ['containers'])]);
  assert.notEqual(podSpecOf(r), a[0]);
  assert.deepEqual(
    (a[1] as { path: string }[]).map((c) => c.path),
    ['/spec/template/spec/containers/0', '/spec/template/spec/containers/1', '/spec/template/spec/initContainers/0'],
  );
  assert.deepEqual((a[3] as { name: string }[]).map((c) => c.name), ['a', '#1']);
  releasePositions();
});

test('findings come out in compareFindings order (files as localeCompare orders them, then line, column, severity, rule, message)', () => {
  const docs = (ns: string) => ['a', 'b', 'c'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${ns}}\ndata: {k: v}\n`).join('---\n');
  const loads = ['b.yaml', 'B.yaml', 'a.yaml', 'é.yaml', 'e.yaml', '10.yaml', '9.yaml'].map((f, i) => loadText(docs(`ns${i}`), f));
  const input = { resources: loads.flatMap((l) => l.resources), errors: [], skipped: [] };
  const rule = defineRule({
    meta: { ...meta, id: 'fixture/many', kinds: ['ConfigMap'] },
    check(ctx) {
      const r = ctx.resource;
      ctx.report({ message: `z ${r.name}`, path: '/data/k' });
      ctx.report({ message: `a ${r.name}`, path: '/data/k', severity: 'low' });
      ctx.report({ message: `m ${r.name}`, path: '/metadata/name', severity: 'critical' });
      ctx.report({ message: 'same' });
    },
  });
  const other = defineRule({ meta: { ...meta, id: 'fixture/a-first', kinds: ['ConfigMap'] }, check: (ctx) => ctx.report({ message: 'same', path: '/data/k' }) });
  const r = runEngine(input, { rules: [rule, other] });
  assert.equal(r.findings.length, 7 * 3 * 5);
  const expected = [...r.findings].reverse().sort(compareFindings);
  assert.deepEqual(r.findings.map((f) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity} ${f.ruleId} ${f.message}`), expected.map((f) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity} ${f.ruleId} ${f.message}`));
  assert.deepEqual([...new Set(r.findings.map((f) => f.location.file))], ['10.yaml', '9.yaml', 'a.yaml', 'b.yaml', 'B.yaml', 'e.yaml', 'é.yaml']);
  releasePositions();
});
