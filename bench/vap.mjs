#!/usr/bin/env node
// ValidatingAdmissionPolicy throughput: generated Deployments, Pods and ConfigMaps (with their
// Namespaces and RBAC) evaluated by the realistic test policies (7 policies, CEL with variables,
// params, the authorizer), against the parse-only time of the same input; several sizes.
// Runs against dist/ (npm run build first). Usage: node bench/vap.mjs [sizes=1000,10000,30000]
// Then the CEL libraries compared (@marcbachmann/cel-js, which Rampart uses, and @bufbuild/cel when installed).
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

const { loadPolicies } = await import('../dist/analyses/vap/policy.js');
const cpu = (f) => {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const out = f();
  const c = process.cpuUsage(c0);
  return { out, cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - w0 };
};

// Loading: compile, static cost estimate and schema check of every expression, per policy.
const loadRuns = 50;
const loaded = cpu(() => { let l; for (let i = 0; i < loadRuns; i++) l = loadPolicies(policies); return l; });
console.log(`policy load (compile + cost estimate + schema check): ${((loaded.cpuMs * 1000) / (loadRuns * loaded.out.policies.size)).toFixed(0)} us CPU per policy (${loaded.out.policies.size} policies, ${loaded.out.errors.length} errors)\n`);
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

// CEL libraries side by side on the same expressions (core CEL both evaluate; no Kubernetes
// extension functions) and objects: compile (parse + plan/check) and evaluation. @bufbuild/cel is
// not a dependency: install it for the comparison with `npm install --no-save @bufbuild/cel @bufbuild/protobuf`.
const { Environment } = await import('@marcbachmann/cel-js');
const { toCel } = await import('../dist/analyses/vap/cel.js');
let buf;
try {
  buf = await import('@bufbuild/cel');
} catch {
  console.log('\n@bufbuild/cel not installed: library comparison skipped (npm install --no-save @bufbuild/cel @bufbuild/protobuf)');
}
if (buf) {
  const EXPRS = [
    'object.kind != "Deployment" || object.spec.replicas <= 5',
    "has(object.metadata.labels) && 'team' in object.metadata.labels && 'app' in object.metadata.labels",
    "object.kind != 'Pod' || object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))",
    "object.kind != 'Pod' || !object.spec.containers.exists(c, has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged)",
  ];
  const FEATURES = { 'optional field (object.?a)': 'object.?a.orValue(1) == 1', 'cel.bind': 'cel.bind(x, 1, x + 1) == 2' };
  const celjs = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  celjs.registerVariable('object', 'dyn');
  const bufEnv = buf.celEnv();
  const libs = {
    '@marcbachmann/cel-js': { compile: (s) => { const p = celjs.parse(s); if (!p.check().valid) throw new Error(s); return (o) => p({ object: o }); } },
    '@bufbuild/cel': { compile: (s) => { const f = buf.plan(bufEnv, buf.parse(s)); return (o) => f({ object: o }); } },
  };
  const objects = loadText(manifests(Math.min(sizes[0], 10000)), 'bench.yaml').resources.map((r) => toCel(r.object));
  console.log(`\nCEL libraries: ${EXPRS.length} expressions x ${objects.length} objects (same inputs, ints as BigInt)`);
  console.log('library                 compile us/expr  eval cpu ms  evals/cpu-s  agree  ' + Object.keys(FEATURES).join('  '));
  const answers = {};
  for (const [name, lib] of Object.entries(libs)) {
    const reps = 200;
    const comp = cpu(() => { let fs; for (let i = 0; i < reps; i++) fs = EXPRS.map(lib.compile); return fs; });
    const fns = comp.out;
    const ev = cpu(() => fns.map((f) => objects.map((o) => { const v = f(o); return v === true ? 1 : v === false ? 0 : 'error'; }).join('')));
    answers[name] = ev.out;
    const agree = answers['@marcbachmann/cel-js'].every((a, i) => a === ev.out[i]) ? 'yes' : 'NO';
    const feats = Object.values(FEATURES).map((s) => { try { return lib.compile(s)({ a: 1n }) === true ? 'yes' : 'no'; } catch { return 'no'; } });
    console.log([name.padEnd(22), ((comp.cpuMs * 1000) / (reps * EXPRS.length)).toFixed(1).padStart(16), ev.cpuMs.toFixed(0).padStart(12), ((EXPRS.length * objects.length) / (ev.cpuMs / 1000)).toFixed(0).padStart(11), agree.padStart(7), ...feats.map((f, i) => f.padStart(Object.keys(FEATURES)[i].length))].join('  '));
  }
}
