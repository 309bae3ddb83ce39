// The per-run indexes the engine and rules use instead of scanning every object, checked against
// the plain scans they replace on the real-world corpus; and the run order not leaking into reports.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ResourceIndex, SELECTED_ANSWERS_KEPT, selectorMatches } from '../src/model/index.js';
import { podLabels, WORKLOAD_KINDS } from '../src/model/workloads.js';
import { serviceBackends } from '../src/model/services.js';
import { asObject } from '../src/model/json.js';
import { loadInputs, loadText } from '../src/input/files.js';
import { defineGlobalRule, defineRule } from '../src/engine/rule.js';
import { runEngine } from '../src/engine/run.js';
import { jsonWithArray } from '../src/reports/json.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'real-world');

/** The real-world corpus, or undefined after skipping the test loudly when it is absent. */
async function loadCorpus(t: TestContext) {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus ${CORPUS} is absent`);
    console.log(`SKIPPED: corpus ${CORPUS} is absent`);
    return undefined;
  }
  return loadInputs([CORPUS], undefined, false);
}

test('a Service finds the same workloads, in the same order, as matching every workload of its namespace (real-world corpus)', async (t) => {
  const load = await loadCorpus(t);
  if (!load) return;
  const index = new ResourceIndex(load.resources);
  let services = 0;
  let matched = 0;
  for (const svc of index.ofKind('Service')) {
    const selector = asObject(asObject(svc.object.spec)?.selector);
    if (!selector || Object.keys(selector).length === 0) continue;
    const matchLabels: Record<string, string> = {};
    for (const [k, v] of Object.entries(selector)) if (typeof v === 'string') matchLabels[k] = v;
    const ns = svc.namespace ?? '';
    const plain = index.ofKind(...WORKLOAD_KINDS).filter((r) => (r.namespace ?? '') === ns && selectorMatches({ matchLabels }, r.kind === 'Pod' ? r.labels : podLabels(r)));
    assert.deepEqual(serviceBackends(index, svc), plain, `${svc.file}: Service ${ns}/${svc.name}`);
    services++;
    if (plain.length) matched++;
  }
  console.log(`${services} Services with a selector agree with the plain scan (${matched} select at least one workload)`);
  assert.ok(matched > 100);
});

test('label pairs that could read alike select each workload once and only on an exact match', () => {
  const yaml = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {metadata: {labels: {"a=b": c, a: "b=c"}}, spec: {containers: [{name: x, image: y}]}}}',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {template: {metadata: {labels: {a: b}}, spec: {containers: [{name: x, image: y}]}}}',
  ].join('\n---\n');
  const index = new ResourceIndex(loadText(yaml, 'a.yaml').resources);
  assert.deepEqual(index.selectPods(WORKLOAD_KINDS, { a: 'b=c' }, '').map((r) => r.name), ['a']);
  assert.deepEqual(index.selectPods(WORKLOAD_KINDS, { a: 'b' }, '').map((r) => r.name), ['b']);
  assert.deepEqual(index.selectPods(WORKLOAD_KINDS, { 'a=b': 'c', a: 'b=c' }, '').map((r) => r.name), ['a']);
});

test('selectPods keeps a bounded number of answers: the webhook asks a long-lived index with selectors its clients choose', () => {
  const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: x, image: y}]}}}';
  const index = new ResourceIndex(loadText(yaml, 'a.yaml').resources);
  const kept = () => (index as unknown as { selected: Map<string, unknown> }).selected.size;
  for (let i = 0; i < SELECTED_ANSWERS_KEPT * 3; i++) {
    assert.deepEqual(index.selectPods(WORKLOAD_KINDS, { app: 'a', unique: String(i) }, ''), []);
    assert.ok(kept() <= SELECTED_ANSWERS_KEPT);
  }
  // Answers stay right after the kept ones were dropped.
  assert.deepEqual(index.selectPods(WORKLOAD_KINDS, { app: 'a' }, '').map((r) => r.name), ['a']);
});

test('reports list findings, failures and withheld conclusions in rule order, whatever order the rules ran in', () => {
  const meta = { title: 't', severity: 'high' as const, rationale: 'r', remediation: 'm', references: {} };
  const perObject = defineRule({
    meta: { ...meta, id: 'fixture/a-per-object', kinds: ['ServiceAccount'] },
    check(ctx) {
      ctx.report({ message: 'same place', path: '/metadata/name' });
      ctx.notEvaluated({ resource: ctx.resource, reason: 'first reason' });
      throw new Error('per-object failure');
    },
  });
  const global = defineGlobalRule({
    meta: { ...meta, id: 'fixture/z-global', scope: 'global' },
    check(ctx) {
      const sa = ctx.index.ofKind('ServiceAccount')[0]!;
      ctx.report({ message: 'same place', path: '/metadata/name', resource: sa });
      ctx.notEvaluated({ resource: sa, reason: 'second reason' });
      throw new Error('global failure');
    },
  });
  const r = runEngine(loadText('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: ns}\n', 'a.yaml'), { rules: [perObject, global] });
  // The global rule ran first; errors and withheld conclusions are not sorted, so only the gathering keeps plan order.
  assert.deepEqual(
    r.findings.map((f) => f.ruleId),
    ['fixture/a-per-object', 'fixture/z-global'],
  );
  assert.deepEqual(
    r.errors.map((e) => e.message.split(':')[0]),
    ['rule fixture/a-per-object could not evaluate ServiceAccount/sa', 'rule fixture/z-global failed'],
  );
  assert.deepEqual(
    r.skipped.map((s) => s.reason),
    ['first reason', 'second reason'],
  );
});

test('jsonWithArray writes exactly JSON.stringify(value, null, 2) with the array in place, at any depth', () => {
  const items = [{ a: 1, b: ['x', { c: 'line\nbreak' }] }, 'two', [3], null];
  const MARK = '\u0000items\u0000';
  for (const build of [(v: unknown) => ({ top: v, after: 1 }), (v: unknown) => ({ runs: [{ tool: 'x', results: v, properties: { n: 2 } }] }), (v: unknown) => ({ deep: { deeper: [[{ v }]] } })]) {
    // Longer lists are written a few items per piece: lengths around the piece size too.
    const long = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 ? { i, s: 'a\nb', l: [i, { x: null }] } : [i]));
    for (const list of [items, [], long(32), long(33), long(70)]) {
      const streamed = [...jsonWithArray(build(MARK), MARK, list)].join('');
      assert.equal(streamed, JSON.stringify(build(list), null, 2) + '\n');
    }
  }
});

test('find and named by (kind, namespace, name) equal the plain scan of every object of the kind (real-world corpus)', async (t) => {
  const load = await loadCorpus(t);
  if (!load) return;
  const index = new ResourceIndex(load.resources);
  const plainAll = (kind: string, name: string, namespace?: string) =>
    index.ofKind(kind).filter((r) => r.name === name && (namespace === undefined || (r.namespace ?? '') === namespace));
  let lookups = 0;
  let hits = 0;
  for (const r of load.resources) {
    const ns = r.namespace ?? '';
    // The object's own key, its name in any namespace, and near misses (other namespace, other kind, no such name).
    const keys: [string, string, string | undefined][] = [
      [r.kind, r.name, ns],
      [r.kind, r.name, undefined],
      [r.kind, r.name, `${ns}-other`],
      [r.kind, `${r.name}-missing`, ns],
      [r.kind === 'Namespace' ? 'ServiceAccount' : 'Namespace', r.name, undefined],
    ];
    for (const [kind, name, namespace] of keys) {
      const plain = plainAll(kind, name, namespace);
      assert.deepEqual(index.named(kind, name, namespace), plain, `${kind} ${namespace}/${name}`);
      assert.equal(index.find(kind, name, namespace), plain[0], `${kind} ${namespace}/${name}`);
      lookups++;
      if (plain.length) hits++;
    }
  }
  console.log(`${lookups} look-ups by (kind, namespace, name) on ${load.resources.length} objects agree with the plain scan (${hits} find an object)`);
  assert.ok(hits >= 2 * load.resources.length);
});
