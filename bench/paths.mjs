#!/usr/bin/env node
// Benchmark: attack paths and choke points on a generated world, beside the time to load it.
// The world at scale 1: 30k pods (Deployments, ../shared/perf/gen-netpol.mjs, 1k NetworkPolicies),
// 10k RBAC objects (../shared/perf/gen-rbac.mjs: Roles, ClusterRoles and bindings) and, written
// here, 3k Services (1 in 10 LoadBalancer, 1 in 10 NodePort), 50 NetworkPolicies admitting the
// internet to frontends, a few breakout pods and DaemonSets, so that paths exist through every kind of step. Smaller scales shrink every count.
// Each measurement runs in a fresh child process so that peak RSS is its own; CPU is user + sys
// of that process (process.cpuUsage), phases: load (parse the YAML into resources: the floor),
// graph (buildAttackGraph: exposure, NetworkPolicy classes, breakout, tokens, RBAC escalation),
// analyse (ranked paths and the min-cut choke points). Target at 30k pods: graph + analyse
// ≤ 10 s CPU and peak RSS ≤ 1 GB. Runs against dist/ (npm run build first).
// Usage: node bench/paths.mjs [--scales 0.25,0.5,1] [--runs 1]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.25,0.5,1' },
    runs: { type: 'string', default: '1' },
    child: { type: 'string', multiple: true },
    phase: { type: 'string' },
  },
});

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

if (values.child) {
  const { loadText } = await import('../dist/input/files.js');
  const { rbacScanSettings } = await import('../dist/input/rbac-defaults.js');
  const { ResourceIndex } = await import('../dist/model/index.js');
  const pa = await import('../dist/analyses/paths/index.js');
  const wall0 = performance.now();
  const out = {};
  let t = cpu();
  const resources = [];
  for (const f of values.child) {
    const l = loadText(readFileSync(f, 'utf8'), path.basename(f));
    if (l.errors.length) throw new Error(l.errors[0].message);
    resources.push(...l.resources);
  }
  out.load = cpu() - t;
  out.loadWall = performance.now() - wall0;
  if (values.phase === 'all') {
    t = cpu();
    const rbac = await rbacScanSettings(undefined, false, resources);
    const graph = pa.buildAttackGraph(new ResourceIndex(resources), { rbac: rbac.settings });
    out.graph = cpu() - t;
    t = cpu();
    const a = pa.analysePaths(graph);
    out.analyse = cpu() - t;
    out.nodes = graph.nodes.size;
    out.edges = graph.edges.length;
    out.lateral = graph.edges.filter((e) => e.kind === 'lateral').length;
    out.paths = a.paths.length + (a.truncated ? '+' : '');
    out.chokePoints = a.chokePoints.length;
    out.notEvaluated = graph.notEvaluated.length;
  }
  out.wall = performance.now() - wall0;
  out.maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const perf = path.resolve('../shared/perf');
if (!existsSync(path.join(perf, 'gen-netpol.mjs')) || !existsSync(path.join(perf, 'gen-rbac.mjs'))) {
  console.error(`paths bench: SKIPPED — the world generators in ${path.relative(process.cwd(), perf)} are absent`);
  process.exit(0);
}

/** Services selecting the generated Deployments (app-i in ns-n), a few breakout pods and DaemonSets with powerful accounts. */
function extras(file, { services, namespaces, podsPerNs }) {
  const docs = [];
  for (let s = 0; s < services; s++) {
    const n = s % namespaces;
    const i = Math.floor(s / namespaces) % podsPerNs;
    const type = s % 10 === 0 ? 'LoadBalancer' : s % 10 === 1 ? 'NodePort' : 'ClusterIP';
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: svc-${s}, namespace: ns-${n}}\nspec: {type: ${type}, selector: {app: app-${i}}, ports: [{port: 80, targetPort: http}]}`);
  }
  // Every namespace denies ingress by default (gen-netpol); in 1 of 10 the frontends admit the internet.
  for (let n = 0; n < namespaces; n += 10)
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-internet, namespace: ns-${n}}\nspec:\n  podSelector: {matchLabels: {tier: frontend}}\n  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]`);
  // Per 50 namespaces: an exposed breakout pod, a node agent whose account (sa-0) is cluster-admin, and a
  // backend api (reachable from frontends on its named port) whose account (sa-1) reads every Secret.
  docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: secret-reader}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]`);
  for (let n = 0; n < namespaces; n += 50) {
    const bind = (name, sa, role) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${name}-${n}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}\nsubjects: [{kind: ServiceAccount, name: ${sa}, namespace: ns-${n}}]`;
    docs.push(bind('agent', 'sa-0', 'cluster-admin'), bind('api', 'sa-1', 'secret-reader'));
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ns-${n}}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api, tier: backend}}\n    spec:\n      serviceAccountName: sa-1\n      containers: [{name: c, image: registry.example/api:1, ports: [{name: http, containerPort: 8000}]}]`);
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: debug, namespace: ns-${n}}\nspec:\n  selector: {matchLabels: {app: debug}}\n  template:\n    metadata: {labels: {app: debug, tier: frontend}}\n    spec:\n      hostPID: true\n      containers: [{name: c, image: registry.example/debug:1}]`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: debug, namespace: ns-${n}}\nspec: {type: NodePort, selector: {app: debug}, ports: [{port: 80}]}`);
    docs.push(`apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ns-${n}}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      serviceAccountName: sa-0\n      containers: [{name: c, image: registry.example/agent:1}]`);
  }
  writeFileSync(file, docs.join('\n---\n') + '\n');
}

const scales = values.scales.split(',').map(Number);
const RUNS = Number(values.runs);
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-paths-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (files, phase) => {
  const r = spawnSync(process.execPath, [process.argv[1], ...files.flatMap((f) => ['--child', f]), '--phase', phase], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const gen = (script, args) => {
  const g = spawnSync(process.execPath, [path.join(perf, script), ...args], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(g.stderr);
};
const rows = [];
try {
  for (const scale of scales) {
    const pods = Math.round(30000 * scale);
    const namespaces = Math.max(50, Math.round(500 * scale));
    const policies = Math.round(1000 * scale);
    const rbacObjects = Math.round(10000 * scale);
    const services = Math.round(3000 * scale);
    // RBAC first: both generators write the same Namespaces, and the netpol ones carry the labels policies select on.
    const files = ['rbac', 'netpol', 'extras'].map((k) => path.join(dir, `${k}-${scale}.yaml`));
    gen('gen-rbac.mjs', [files[0], '--roles', String(Math.round(rbacObjects / 3)), '--bindings', String(rbacObjects - Math.round(rbacObjects / 3)), '--namespaces', String(namespaces)]);
    gen('gen-netpol.mjs', [files[1], '--pods', String(pods), '--namespaces', String(namespaces), '--policies', String(policies)]);
    extras(files[2], { services, namespaces, podsPerNs: Math.ceil(pods / namespaces) });
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const floor = [];
    const full = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(measure(files, 'load'));
      full.push(measure(files, 'all'));
    }
    const med = (list, k) => median(list.map((x) => x[k]));
    rows.push({ scale, pods, services, rbacObjects, policies, bytes, ...full[0], load: med(full, 'load'), floorLoad: med(floor, 'load'), floorWall: med(floor, 'wall'), floorRss: med(floor, 'maxRss'), graph: med(full, 'graph'), analyse: med(full, 'analyse'), wall: med(full, 'wall'), maxRss: med(full, 'maxRss') });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ms = (x) => `${x.toFixed(0)} ms`;
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const table = [
  ['pods / services / RBAC objects / policies', ...rows.map((r) => `${r.pods}/${r.services}/${r.rbacObjects}/${r.policies}`)],
  ['input', ...rows.map((r) => mib(r.bytes))],
  ['graph nodes / edges (lateral)', ...rows.map((r) => `${r.nodes}/${r.edges} (${r.lateral})`)],
  ['paths / choke points / not evaluated', ...rows.map((r) => `${r.paths}/${r.chokePoints}/${r.notEvaluated}`)],
  ['load the world (floor), CPU / wall', ...rows.map((r) => `${ms(r.floorLoad)} / ${ms(r.floorWall)}`)],
  ['graph, CPU', ...rows.map((r) => ms(r.graph))],
  ['paths + choke points, CPU', ...rows.map((r) => ms(r.analyse))],
  ['graph + paths + choke, CPU (target ≤ 10 s at 30k)', ...rows.map((r) => ms(r.graph + r.analyse))],
  ['  ÷ load CPU', ...rows.map((r) => `${((r.graph + r.analyse) / r.floorLoad).toFixed(2)}×`)],
  ['wall, whole run', ...rows.map((r) => ms(r.wall))],
  ['peak RSS (load only) (target ≤ 1 GB)', ...rows.map((r) => `${mib(r.maxRss)} (${mib(r.floorRss)})`)],
  ['peak RSS ÷ input', ...rows.map((r) => `${(r.maxRss / r.bytes).toFixed(1)}× (load ${(r.floorRss / r.bytes).toFixed(1)}×)`)],
];
const width = table.map((r) => r[0].length).reduce((a, b) => Math.max(a, b));
const colw = table.flatMap((r) => r.slice(1)).map((c) => c.length).reduce((a, b) => Math.max(a, b)) + 2;
console.log(`paths bench: medians of ${RUNS} paired runs (load only and full alternate), CPU = user + sys of one process`);
for (const r of table) console.log(r[0].padEnd(width) + r.slice(1).map((c) => c.padStart(colw)).join(''));
