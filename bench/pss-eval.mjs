#!/usr/bin/env node
// Pod Security Standards evaluation in-process, per pod: what an admission decision and a scan pay
// for the checks alone (no reading, no report). Pods: every Pod and pod template of the real-world
// corpus, and generated pods (the shared generator). Per pod, CPU (process.cpuUsage) and wall:
//   evaluate  evaluatePod at restricted and baseline (the `pss` command's evaluation)
//   scan      the 19 pss/<check> rules' reads of one fresh resource (pssResultFor: evaluation,
//             offences attributed to checks, settings), as `scan` and the webhook run them
// `--dist DIR` measures another build of the same API (a checkout's dist/) for A/B in one session.
// Run after `npm run build`.  Usage: node bench/pss-eval.mjs [--reps 5] [--pods 10000] [--dist dist]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const REPS = Number(opt('--reps', 5));
const GENERATED = Number(opt('--pods', 10_000));
const DIST = path.resolve(opt('--dist', 'dist'));
const CORPUS = '../shared/corpus/real-world';
const PERF = '../shared/perf';
if (!existsSync(path.join(DIST, 'cli/main.js')) || !existsSync(CORPUS) || !existsSync(PERF)) {
  console.error('needs a built dist/ (npm run build), ../shared/corpus/real-world and ../shared/perf');
  process.exit(2);
}
const load = (m) => import(pathToFileURL(path.join(DIST, m)).href);
const [{ loadInputs }, { podInputOf }, { evaluatePod }, { pssResultFor }, { CHECK_IDS }] = await Promise.all([
  load('input/files.js'),
  load('analyses/pss/resource.js'),
  load('analyses/pss/evaluate.js'),
  load('analyses/pss/scan.js'),
  load('analyses/pss/registry.js'),
]);

const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-pss-eval-'));
let sets;
try {
  const gen = spawnSync(process.execPath, [path.join(PERF, 'gen-pss.mjs'), path.join(work, 'pods'), String(GENERATED)], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(gen.stderr);
  const podsOf = async (p) => (await loadInputs([p], undefined, false)).resources.filter((r) => podInputOf(r));
  sets = [
    ['real-world corpus', await podsOf(CORPUS)],
    ['generated pods', await podsOf(path.join(work, 'pods'))],
  ];
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** CPU and wall microseconds per pod of `fn` over every resource, best of REPS (after one warm-up); each rep covers at least 20k pods. */
function perPod(resources, fn) {
  const rounds = Math.ceil(20_000 / resources.length);
  let best = { cpu: Infinity, wall: Infinity };
  for (let rep = 0; rep <= REPS; rep++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < rounds; i++) for (const r of resources) fn(r);
    const n = rounds * resources.length;
    const wall = ((performance.now() - w0) * 1000) / n;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / n;
    if (rep > 0 && cpu < best.cpu) best = { cpu, wall };
  }
  return best;
}

const settings = { level: 'restricted', version: 'latest' };
let sink = 0;
console.log(`pss evaluation per pod (${DIST}), best of ${REPS} reps, CPU µs (wall µs)`);
for (const [name, resources] of sets) {
  const inputs = new Map(resources.map((r) => [r, podInputOf(r)]));
  const restricted = perPod(resources, (r) => (sink += evaluatePod(inputs.get(r), 'restricted', 37).violations.length));
  const baseline = perPod(resources, (r) => (sink += evaluatePod(inputs.get(r), 'baseline', 37).violations.length));
  // A fresh object per call: pssResultFor caches by object, as a scan evaluates each resource once.
  const scan = perPod(resources, (r) => {
    const fresh = { ...r, object: { ...r.object } };
    for (const id of CHECK_IDS) sink += pssResultFor(fresh, settings)?.offences.filter((o) => o.check === id).length ?? 0;
  });
  console.log(`  ${name} (${resources.length} pods)`);
  console.log(`    evaluate restricted ${fmt(restricted.cpu, 1)} (${fmt(restricted.wall, 1)})   baseline ${fmt(baseline.cpu, 1)} (${fmt(baseline.wall, 1)})   scan rules ${fmt(scan.cpu, 1)} (${fmt(scan.wall, 1)})`);
}
if (sink < 0) console.log(sink);
