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
//   node bench/rbac.mjs --before OTHER/dist [--pairs 4] [--sizes 10000/20000]   (who-can only, A/B)
//   --mix wide: a wider query mix (see RES)
//
// "policy + index build" includes who-can's tables (RbacIndex.prepareWhoCan, printed on its own line too) when
// the build has them: a caller that will ask who-can builds them with the index, so they are counted there and
// not in any query. A build without prepareWhoCan builds its tables in its first query (one of the timed ones).
// --before DIR: who-can only, for the build in DIR (before) and this one (after), alternating in separate
// processes (B A B A …, --pairs pairs) on the same world: build, first -A of a fresh process, p50/p99 and the
// slowest queries of each run, and the ratio after/before of each pair.
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

// The build the measuring children import (--dist: another build's dist/, for --before).
const dist = path.resolve(opt('dist', path.join(root, 'dist')));
for (const d of [dist, ...(opt('before') ? [path.resolve(opt('before'))] : [])])
  if (!existsSync(path.join(d, 'analyses/rbac/authorizer.js'))) {
    console.error(`${d} has no build: run \`npm run build\` first`);
    process.exit(2);
  }

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const time = (fn) => {
  const c = cpuNow();
  const w = performance.now();
  const value = fn();
  return { value, cpu: cpuNow() - c, wall: performance.now() - w };
};
const strip = ({ cpu, wall }) => ({ cpu, wall });
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
// The query mix. `--mix wide`: every resource of the generator's rules, subresources, resources no rule names,
// more verbs and a named object every 7th query (the default mix repeats 8 resources: warm-up per resource is
// paid quickly, and a cost that depends on the resource is hidden).
const WIDE = opt('mix', 'narrow') === 'wide';
const RES = WIDE
  ? [['', 'pods'], ['', 'pods', 'log'], ['', 'pods', 'exec'], ['', 'services'], ['', 'configmaps'], ['', 'secrets'], ['', 'serviceaccounts'], ['', 'serviceaccounts', 'token'], ['', 'persistentvolumeclaims'], ['', 'events'], ['', 'nodes', 'proxy'], ['apps', 'deployments'], ['apps', 'deployments', 'scale'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['batch', 'jobs'], ['batch', 'cronjobs'], ['networking.k8s.io', 'ingresses'], ['networking.k8s.io', 'networkpolicies'], ['coordination.k8s.io', 'leases'], ['example.com', 'widgets'], ['rbac.authorization.k8s.io', 'rolebindings'], ['x.example.com', 'things']]
  : [['', 'pods'], ['', 'secrets'], ['', 'pods', 'exec'], ['', 'configmaps'], ['apps', 'deployments'], ['batch', 'jobs'], ['example.com', 'widgets'], ['rbac.authorization.k8s.io', 'rolebindings']];
const VERBS = WIDE ? ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'bind'] : ['get', 'list', 'create', 'delete', 'patch'];
const inFresh = (mode, file, d = dist) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, file, '--dist', d, '--queries', opt('queries', '500'), '--mix', opt('mix', 'narrow')], { encoding: 'utf8', maxBuffer: 1 << 24 }));

if (args[0] === '--child' && opt('before')) {
  abChild(args[1]);
} else if (args[0] === '--child') {
  await child(args[1], Number(opt('queries', 500)));
} else if (args[0] === '--who-can-queries') {
  process.stdout.write(JSON.stringify((await whoCanQueries(args[1], Number(opt('queries', 500)))).result));
} else if (args[0] === '--paths-only') {
  await pathsOnly(args[1]);
} else if (args[0] === '--who-can-only') {
  await whoCanOnly(args[1]);
} else if (opt('before')) {
  const rows = measureWorlds(opt('sizes', '10000/20000'), opt('broad', '0.02'), fileURLToPath(import.meta.url), ['--queries', opt('queries', '500'), '--mix', opt('mix', 'narrow'), '--dist', dist, '--before', path.resolve(opt('before')), '--pairs', opt('pairs', '4')]);
  printPairs(rows, Number(opt('slowest', 3)));
} else {
  const rows = measureWorlds(opt('sizes', '1000/2000,5000/10000,10000/20000'), opt('broad', '0.02'), fileURLToPath(import.meta.url), ['--queries', opt('queries', '500'), '--mix', opt('mix', 'narrow'), '--dist', dist]);
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const cols = rows.map((r) => r.label);
  const line = (label, get) => console.log(label.padEnd(40) + rows.map((r) => get(r).padStart(22)).join(''));
  console.log('rbac bench (CPU ms / wall ms; cold = fresh graph, warm = same graph again)');
  console.log('roles/bindings'.padEnd(40) + cols.map((c) => c.padStart(22)).join(''));
  line('input MB', (r) => (r.bytes / 1048576).toFixed(1));
  line('subjects (starting) / reach cluster-admin', (r) => `${r.starting} / ${r.found}`);
  line('policy + index build', (r) => `${f(r.index.cpu)} / ${f(r.index.wall)}`);
  line('  of which who-can tables', (r) => (r.tables ? `${f(r.tables.cpu)} / ${f(r.tables.wall)}` : 'in first query'));
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

/** The modules of the build the bench drives (dist/, or --dist). */
async function modules() {
  const imp = (p) => import(path.join(dist, p));
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

/**
 * Loads the world, builds policy, index and who-can's tables (timed), then times `queries` seeded who-can
 * queries (every 10th with -A). Returns the figures (`result`) and what the child goes on with.
 */
async function whoCanQueries(file, queries) {
  const m = await modules();
  const load = await m.loadInputs([file]);
  const defaults = await m.loadRbacDefaults();
  let tables;
  const built = time(() => {
    const policy = m.mergePolicies(m.policyFromResources(defaults.resources), m.policyFromResources(load.resources));
    const index = new m.RbacIndex(policy, { assumeClusterAdmin: true });
    // Older builds have no prepareWhoCan: their first query builds the tables (and is timed as a query).
    if (typeof index.prepareWhoCan === 'function') tables = strip(time(() => index.prepareWhoCan()));
    return { policy, index };
  });
  const { policy, index } = built.value;
  const facts = m.clusterFactsFrom(load.resources, policy);
  const namespaces = [...facts.namespaces].filter((n) => n.startsWith('ns-'));
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const who = [];
  const whoAll = [];
  const details = [];
  const seen = new Set();
  const gcs = [];
  const observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => gcs.push(e)));
  observer.observe({ entryTypes: ['gc'] });
  for (let q = 0; q < queries; q++) {
    const [apiGroup, resource, subresource = ''] = pick(RES);
    const req = { kind: 'resource', verb: pick(VERBS), namespace: q % 3 === 0 ? '' : pick(namespaces), apiGroup, resource, subresource, name: WIDE && q % 7 === 0 ? 'x' : '' };
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
  const result = {
    index: strip(built),
    tables,
    whoCan: { p50: pct(who, 0.5), p99: pct(who, 0.99), n: who.length, p99Rank: who.length - Math.min(who.length - 1, Math.floor(0.99 * who.length)) },
    whoCanAll: { p50: pct(whoAll, 0.5), p99: pct(whoAll, 0.99) },
    slowest,
  };
  return { result, m, index, facts, namespaces, rand, pick };
}


/** --before: who-can of both builds on one world, alternating in separate processes (before first in each pair). */
function abChild(file) {
  const builds = { before: path.resolve(opt('before')), after: dist };
  const pairs = [];
  for (let i = 0; i < Number(opt('pairs', 4)); i++) {
    const pair = {};
    for (const [name, d] of Object.entries(builds)) pair[name] = { ...inFresh('--who-can-queries', file, d), whoCanCold: inFresh('--who-can-only', file, d) };
    pairs.push(pair);
  }
  process.stdout.write(JSON.stringify({ pairs }));
}

function printPairs(rows, slowest) {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  for (const r of rows) {
    console.log(`who-can A/B, ${r.label}, ${opt('mix', 'narrow')} query mix (CPU ms; before = --before build, after = this build; separate processes, alternating)`);
    console.log('pair  build'.padEnd(14) + 'build (+tables)'.padStart(22) + 'first -A, fresh'.padStart(18) + 'p50'.padStart(8) + 'p99'.padStart(8) + '-A p50'.padStart(8) + '-A p99'.padStart(8));
    const ratios = [];
    r.pairs.forEach((pair, i) => {
      for (const [name, x] of Object.entries(pair))
        console.log(
          `${String(i + 1).padEnd(6)}${name.padEnd(8)}` +
            `${f(x.index.cpu)}${x.tables ? ` (${f(x.tables.cpu)})` : ' (in 1st query)'}`.padStart(22) +
            f(x.whoCanCold.cpu).padStart(18) +
            f(x.whoCan.p50).padStart(8) +
            f(x.whoCan.p99).padStart(8) +
            f(x.whoCanAll.p50).padStart(8) +
            f(x.whoCanAll.p99).padStart(8),
        );
      ratios.push(pair.after.whoCan.p99 / pair.before.whoCan.p99);
    });
    console.log(`p99 after/before per pair: ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${pct(ratios, 0.5).toFixed(2)})`);
    for (const [i, pair] of r.pairs.entries())
      for (const [name, x] of Object.entries(pair))
        console.log(
          `  pair ${i + 1} ${name} slowest: ` +
            x.slowest
              .slice(0, slowest)
              .map((s) => `#${s.q} ${s.cpu.toFixed(1)} ${s.verb} ${s.resource}${s.all ? ' -A' : ''}${s.first ? ' (first)' : ''}${s.gc ? ` [GC ${s.gc}]` : ''}`)
              .join('; '),
        );
  }
}

async function child(file, queries) {
  const fresh = inFresh('--paths-only', file);
  const whoCanCold = inFresh('--who-can-only', file);
  const { result, m, index, facts, namespaces, rand, pick } = await whoCanQueries(file, queries);
  const { EscalationGraph, serviceAccountUser } = m;
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
  process.stdout.write(
    JSON.stringify({
      starting: starting.length,
      fresh,
      found: allCold.value.length,
      ...result,
      whoCanCold,
      canI: { p50: pct(can, 0.5), max: pct(can, 1) },
      one: { cold: strip(oneCold), warm: strip(oneWarm) },
      all: { cold: strip(allCold), warm: strip(allWarm) },
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
