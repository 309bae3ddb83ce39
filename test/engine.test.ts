// Engine behaviour reporters rely on: crashes fail closed, references resolve to positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineGlobalRule, defineRule } from '../src/engine/rule.js';
import { exitCodeFor, runEngine } from '../src/engine/run.js';
import { loadText } from '../src/input/files.js';
import { releasePositions } from '../src/input/yaml.js';

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
