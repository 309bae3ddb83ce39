#!/usr/bin/env node
// RBAC index build time and who-can query time on a generated cluster (default: 10k roles, 20k
// bindings across 500 namespaces, plus the bundled bootstrap policy). Runs against dist/ (run
// `npm run build` first).
//
//   node bench/rbac.mjs [--roles N] [--bindings N] [--namespaces N] [--queries N] [--seed N]
//
// Prints the figures; the target is a who-can query under 50 ms once the index is built.
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROLES = opt('roles', 10_000);
const BINDINGS = opt('bindings', 20_000);
const NAMESPACES = opt('namespaces', 500);
const QUERIES = opt('queries', 500);
let seed = opt('seed', 42);

if (!existsSync('dist/analyses/rbac/authorizer.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { loadRbacDefaults } = await import('../dist/input/rbac-defaults.js');
const { policyFromResources, mergePolicies } = await import('../dist/analyses/rbac/policy.js');
const { RbacIndex } = await import('../dist/analyses/rbac/authorizer.js');
const { serviceAccountUser } = await import('../dist/analyses/rbac/match.js');
const { clusterFactsFrom } = await import('../dist/analyses/rbac/facts.js');
const { EscalationGraph } = await import('../dist/analyses/rbac/escalation.js');

// Deterministic pseudo-random numbers (mulberry32) so runs are comparable.
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const some = (a, max) => [...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(a)))];

const RESOURCES = [
  ['', 'pods'], ['', 'pods/exec'], ['', 'pods/log'], ['', 'services'], ['', 'configmaps'], ['', 'secrets'], ['', 'serviceaccounts'],
  ['', 'persistentvolumeclaims'], ['', 'events'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'deployments/scale'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['networking.k8s.io', 'ingresses'], ['networking.k8s.io', 'networkpolicies'], ['example.com', 'widgets'],
  ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings'], ['coordination.k8s.io', 'leases'],
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const ns = (i) => `ns-${i}`;

function rules() {
  const out = [];
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const [g, r] = pick(RESOURCES);
    out.push({ apiGroups: [rand() < 0.02 ? '*' : g], resources: [r], verbs: rand() < 0.05 ? ['*'] : some(VERBS, 4) });
  }
  return out;
}

// Objects are built in memory as the input layer would return them (YAML parsing is measured by bench/scan.mjs).
const resources = [];
function add(kind, name, namespace, labels, object) {
  const metadata = { name, ...(namespace ? { namespace } : {}), labels };
  const obj = { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, ...object };
  resources.push({ apiVersion: obj.apiVersion, kind, name, ...(namespace ? { namespace } : {}), labels, annotations: {}, object: obj, file: 'generated', docIndex: resources.length, basePath: '', locator: { locate: (path) => ({ file: 'generated', line: 1, column: 1, path }) } });
}
const clusterRoles = Math.floor(ROLES / 5);
for (let i = 0; i < clusterRoles; i++) {
  const agg = i % 50 === 0 && i > 0;
  add('ClusterRole', `cr-${i}`, undefined, { 'bench/aggregate-to': `g${i % 10}` }, agg ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'bench/aggregate-to': `g${i % 10}` } }] } } : { rules: rules() });
}
for (let i = 0; i < ROLES - clusterRoles; i++) add('Role', `role-${i}`, ns(i % NAMESPACES), {}, { rules: rules() });
function subjects(n) {
  const out = [];
  const k = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < k; i++) {
    const x = rand();
    if (x < 0.5) out.push({ kind: 'ServiceAccount', name: `sa-${Math.floor(rand() * 20)}`, namespace: ns(n) });
    else if (x < 0.8) out.push({ kind: 'User', name: `user-${Math.floor(rand() * 2000)}` });
    else out.push({ kind: 'Group', name: `group-${Math.floor(rand() * 200)}` });
  }
  return out;
}
const crbs = Math.floor(BINDINGS / 5);
const rolesPerNs = Math.floor((ROLES - clusterRoles) / NAMESPACES);
for (let i = 0; i < crbs; i++) {
  add('ClusterRoleBinding', `crb-${i}`, undefined, {}, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${Math.floor(rand() * clusterRoles)}` }, subjects: subjects(Math.floor(rand() * NAMESPACES)) });
}
for (let i = 0; i < BINDINGS - crbs; i++) {
  const n = i % NAMESPACES;
  const roleRef = rand() < 0.3 ? { kind: 'ClusterRole', name: `cr-${Math.floor(rand() * clusterRoles)}` } : { kind: 'Role', name: `role-${Math.floor(rand() * rolesPerNs) * NAMESPACES + n}` };
  add('RoleBinding', `rb-${i}`, ns(n), {}, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects: subjects(n) });
}
const load = { resources };

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const defaults = await loadRbacDefaults();
let t0 = process.hrtime.bigint();
const policy = mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources));
const policyMs = ms(t0);
t0 = process.hrtime.bigint();
const index = new RbacIndex(policy);
const indexMs = ms(t0);

// Warm-up so the figures are steady-state query times, not JIT compilation.
for (let i = 0; i < 20; i++) index.whoCan({ kind: 'resource', verb: 'get', namespace: ns(i), apiGroup: '', resource: 'pods', subresource: '', name: '' });
const times = [];
let total = 0;
for (let q = 0; q < QUERIES; q++) {
  const [g, r] = pick(RESOURCES);
  const [resource, subresource = ''] = r.split('/');
  const kind = q % 10;
  const req = kind === 9 ? { kind: 'nonResource', verb: 'get', path: pick(['/metrics', '/healthz', '/apis/apps']) } : { kind: 'resource', verb: pick(VERBS), namespace: kind < 6 ? ns(Math.floor(rand() * NAMESPACES)) : '', apiGroup: g, resource, subresource, name: '' };
  const t = process.hrtime.bigint();
  total += index.whoCan(req).length;
  const took = ms(t);
  if (took > (times.slowest?.took ?? -1)) times.slowest = { took, req };
  times.push(took);
}
const slowest = times.slowest;
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];

const allowTimes = [];
for (let i = 0; i < QUERIES; i++) {
  const user = serviceAccountUser(ns(Math.floor(rand() * NAMESPACES)), `sa-${Math.floor(rand() * 20)}`);
  const [g, r] = pick(RESOURCES);
  const [resource, subresource = ''] = r.split('/');
  const t = process.hrtime.bigint();
  index.allows(user, { kind: 'resource', verb: pick(VERBS), namespace: user.name.split(':')[2], apiGroup: g, resource, subresource, name: '' });
  allowTimes.push(ms(t));
}
allowTimes.sort((a, b) => a - b);

t0 = process.hrtime.bigint();
const graph = new EscalationGraph(index, clusterFactsFrom(load.resources, policy));
const start = { kind: 'ServiceAccount', name: 'sa-1', namespace: ns(1) };
const path = graph.shortestPath(start, 'cluster-admin');
const pathMs = ms(t0);
t0 = process.hrtime.bigint();
const all = graph.paths(['cluster-admin']);
const allPathsMs = ms(t0);

const f = (x) => x.toFixed(2);
console.log(`rbac bench: ${policy.roles.length} roles, ${policy.bindings.length} bindings (generated ${ROLES}/${BINDINGS} + bootstrap defaults), ${NAMESPACES} namespaces`);
console.log(`  read RBAC objects:           ${f(policyMs)} ms`);
console.log(`  index build (incl. aggregation): ${f(indexMs)} ms`);
const over = times.filter((x) => x >= 50).length;
console.log(`  who-can x${QUERIES}: median ${f(q(0.5))} ms, p95 ${f(q(0.95))} ms, p99 ${f(q(0.99))} ms, max ${f(times[times.length - 1])} ms (avg ${(total / QUERIES).toFixed(0)} subjects/answer); ${over} of ${QUERIES} at or over the 50 ms target`);
console.log(`    slowest: ${JSON.stringify(slowest.req)}`);
console.log(`  can-i (allows) x${QUERIES}: median ${f(allowTimes[Math.floor(QUERIES / 2)])} ms, max ${f(allowTimes[allowTimes.length - 1])} ms`);
console.log(`  escalation path for ${start.namespace}/${start.name}: ${f(pathMs)} ms incl. graph set-up (${path ? path.steps.length + ' steps' : 'no path'})`);
console.log(`  rbac paths for every subject (${graph.startingSubjects().length}): ${f(allPathsMs)} ms, ${all.length} reach cluster-admin`);
