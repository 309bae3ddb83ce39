#!/usr/bin/env node
// ValidatingAdmissionPolicy throughput: generated Deployments, Pods and ConfigMaps (with their
// Namespaces and RBAC) evaluated by the realistic test policies (7 policies, CEL with variables,
// params, the authorizer), against the parse-only time of the same input; several sizes.
// Runs against dist/ (npm run build first). Usage: node bench/vap.mjs [sizes=1000,10000,30000]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadText } from '../dist/input/files.js';
import { scanPolicies } from '../dist/analyses/vap/scan.js';
import { rbacAuthorize } from '../dist/analyses/vap/rbac-authorize.js';
import { ResourceIndex } from '../dist/model/index.js';

const sizes = (process.argv[2] ?? '1000,10000,30000').split(',').map(Number);
const policies = loadText(readFileSync('test/vap/fixtures/realistic-policies.yaml', 'utf8'), 'policies.yaml').resources;

function manifests(n) {
  const docs = [];
  for (let ns = 0; ns < 20; ns++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns${ns}, labels: {tier: t${ns % 3}}}`);
  for (let ns = 0; ns < 20; ns++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: replica-limit, namespace: ns${ns}}\ndata: {maxReplicas: "${ns + 2}"}`);
  docs.push('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: ns1}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: Group, name: devs}]');
  for (let i = 0; docs.length < n; i++) {
    const ns = `ns${i % 20}`;
    const labels = i % 4 ? `labels: {team: t${i % 7}, app: a${i}}` : 'labels: {app: a}';
    if (i % 3 === 0) docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: ${ns}, ${labels}}\nspec:\n  replicas: ${i % 12}\n  template: {spec: {containers: [{name: c, image: registry.example.com/app:${i}}]}}`);
    else if (i % 3 === 1) docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${ns}}\nspec:\n  containers:\n    - {name: c, image: ${i % 5 ? 'registry.example.com' : 'docker.io'}/app:${i}, securityContext: {privileged: ${i % 11 === 0}}}\n    - {name: d, image: registry.example.com/side:1}`);
    else docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: ${ns}${i % 9 === 0 ? ', labels: {protected: "true"}' : ''}}\ndata: {k: v}`);
  }
  return docs.join('\n---\n') + '\n';
}

const cpu = (f) => {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const out = f();
  const c = process.cpuUsage(c0);
  return { out, cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - w0 };
};

console.log('objects  parse cpu ms  vap cpu ms  vap wall ms  vap/parse  objects/s (vap)  findings  peak RSS MB  RSS/input');
for (const n of sizes) {
  const text = manifests(n);
  const parsed = cpu(() => loadText(text, 'bench.yaml'));
  const resources = parsed.out.resources;
  const run = cpu(() => {
    const r = scanPolicies({ policyObjects: policies, resources, old: [], user: { username: 'ci', groups: ['devs', 'system:authenticated'] }, authorize: rbacAuthorize(new ResourceIndex(resources), { rbac: { defaults: false } }) });
    let findings = 0;
    for (const rule of r.rules) for (const res of resources) rule.check({ resource: res, report: () => findings++ });
    if (r.errors.length) throw new Error(r.errors[0].message);
    return findings;
  });
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  console.log(
    [String(resources.length).padStart(7), parsed.cpuMs.toFixed(0).padStart(13), run.cpuMs.toFixed(0).padStart(11), run.wallMs.toFixed(0).padStart(12), (run.cpuMs / parsed.cpuMs).toFixed(2).padStart(10), ((resources.length / run.wallMs) * 1000).toFixed(0).padStart(16), String(run.out).padStart(9), rssMb.toFixed(0).padStart(12), (rssMb / (text.length / 2 ** 20)).toFixed(1).padStart(10)].join(' '),
  );
}
