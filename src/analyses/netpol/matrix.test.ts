// The class-based matrix against the per-pod engine: every workload pair, every external range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFrom, ns, pod } from './testing/fixtures.js';
import { classConnections, classViews, computeMatrix, connectionList, lineOf, namespaceSummary } from './matrix.js';
import { formatPorts, isEmpty } from './ports.js';
import { formatInterval } from './ip.js';
import type { NetpolEngine } from './engine.js';

function np(name: string, namespace: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

/** A small world in the shapes of the scale generator: tiers, named ports that differ per pod, cross-namespace peers, ipBlocks. */
function world(): NetpolEngine {
  const docs: string[] = [];
  const tiers = ['frontend', 'backend', 'db'];
  for (let n = 0; n < 6; n++) {
    docs.push(ns(`ns-${n}`, { team: `t${n % 3}`, env: n % 2 ? 'prod' : 'dev' }));
    for (let i = 0; i < 7; i++) docs.push(pod(`ns-${n}`, `app-${i}`, { app: `app-${i}`, tier: tiers[i % 3]! }, [{ name: 'http', port: 8000 + (i % 2) }, { name: 'metrics', port: 9090 }]));
    if (n === 5) continue; // one namespace without policies
    docs.push(np('deny', `ns-${n}`, 'podSelector: {}\npolicyTypes: [Ingress]'));
    docs.push(np('be', `ns-${n}`, 'podSelector: {matchLabels: {tier: backend}}\ningress:\n- from: [{podSelector: {matchLabels: {tier: frontend}}}]\n  ports: [{port: http}]'));
    docs.push(np('fe', `ns-${n}`, `podSelector: {matchLabels: {tier: frontend}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: t${(n + 1) % 3}}}\n    podSelector: {matchExpressions: [{key: tier, operator: In, values: [frontend, backend]}]}\n  ports: [{port: 8000, endPort: 8001}]\n- from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n  ports: [{port: http}]`));
    docs.push(np('db', `ns-${n}`, 'podSelector: {matchLabels: {tier: db}}\npolicyTypes: [Ingress, Egress]\ningress:\n- from: [{podSelector: {matchLabels: {tier: backend}}}]\n  ports: [{port: http}, {port: metrics}]\negress:\n- to: [{namespaceSelector: {matchLabels: {env: prod}}}]\n  ports: [{port: metrics}]'));
    docs.push(np('out', `ns-${n}`, `podSelector: {matchLabels: {tier: frontend}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32, 10.${n}.0.0/16]}}]\n- to: [{namespaceSelector: {matchLabels: {env: prod}}}]`));
  }
  return engineFrom(...docs);
}

/** The same list computed pair by pair with the per-pod engine (the reference semantics). */
function bruteForce(engine: NetpolEngine): string[] {
  const m = computeMatrix(engine);
  const out: string[] = [];
  for (const s of m.workloads)
    for (const d of m.workloads) {
      if (s === d) continue;
      const v = engine.connection({ kind: 'pod', pod: engine.pods[s.pods[0]!]! }, { kind: 'pod', pod: engine.pods[d.pods[0]!]! });
      if (!isEmpty(v.allowed)) out.push(`${s.key} => ${d.key} : ${formatPorts(v.allowed)}`);
    }
  for (const a of m.ingressAtoms)
    for (const d of m.workloads) {
      const v = engine.ingress({ kind: 'external', range: a }, engine.pods[d.pods[0]!]!);
      if (!isEmpty(v.allowed)) out.push(`${formatInterval(a)}[External] => ${d.key} : ${formatPorts(v.allowed)}`);
    }
  for (const s of m.workloads)
    for (const a of m.egressAtoms) {
      const v = engine.egress(engine.pods[s.pods[0]!]!, { kind: 'external', range: a });
      if (!isEmpty(v.allowed)) out.push(`${s.key} => ${formatInterval(a)}[External] : ${formatPorts(v.allowed)}`);
    }
  return out.sort();
}

test('class matrix: every workload pair and external range agrees with the per-pod engine', () => {
  const engine = world();
  const m = computeMatrix(engine);
  const got = connectionList(m).map(lineOf);
  const expected = bruteForce(engine);
  assert.deepEqual(got, [...got].sort(), 'lines come out in np-guard order');
  assert.deepEqual(got, expected);
  console.log(`class matrix: ${engine.pods.length} pods in ${m.classes.length} classes; ${got.length}/${expected.length} lines agree with the per-pod engine`);
  assert.ok(m.classes.length < engine.pods.length, 'pods collapse into fewer classes');
});

test('classes collapse pods that differ only in what no policy reads, and keep apart what one does', () => {
  const engine = world();
  const m = computeMatrix(engine);
  // ns-5 has no policies: its pods differ by the app label (no policy reads it) and by tier. Other
  // namespaces' peers select tier In [frontend, backend]: those two tiers collapse into one class
  // (the named port http differs between them, but no rule that can reach them uses it); db pods
  // stay apart.
  const ns5 = m.workloads.filter((w) => w.namespace === 'ns-5');
  const tierOf = (key: string) => Number(key.match(/app-(\d)/)![1]) % 3;
  const dbClasses = new Set(ns5.filter((w) => tierOf(w.key) === 2).map((w) => w.classes[0]));
  const otherClasses = new Set(ns5.filter((w) => tierOf(w.key) !== 2).map((w) => w.classes[0]));
  assert.ok([...dbClasses].every((c) => !otherClasses.has(c)));
  assert.equal(otherClasses.size, 1, 'frontends and backends of ns-5: one class');
  // Backends read the named port http as destinations: different numbers, different classes.
  const backends = m.workloads.filter((w) => w.namespace === 'ns-0' && tierOf(w.key) === 1);
  assert.equal(new Set(backends.map((w) => w.classes[0])).size, 2);
});

test('grouped by class: one line per class pair stands for every workload pair of the two classes', () => {
  const engine = world();
  const m = computeMatrix(engine);
  const views = classViews(m);
  const byLabel = new Map(views.map((v) => [v.label, v]));
  const expanded = new Set<string>();
  for (const c of classConnections(m, views)) {
    const froms = byLabel.get(c.from)?.workloads ?? [c.from];
    const tos = byLabel.get(c.to)?.workloads ?? [c.to];
    for (const f of froms) for (const t of tos) if (f !== t) expanded.add(`${f} => ${t} : ${c.connections}`);
  }
  assert.deepEqual([...expanded].sort(), connectionList(m).map(lineOf));
  assert.equal(views.reduce((n, v) => n + v.workloads.length, 0), m.workloads.length);
});

test('namespace summary counts sources in other namespaces through classes', () => {
  const m = computeMatrix(world());
  const s = namespaceSummary(m);
  const ns5 = s.find((x) => x.namespace === 'ns-5')!;
  assert.deepEqual(ns5, { namespace: 'ns-5', workloads: 7, ingressOpen: 7, egressOpen: 7, reachableFromOtherNamespaces: 7, reachableFromOutside: 7, wideOpen: true });
  const ns0 = s.find((x) => x.namespace === 'ns-0')!;
  assert.equal(ns0.ingressOpen, 0);
  assert.equal(ns0.reachableFromOutside, 3, 'the frontends, through the ipBlock rule on http');
});
