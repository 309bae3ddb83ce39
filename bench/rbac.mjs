#!/usr/bin/env node
// RBAC analysis at several sizes, side by side in one run: index build, who-can and can-i query times,
// escalation paths for one subject and for every subject, each on a FRESH graph (cold: nothing cached
// by an earlier query) and again on the same graph (warm). CPU time (process.cpuUsage, every thread of the
// process: GC and compiler threads count) and wall time. "Every subject, fresh process" is what
// `rampart rbac paths` pays for its one query: a process that has run no query before (no compiled code, no
// caches), measured from the graph's construction on, after the input, policy and index are built.
// Each size runs in its own child process so its peak RSS is its own. Runs against dist/ (`npm run build`).
//
//   node bench/rbac.mjs [--sizes 1000/2000,5000/10000,10000/20000] [--queries 500] [--broad 0.02] [--slowest 8]
//
// --slowest N: after the table, the N slowest who-can queries of each size (the ones that make the p99):
// request, whether it was the first of its kind (-A or not) for its resource, CPU and wall ms, and the GC
// pauses that overlapped it (CPU above wall is other threads: parallel GC, the optimising compiler).
//
// The world is the shared generator's (../shared/perf/gen-rbac.mjs): roles/bindings across
// namespaces (1 per 20 roles), 20 service accounts and 2 Deployments per namespace, ~1% risky
// rules, and a share of Group subjects bound to system:serviceaccounts (every service account).
// Targets (10k/20k): every subject <= 2 s CPU, one subject <= 200 ms, who-can p99 <= 10 ms, <= 1 GB.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureWorlds } from './rbac-worlds.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

if (!existsSync(path.join(root, 'dist/analyses/rbac/authorizer.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

if (args[0] === '--child') {
  await child(args[1], Number(opt('queries', 500)));
} else if (args[0] === '--paths-only') {
  await pathsOnly(args[1]);
} else if (args[0] === '--who-can-only') {
  await whoCanOnly(args[1]);
} else {
  const rows = measureWorlds(opt('sizes', '1000/2000,5000/10000,10000/20000'), opt('broad', '0.02'), fileURLToPath(import.meta.url), ['--queries', opt('queries', '500')]);
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const cols = rows.map((r) => r.label);
  const line = (label, get) => console.log(label.padEnd(40) + rows.map((r) => get(r).padStart(22)).join(''));
  console.log('rbac bench (CPU ms / wall ms; cold = fresh graph, warm = same graph again)');
  console.log('roles/bindings'.padEnd(40) + cols.map((c) => c.padStart(22)).join(''));
  line('input MB', (r) => (r.bytes / 1048576).toFixed(1));
  line('subjects (starting) / reach cluster-admin', (r) => `${r.starting} / ${r.found}`);
  line('policy + index build', (r) => `${f(r.index.cpu)} / ${f(r.index.wall)}`);
  line('who-can -A, fresh process, first query', (r) => `${f(r.whoCanCold.cpu)} / ${f(r.whoCanCold.wall)}`);
  line('who-can p50 / p99 (CPU ms)', (r) => `${r.whoCan.p50.toFixed(2)} / ${r.whoCan.p99.toFixed(2)}`);
  line('who-can -A only: p50 / p99 (CPU ms)', (r) => `${r.whoCanAll.p50.toFixed(2)} / ${r.whoCanAll.p99.toFixed(2)}`);
  line('can-i p50 / max (CPU ms)', (r) => `${r.canI.p50.toFixed(3)} / ${r.canI.max.toFixed(2)}`);
  line('paths, one subject, cold', (r) => `${f(r.one.cold.cpu)} / ${f(r.one.cold.wall)}`);
  line('paths, one subject, warm', (r) => `${f(r.one.warm.cpu)} / ${f(r.one.warm.wall)}`);
  line('paths, every subject, fresh process', (r) => `${f(r.fresh.cpu)} / ${f(r.fresh.wall)}`);
  line('paths, every subject, cold', (r) => `${f(r.all.cold.cpu)} / ${f(r.all.cold.wall)}`);
  line('paths, every subject, warm', (r) => `${f(r.all.warm.cpu)} / ${f(r.all.warm.wall)}`);
  line('every subject cold, CPU ms per subject', (r) => (r.all.cold.cpu / r.starting).toFixed(3));
  line('peak RSS MB (RSS / input)', (r) => `${r.maxRssMB} (${(r.maxRssMB / (r.bytes / 1048576)).toFixed(1)}x)`);
  const slowest = Number(opt('slowest', 8));
  for (const r of slowest > 0 ? rows : []) {
    console.log(`\n${r.label}: the ${slowest} slowest who-can queries (p99 is the ${r.whoCan.p99Rank}th slowest of ${r.whoCan.n})`);
    for (const x of r.slowest.slice(0, slowest))
      console.log(
        `  #${String(x.q).padEnd(4)} ${x.cpu.toFixed(2).padStart(7)} CPU ${x.wall.toFixed(2).padStart(7)} wall  ${x.verb} ${x.resource}${x.all ? ' -A' : ` ns=${x.namespace || '(cluster)'}`}` +
          `  ${x.first ? 'first for its resource' : 'repeat'}${x.gc ? `  GC ${x.gc}` : ''}`,
      );
  }
}

/** The modules of dist/ the bench drives. */
async function modules() {
  const imp = (p) => import(path.join(root, 'dist', p));
  return {
    ...(await imp('input/files.js')),
    ...(await imp('input/rbac-defaults.js')),
    ...(await imp('analyses/rbac/policy.js')),
    ...(await imp('analyses/rbac/authorizer.js')),
    ...(await imp('analyses/rbac/facts.js')),
    ...(await imp('analyses/rbac/escalation.js')),
    ...(await imp('analyses/rbac/match.js')),
  };
}

/** Paths of every subject in a process that has run nothing else (printed as JSON: cpu, wall, paths). */
async function pathsOnly(file) {
  const { loadInputs, loadRbacDefaults, policyFromResources, mergePolicies, RbacIndex, clusterFactsFrom, EscalationGraph } = await modules();
  const load = await loadInputs([file]);
  const defaults = await loadRbacDefaults();
  const policy = mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources));
  const index = new RbacIndex(policy, { assumeClusterAdmin: true });
  const facts = clusterFactsFrom(load.resources, policy);
  const c = cpuNow();
  const w = performance.now();
  const found = new EscalationGraph(index, facts).paths(['cluster-admin']).length;
  process.stdout.write(JSON.stringify({ cpu: cpuNow() - c, wall: performance.now() - w, found }));
}

/**
 * What one `rampart rbac who-can -A` pays for its only query: a fresh index in a process that has run no query
 * (printed as JSON: cpu, wall). Its own process, so the structures it builds are not promoted by the GC pauses
 * of the timed queries that follow in the child (they were, when it ran there).
 */
async function whoCanOnly(file) {
  const { loadInputs, loadRbacDefaults, policyFromResources, mergePolicies, RbacIndex } = await modules();
  const load = await loadInputs([file]);
  const defaults = await loadRbacDefaults();
  const index = new RbacIndex(mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources)), { assumeClusterAdmin: true });
  const c = cpuNow();
  const w = performance.now();
  index.whoCan({ kind: 'resource', verb: 'get', namespace: '', apiGroup: '', resource: 'configmaps', subresource: '', name: '' }, { allNamespaces: true });
  process.stdout.write(JSON.stringify({ cpu: cpuNow() - c, wall: performance.now() - w }));
}

async function child(file, queries) {
  const inFresh = (mode) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const fresh = inFresh('--paths-only');
  const whoCanCold = inFresh('--who-can-only');
  const { loadInputs, loadRbacDefaults, policyFromResources, mergePolicies, RbacIndex, clusterFactsFrom, EscalationGraph, serviceAccountUser } = await modules();
  const time = (fn) => {
    const c = cpuNow();
    const w = performance.now();
    const value = fn();
    return { value, cpu: cpuNow() - c, wall: performance.now() - w };
  };
  const load = await loadInputs([file]);
  const defaults = await loadRbacDefaults();
  const built = time(() => {
    const policy = mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources));
    return { policy, index: new RbacIndex(policy, { assumeClusterAdmin: true }) };
  });
  const { policy, index } = built.value;
  const facts = clusterFactsFrom(load.resources, policy);
  const namespaces = [...facts.namespaces].filter((n) => n.startsWith('ns-'));
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const RES = [['', 'pods'], ['', 'secrets'], ['', 'pods', 'exec'], ['', 'configmaps'], ['apps', 'deployments'], ['batch', 'jobs'], ['example.com', 'widgets'], ['rbac.authorization.k8s.io', 'rolebindings']];
  const VERBS = ['get', 'list', 'create', 'delete', 'patch'];
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const who = [];
  const whoAll = [];
  const details = [];
  const seen = new Set();
  const gcs = [];
  const observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => gcs.push(e)));
  observer.observe({ entryTypes: ['gc'] });
  for (let q = 0; q < queries; q++) {
    const [apiGroup, resource, subresource = ''] = pick(RES);
    const req = { kind: 'resource', verb: pick(VERBS), namespace: q % 3 === 0 ? '' : pick(namespaces), apiGroup, resource, subresource, name: '' };
    const start = performance.now();
    const { cpu, wall } = time(() => index.whoCan(req, { allNamespaces: q % 10 === 9 }));
    who.push(cpu);
    if (q % 10 === 9) whoAll.push(cpu);
    const key = `${q % 10 === 9}:${resource}/${subresource}`;
    details.push({ q, verb: req.verb, resource: subresource ? `${resource}/${subresource}` : resource, all: q % 10 === 9, namespace: req.namespace, first: !seen.has(key), cpu, wall, start });
    seen.add(key);
  }
  // GC entries are delivered after the synchronous loop.
  await new Promise((r) => setTimeout(r, 20));
  observer.disconnect();
  const slowest = details.sort((a, b) => b.cpu - a.cpu).slice(0, 20);
  for (const x of slowest) {
    const hit = gcs.filter((g) => g.startTime < x.start + x.wall && g.startTime + g.duration > x.start);
    x.gc = hit.map((g) => `${g.detail?.kind === 1 ? 'minor' : 'major'} ${g.duration.toFixed(1)} ms`).join(', ');
    delete x.start;
  }
  const can = [];
  for (let q = 0; q < queries; q++) {
    const ns = pick(namespaces);
    const user = serviceAccountUser(ns, `sa-${Math.floor(rand() * 20)}`);
    const [apiGroup, resource, subresource = ''] = pick(RES);
    can.push(time(() => index.allows(user, { kind: 'resource', verb: pick(VERBS), namespace: ns, apiGroup, resource, subresource, name: '' })).cpu);
  }
  const subject = { kind: 'ServiceAccount', name: 'sa-1', namespace: namespaces.sort()[1] ?? 'ns-1' };
  const oneGraph = new EscalationGraph(index, facts);
  const oneCold = time(() => oneGraph.paths(['cluster-admin'], [subject]));
  const oneWarm = time(() => oneGraph.paths(['cluster-admin'], [subject]));
  const allGraph = new EscalationGraph(index, facts);
  const starting = allGraph.startingSubjects();
  const allCold = time(() => allGraph.paths(['cluster-admin'], starting));
  const allWarm = time(() => allGraph.paths(['cluster-admin'], starting));
  const strip = ({ cpu, wall }) => ({ cpu, wall });
  process.stdout.write(
    JSON.stringify({
      starting: starting.length,
      fresh,
      found: allCold.value.length,
      index: strip(built),
      whoCanCold,
      whoCan: { p50: pct(who, 0.5), p99: pct(who, 0.99), n: who.length, p99Rank: who.length - Math.min(who.length - 1, Math.floor(0.99 * who.length)) },
      slowest,
      whoCanAll: { p50: pct(whoAll, 0.5), p99: pct(whoAll, 0.99) },
      canI: { p50: pct(can, 0.5), max: pct(can, 1) },
      one: { cold: strip(oneCold), warm: strip(oneWarm) },
      all: { cold: strip(allCold), warm: strip(allWarm) },
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
