#!/usr/bin/env node
// Whether two builds agree on escalation paths where several shortest paths are equally good (the build may
// report a different one among equals, never a different finding or cost), and whether every reported step is a
// real edge of the graph:
//   1. rbac findings of `scan` (bootstrap policy on): the same multiset of (rule, severity, subject, path length);
//      how many also sit on the same resource and pointer (an escalation-path finding is put on the binding of the
//      first step, so another path among equals may put it on another of the subject's bindings), and how many are
//      byte-identical, is printed too;
//   2. every (subject, goal) of the all-subject walk (starting subjects and those of bootstrap bindings) and of the one-subject searches: the same cost and number of
//      steps; each step of each build's paths is found among the edges out of its `from` node (through the
//      capability nodes and membership edges the report folds), with the same action, fact and via.
//
//   node bench/rbac-paths-agree.mjs INPUT... --before DIR [--after DIR]
//
// INPUT: files or folders (a ../shared/perf/gen-rbac.mjs world, ../shared/corpus/rbac, the real-world corpus);
// DIR: a build's dist/ (default for --after: this repo's). Exits 1 on any disagreement.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const before = opt('before');
const after = opt('after', path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
if (!before || args.length === 0) {
  console.error('usage: node bench/rbac-paths-agree.mjs INPUT... --before DIR [--after DIR]');
  process.exit(2);
}

async function answers(dist, inputs) {
  dist = path.resolve(dist);
  if (!existsSync(path.join(dist, 'analyses/rbac/escalation.js'))) throw new Error(`${dist} has no build`);
  const imp = (p) => import(path.join(dist, p));
  const { loadInputs } = await imp('input/files.js');
  const { loadRbacDefaults } = await imp('input/rbac-defaults.js');
  const { policyFromResources, mergePolicies } = await imp('analyses/rbac/policy.js');
  const { RbacIndex, normaliseSubject } = await imp('analyses/rbac/authorizer.js');
  const { clusterFactsFrom } = await imp('analyses/rbac/facts.js');
  const { EscalationGraph, GOALS, nodeKey } = await imp('analyses/rbac/escalation.js');
  const { runEngine } = await imp('engine/run.js');
  const { rbacRules } = await imp('rules/rbac/index.js');
  const load = await loadInputs(inputs);
  const defaults = await loadRbacDefaults();
  if (defaults.resources.length === 0) throw new Error(`${dist}: the bootstrap RBAC policy did not load`);
  const policy = mergePolicies(policyFromResources(defaults.resources), policyFromResources(load.resources));
  const index = new RbacIndex(policy, { assumeClusterAdmin: true });
  const facts = clusterFactsFrom(load.resources, policy);
  const graph = new EscalationGraph(index, facts);
  // The starting subjects, and the subjects of bootstrap bindings too (a corpus of the default policy has only those).
  const subjects = new Map(graph.startingSubjects().map((s) => [nodeKey(s), s]));
  for (const b of index.bindings)
    for (const s of b.subjects) {
      const n = normaliseSubject(s, b);
      if (!n) continue;
      const id = n.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', name: n.name, namespace: n.namespace } : { kind: n.kind, name: n.name };
      if (!subjects.has(nodeKey(id))) subjects.set(nodeKey(id), id);
    }
  const starting = [...subjects.values()];
  const all = graph.paths(GOALS, starting);
  const one = [];
  const stride = Math.max(1, Math.floor(starting.length / 60));
  for (let i = 0; i < starting.length; i += stride) one.push(...new EscalationGraph(index, facts).paths(GOALS, [starting[i]]));
  const run = await runEngine(load, { rules: rbacRules, settings: { rbac: { defaults: true, defaultObjects: defaults.resources } } });
  // A reported step is real when an edge out of its `from` node (or out of a group it is a member of, or through a
  // capability node) leads to the same node with the same fact, action and via.
  const checker = new EscalationGraph(index, facts);
  const same = (e, s, action, to) => nodeKey(to) === nodeKey(s.to) && action === s.action && e.fact === s.fact && JSON.stringify(e.via) === JSON.stringify(s.via);
  const real = (from, s, seen = new Set()) => {
    const key = nodeKey(from);
    if (seen.has(key)) return false;
    seen.add(key);
    for (const e of checker.edgesFrom(from)) {
      if (e.member) {
        if (real(e.to, s, seen)) return true;
        continue;
      }
      if (e.to.kind !== 'Cap') {
        if (same(e, s, e.action, e.to)) return true;
        continue;
      }
      if (!s.action.startsWith(e.action + ' ')) continue;
      for (const c of checker.edgesFrom(e.to)) {
        const ends = c.to.kind === 'Cap' ? checker.edgesFrom(c.to) : [c];
        for (const d of ends) if (same(e, s, `${e.action} ${d.action}`, d.to)) return true;
      }
    }
    return false;
  };
  let steps = 0;
  let unreal = 0;
  let broken = 0;
  for (const p of [...all, ...one]) {
    let at = nodeKey(p.subject);
    let cost = 0;
    for (const s of p.steps) {
      steps++;
      if (nodeKey(s.from) !== at) broken++;
      if (!real(s.from, s)) unreal++;
      at = nodeKey(s.to);
      cost += s.weight;
    }
    if (at !== `Goal:${p.goal}` || cost !== p.cost) broken++;
  }
  const pathKey = (p) => `${nodeKey(p.subject)}|${p.goal}`;
  const summary = (list) => new Map(list.map((p) => [pathKey(p), `cost ${p.cost}, ${p.steps.length} steps`]));
  const findings = run.findings.map((f) => ({
    key: JSON.stringify([f.ruleId, f.severity, f.details?.subject ?? null, f.details?.steps?.length ?? null]),
    at: JSON.stringify([f.resource?.kind, f.resource?.namespace, f.resource?.name, f.path]),
    text: JSON.stringify([f.message, f.details ?? null]),
  }));
  return { all: summary(all), one: summary(one), allCount: all.length, oneCount: one.length, findings, steps, unreal, broken, texts: new Map(all.map((p) => [pathKey(p), JSON.stringify(p.steps)])) };
}

function compareMaps(a, b) {
  let agree = 0;
  for (const [k, v] of a) if (b.get(k) === v) agree++;
  return { agree, total: Math.max(a.size, b.size) };
}

function multiset(list) {
  const m = new Map();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

const A = await answers(before, args);
const B = await answers(after, args);
const all = compareMaps(A.all, B.all);
const one = compareMaps(A.one, B.one);
const fa = multiset(A.findings.map((f) => f.key));
const fb = multiset(B.findings.map((f) => f.key));
let fAgree = 0;
for (const [k, n] of fa) fAgree += Math.min(n, fb.get(k) ?? 0);
const atA = multiset(A.findings.map((f) => f.key + f.at));
let fSameAt = 0;
for (const f of B.findings) {
  const k = f.key + f.at;
  const n = atA.get(k) ?? 0;
  if (n > 0) {
    fSameAt++;
    atA.set(k, n - 1);
  }
}
const textsA = multiset(A.findings.map((f) => f.key + f.at + f.text));
let fIdentical = 0;
for (const f of B.findings) {
  const k = f.key + f.at + f.text;
  const n = textsA.get(k) ?? 0;
  if (n > 0) {
    fIdentical++;
    textsA.set(k, n - 1);
  }
}
let pathsIdentical = 0;
for (const [k, v] of B.texts) if (A.texts.get(k) === v) pathsIdentical++;
const ok = all.agree === all.total && one.agree === one.total && fAgree === A.findings.length && A.findings.length === B.findings.length && B.unreal === 0 && B.broken === 0 && A.unreal === 0 && A.broken === 0;
console.log(`inputs: ${args.map((a) => path.basename(a)).join(', ')}`);
console.log(`all-subject paths (subject, goal): ${all.agree}/${all.total} same cost and length (before ${A.allCount}, after ${B.allCount}); ${pathsIdentical} with identical steps`);
console.log(`one-subject searches: ${one.agree}/${one.total} same cost and length`);
console.log(`rbac findings: ${fAgree}/${A.findings.length} same rule, severity, subject and path length (after: ${B.findings.length}); ${fSameAt} also on the same resource and pointer; ${fIdentical} byte-identical`);
console.log(`steps found among the graph's edges: before ${A.steps - A.unreal}/${A.steps}, after ${B.steps - B.unreal}/${B.steps}; chains not joined or cost not the sum: before ${A.broken}, after ${B.broken}`);
console.log(ok ? 'AGREE' : 'DISAGREE');
process.exit(ok ? 0 : 1);
