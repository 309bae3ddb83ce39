#!/usr/bin/env node
// Benchmark: NetworkPolicy connectivity matrix for 2,000 pods in 100 namespaces with 500 policies.
// Runs against dist/ (npm run build first). Prints time and memory for each phase.
// Usage: node bench/netpol.mjs [--pods N] [--namespaces N] [--policies N] [--runs N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadText } from '../dist/input/files.js';
import { clusterFromResources, computeMatrix, connectionList, namespaceSummary, NetpolEngine } from '../dist/analyses/netpol/index.js';
import { whoCanReach } from '../dist/analyses/netpol/query.js';
import { runEngine } from '../dist/engine/run.js';
import { netpolRules } from '../dist/rules/netpol/index.js';
import { exposureRules } from '../dist/rules/exposure/index.js';

const { values } = parseArgs({
  options: { pods: { type: 'string', default: '2000' }, namespaces: { type: 'string', default: '100' }, policies: { type: 'string', default: '500' }, runs: { type: 'string', default: '3' } },
});
const PODS = Number(values.pods);
const NS = Number(values.namespaces);
const POLICIES = Number(values.policies);
const RUNS = Number(values.runs);

// Deterministic synthetic cluster: every namespace gets PODS/NS Deployments in three tiers and
// POLICIES/NS policies drawn from the common shapes (default deny, tier-to-tier on a named port,
// cross-namespace by label, DNS egress, ipBlock egress with except).
function generate() {
  const docs = [];
  const perNs = Math.ceil(PODS / NS);
  const tiers = ['frontend', 'backend', 'db'];
  let pods = 0;
  for (let n = 0; n < NS; n++) {
    const ns = `ns-${n}`;
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {team: t${n % 10}, env: ${n % 2 ? 'prod' : 'dev'}}`);
    for (let i = 0; i < perNs && pods < PODS; i++, pods++) {
      const tier = tiers[i % 3];
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ${ns}}\nspec:\n  template:\n    metadata: {labels: {app: app-${i}, tier: ${tier}}}\n    spec:\n      containers:\n      - name: c\n        image: registry.example/app:1\n        ports: [{name: http, containerPort: ${8000 + (i % 5)}}, {name: metrics, containerPort: 9090}]`);
    }
  }
  const perNsPolicies = Math.ceil(POLICIES / NS);
  let policies = 0;
  const shapes = [
    (ns) => `podSelector: {}\n  policyTypes: [Ingress]`,
    (ns) => `podSelector: {matchLabels: {tier: backend}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {tier: frontend}}}]\n    ports: [{port: http}]`,
    (ns, n) => `podSelector: {matchLabels: {tier: frontend}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: t${(n + 1) % 10}}}\n      podSelector: {matchExpressions: [{key: tier, operator: In, values: [frontend, backend]}]}\n    ports: [{port: 8000, endPort: 8004}]`,
    (ns) => `podSelector: {matchLabels: {tier: db}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from: [{podSelector: {matchLabels: {tier: backend}}}]\n    ports: [{port: http}, {port: metrics}]\n  egress:\n  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n    ports: [{port: 53, protocol: UDP}]`,
    (ns, n) => `podSelector: {matchLabels: {tier: frontend}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32, 10.${n % 256}.0.0/16]}}]\n  - to: [{namespaceSelector: {matchLabels: {env: prod}}}]`,
  ];
  for (let n = 0; n < NS && policies < POLICIES; n++) {
    for (let k = 0; k < perNsPolicies && policies < POLICIES; k++, policies++) {
      docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p-${k}, namespace: ns-${n}}\nspec:\n  ${shapes[k % shapes.length](`ns-${n}`, n)}`);
    }
  }
  return { text: docs.join('\n---\n') + '\n', pods, policies };
}

const mb = (b) => (b / 1048576).toFixed(1);
const results = [];
for (let run = 0; run < RUNS; run++) {
  globalThis.gc?.();
  const base = process.memoryUsage();
  const t0 = performance.now();
  const { text, pods, policies } = generate();
  const t1 = performance.now();
  const load = loadText(text, 'bench.yaml');
  if (load.errors.length) throw new Error(load.errors[0].message);
  const t2 = performance.now();
  const cluster = clusterFromResources(load.resources);
  const engine = new NetpolEngine(cluster);
  const t3 = performance.now();
  const matrix = computeMatrix(engine);
  const t4 = performance.now();
  const lines = connectionList(matrix);
  const summary = namespaceSummary(matrix);
  const t5 = performance.now();
  const who = whoCanReach(engine, matrix, 'ns-1/app-1', 'http/TCP');
  const t6 = performance.now();
  const scan = runEngine(load, { rules: [...netpolRules, ...exposureRules] });
  const t7 = performance.now();
  const mem = process.memoryUsage();
  results.push({ parse: t2 - t1, model: t3 - t2, matrix: t4 - t3, list: t5 - t4, who: t6 - t5, scan: t7 - t6, findings: scan.findings.length, total: t7 - t1, rss: mem.rss, heap: mem.heapUsed - base.heapUsed, pods, policies, workloads: matrix.workloads.length, lines: lines.length, sources: who.sources.length, portSets: matrix.table.sets.length });
}
const r = results[results.length - 1];
const best = (k) => Math.min(...results.map((x) => x[k])).toFixed(0);
console.log(`netpol bench: ${r.pods} pods (${r.workloads} workloads) in ${NS} namespaces, ${r.policies} policies, ${RUNS} runs (best of)`);
console.log(`  parse YAML          ${best('parse')} ms`);
console.log(`  build model         ${best('model')} ms`);
console.log(`  matrix ${r.workloads}x${r.workloads}   ${best('matrix')} ms  (${r.portSets} distinct port sets)`);
console.log(`  connection list     ${best('list')} ms  (${r.lines} allowed lines, namespace summary included)`);
console.log(`  who-can-reach       ${best('who')} ms  (${r.sources} sources)`);
console.log(`  scan rules          ${best('scan')} ms  (netpol/* + exposure/*, ${r.findings} findings)`);
console.log(`  total               ${best('total')} ms`);
console.log(`  memory: rss ${mb(r.rss)} MiB, heap growth ${mb(r.heap)} MiB (last run)`);
