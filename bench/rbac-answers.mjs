#!/usr/bin/env node
// Every RBAC answer on one world, as canonical JSON lines, so two builds can be compared answer for answer
// (performance work must not change a single path, who-can list or finding):
//   escalation paths of every starting subject to every goal (the all-subject walk), the forward search
//   of a sample of subjects one at a time, who-can (namespaced, cluster-wide and -A) and can-i for a
//   seeded set of requests, and every finding of the rbac rules of `scan` (with the bootstrap policy).
//
//   node bench/rbac-answers.mjs WORLD.yaml OUT.jsonl [--dist DIR] [--queries 300]
//   cmp OUT-before.jsonl OUT-after.jsonl
//
// WORLD comes from ../shared/perf/gen-rbac.mjs; --dist points at another build (default: this repo's dist/).
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const [world, outFile] = args;
if (!world || !outFile) {
  console.error('usage: node bench/rbac-answers.mjs WORLD.yaml OUT.jsonl [--dist DIR] [--queries 300]');
  process.exit(2);
}
const dist = path.resolve(opt('dist', path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')));
if (!existsSync(path.join(dist, 'analyses/rbac/authorizer.js'))) {
  console.error(`${dist} has no build: run \`npm run build\` first`);
  process.exit(2);
}
const imp = (p) => import(path.join(dist, p));
const { loadInputs } = await imp('input/files.js');
const { loadRbacDefaults } = await imp('input/rbac-defaults.js');
const { policyFromResources, mergePolicies } = await imp('analyses/rbac/policy.js');
const { RbacIndex } = await imp('analyses/rbac/authorizer.js');
const { clusterFactsFrom } = await imp('analyses/rbac/facts.js');
const { EscalationGraph, GOALS } = await imp('analyses/rbac/escalation.js');
const { serviceAccountUser, userInfo } = await imp('analyses/rbac/match.js');
const { runEngine } = await imp('engine/run.js');
const { rbacRules } = await imp('rules/rbac/index.js');

const out = createWriteStream(outFile);
const counts = {};
const write = (section, value) => {
  counts[section] = (counts[section] ?? 0) + 1;
  out.write(JSON.stringify([section, value]) + '\n');
};

const load = await loadInputs([world]);
const defaults = await loadRbacDefaults();
// A build copied away from its data/ folder loads no bootstrap policy: its answers would not be comparable.
if (defaults.resources.length === 0) {
  console.error(`${dist}: the bootstrap RBAC policy did not load (is data/ next to this dist/?); nothing compared`);
  process.exit(2);
}
const policy = mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources));
const index = new RbacIndex(policy, { assumeClusterAdmin: true });
const facts = clusterFactsFrom(load.resources, policy);

// Every subject, every goal, through the all-subject walk.
const graph = new EscalationGraph(index, facts);
const starting = graph.startingSubjects();
for (const p of graph.paths(GOALS, starting)) write('paths', p);

// A sample of subjects one at a time (the forward search of `rampart rbac paths SUBJECT`), each on a fresh graph
// and again on one shared graph (its bounded edge cache must not change an answer).
const shared = new EscalationGraph(index, facts);
for (let i = 0; i < starting.length; i += Math.max(1, Math.floor(starting.length / 60))) {
  const s = starting[i];
  write('one', new EscalationGraph(index, facts).paths(GOALS, [s]));
  write('one-shared', shared.paths(GOALS, [s]));
}

// who-can and can-i on a seeded set of requests.
const namespaces = [...facts.namespaces].sort();
let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (a) => a[Math.floor(rand() * a.length)];
const RES = [['', 'pods'], ['', 'secrets'], ['', 'pods', 'exec'], ['', 'configmaps'], ['', 'serviceaccounts', 'token'], ['apps', 'deployments'], ['apps', 'deployments', 'scale'], ['batch', 'jobs'], ['example.com', 'widgets'], ['rbac.authorization.k8s.io', 'rolebindings'], ['rbac.authorization.k8s.io', 'clusterroles'], ['', 'nodes'], ['', 'namespaces'], ['', 'users']];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete', 'patch', 'bind', 'escalate', 'impersonate', 'deletecollection'];
const queries = Number(opt('queries', 300));
for (let q = 0; q < queries; q++) {
  const [apiGroup, resource, subresource = ''] = pick(RES);
  const req = { kind: 'resource', verb: pick(VERBS), namespace: q % 3 === 0 ? '' : pick(namespaces), apiGroup, resource, subresource, name: q % 7 === 0 ? 'x' : '' };
  write('who-can', [req, index.whoCan(req)]);
  write('who-can -A', [req, index.whoCan(req, { allNamespaces: true })]);
  const nonResource = { kind: 'nonResource', verb: pick(['get', 'post']), path: pick(['/healthz', '/metrics', '/api', '/logs/x']) };
  if (q % 10 === 0) write('who-can url', [nonResource, index.whoCan(nonResource)]);
  const user = q % 2 ? serviceAccountUser(pick(namespaces), `sa-${Math.floor(rand() * 20)}`) : userInfo(`user-${Math.floor(rand() * 2000)}`, q % 5 === 0 ? ['system:serviceaccounts'] : []);
  const g = index.allows(user, req);
  write('can-i', [user.name, req, g ? [g.binding.kind, g.binding.namespace, g.binding.name, g.role.kind, g.role.name, g.rule.index, g.rule.from] : null]);
}

// The rbac rules of scan.
const run = await runEngine(load, { rules: rbacRules, settings: { rbac: { defaults: true, defaultObjects: defaults.resources } } });
for (const f of run.findings) write('finding', [f.ruleId, f.severity, f.resource?.kind, f.resource?.namespace, f.resource?.name, f.path, f.message, f.details ?? null]);
out.end();
await new Promise((r) => out.on('finish', r));
console.log(JSON.stringify({ world: path.basename(world), starting: starting.length, ...counts }));
