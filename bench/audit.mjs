#!/usr/bin/env node
// Audit pipeline bench: events/s of `rampart audit` (reader + event model + every audit rule) on
// generated logs, side by side with a JSON.parse-only pass (read, split lines, JSON.parse) over the
// same file in the same run. Each pass runs in a fresh process, cold as a user's run is, and
// reports its CPU time (process.cpuUsage), wall time, peak RSS and the heap still held after a full
// GC at the end (what the detector keeps: flat if its state is bounded). Passes alternate and each
// is repeated; medians are printed, and the ratios as the median of each repetition's ratio.
//
// Traffic: bench/audit-traffic.mjs (a small cluster's benign traffic with the attack scenarios),
// plus churn: 1 event in 20 comes from one of 200 000 short-lived CI identities, each from its own
// address, a quarter of them refused (403), so per-identity and per-address state sees more keys
// than its caps.
//
// A third pass runs the same with `--baseline` (the anomaly scorer), the baseline learned first by
// `rampart audit learn`'s learner from 3 days of the same cluster's traffic before the bench log.
//
// Usage: npm run build && node bench/audit.mjs [--sizes 250000,500000,1000000] [--reps 3]
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateTraffic } from './audit-traffic.mjs';

const CHURN_IDENTITIES = 200_000;

/** Exactly n events: benign traffic with attacks, one in 20 replaced by a churning CI identity. */
function* traffic(n) {
  let i = 0;
  // ~19 000 events per generated day; ask for more days than needed and stop at n.
  for (const e of generateTraffic({ days: Math.ceil(n / 15_000) + 2, attacks: true })) {
    if (i >= n) return;
    if (i % 20 === 19) {
      const k = (i * 7919) % CHURN_IDENTITIES;
      e.user = { username: `system:serviceaccount:ci-${k}:runner`, groups: ['system:serviceaccounts', `system:serviceaccounts:ci-${k}`, 'system:authenticated'] };
      e.sourceIPs = [`10.${100 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`];
      e.userAgent = 'runner/v1.0 (linux/amd64) kubernetes/abc';
      e.verb = 'list';
      e.objectRef = { resource: 'pods', namespace: `ci-${k}`, apiVersion: 'v1' };
      e.requestURI = `/api/v1/namespaces/ci-${k}/pods`;
      e.responseStatus = { metadata: {}, code: k % 4 === 0 ? 403 : 200 };
    }
    i++;
    yield e;
  }
  if (i < n) throw new Error(`generator produced ${i} events, wanted ${n}`);
}

async function writeLog(file, n) {
  const out = createWriteStream(file);
  for (const e of traffic(n)) if (!out.write(JSON.stringify(e) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

// ---- child: one pass in a fresh process ---------------------------------------------------------

async function parseOnly(file) {
  let n = 0;
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      JSON.parse(text.slice(start, nl));
      n++;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  return { events: n, alerts: 0, keep: undefined };
}

async function child(kind, file, baselineFile) {
  // Modules load before timing (start-up is not throughput), in both kinds of child alike.
  const { builtinRules, eventRules } = await import('../dist/rules/index.js');
  const { AuditDetector } = await import('../dist/analyses/audit/detect.js');
  const { AuditRun } = await import('../dist/fronts/audit/run.js');
  const { baselineScorer } = await import('../dist/cli/commands/audit-learn.js');
  const scorers = kind === 'baseline' ? [baselineScorer(baselineFile, {})] : [];
  const rampart = async () => {
    let alerts = 0;
    // The CLI's pipeline: the same reader, event model, detector and default rule set (and scorer).
    const run = new AuditRun(new AuditDetector({ rules: eventRules, scannerRules: builtinRules }), () => alerts++, scorers);
    await run.source(file);
    if (run.invalid || run.unreadable) throw new Error(`bench input had ${run.invalid} invalid lines`);
    return { events: run.detector.stats.events, alerts, keep: run };
  };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await (kind === 'parse' ? parseOnly(file) : rampart());
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  globalThis.gc();
  const heldMiB = process.memoryUsage().heapUsed / 1048576;
  void r.keep; // the run (and its detector state) is alive at the measurement
  process.stdout.write(JSON.stringify({ events: r.events, alerts: r.alerts, wall, cpu: (c.user + c.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, heldMiB }) + '\n');
}

// ---- parent ---------------------------------------------------------------------------------------

function pass(kind, file, baselineFile) {
  const p = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--child', kind, file, baselineFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (p.status !== 0) throw new Error(`${kind} pass failed: ${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '250000,500000,1000000' }, reps: { type: 'string', default: '3' }, child: { type: 'string' } }, allowPositionals: true });
  const sizes = values.sizes.split(',').map(Number);
  const reps = Number(values.reps);
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-audit-bench-'));
  console.log(`audit bench: ${sizes.join(', ')} events (generated traffic with attacks and identity churn), ${reps} alternating runs per pass, each in a fresh process; medians`);
  const rows = [];
  // The baseline: 3 days of the same cluster before the bench log (which starts on 2026-01-05).
  const baselineFile = path.join(dir, 'baseline.json');
  const { BaselineLearner } = await import('../dist/analyses/audit/baseline.js');
  const { parseEvent } = await import('../dist/analyses/audit/event.js');
  const learner = new BaselineLearner();
  for (const raw of generateTraffic({ start: Date.UTC(2026, 0, 2), days: 3, seed: 3 })) learner.add(parseEvent(raw));
  writeFileSync(baselineFile, JSON.stringify(learner.finish()));
  try {
    for (const n of sizes) {
      const file = path.join(dir, `audit-${n}.log`);
      await writeLog(file, n);
      const runs = { parse: [], rampart: [], baseline: [] };
      for (let i = 0; i < reps; i++) for (const kind of i % 2 ? ['baseline', 'rampart', 'parse'] : ['parse', 'rampart', 'baseline']) runs[kind].push(pass(kind, file, baselineFile));
      for (const kind of ['parse', 'rampart', 'baseline']) if (runs[kind].some((r) => r.events !== n)) throw new Error(`${kind} saw ${runs[kind].map((r) => r.events)} events, wanted ${n}`);
      const med = (kind, k) => median(runs[kind].map((r) => r[k]));
      // Ratios per repetition (a JSON.parse pass and the rampart passes run next to each other, under
      // the same load), then their median: steadier on a shared machine than a ratio of medians.
      const paired = (kind, k) => runs.parse.map((p, j) => p[k] / runs[kind][j][k]);
      const spread = (xs) => ({ med: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
      const ratios = { wall: spread(paired('rampart', 'wall')), cpu: spread(paired('rampart', 'cpu')), bcpu: spread(paired('baseline', 'cpu')) };
      rows.push({ n, ratios, mib: statSync(file).size / 1048576, alerts: runs.rampart[0].alerts, p: { wall: med('parse', 'wall'), cpu: med('parse', 'cpu'), rss: med('parse', 'maxRssMiB') }, r: { wall: med('rampart', 'wall'), cpu: med('rampart', 'cpu'), rss: med('rampart', 'maxRssMiB'), held: med('rampart', 'heldMiB') }, b: { wall: med('baseline', 'wall'), cpu: med('baseline', 'cpu'), rss: med('baseline', 'maxRssMiB'), alerts: runs.baseline[0].alerts } });
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (x, d = 0) => x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
  const range = (x) => `${f(x.med, 2)} [${f(x.min, 2)}-${f(x.max, 2)}]`;
  console.log('  events  file MiB | JSON.parse ev/s  cpu s  RSS MiB | rampart ev/s  cpu s  RSS MiB  held MiB | ratio wall [range]  cpu [range] | alerts | --baseline ev/s  cpu s  RSS MiB  ratio cpu [range]  alerts');
  for (const { n, mib, alerts, p, r, b, ratios } of rows) {
    console.log(
      `${f(n).padStart(9)} ${f(mib).padStart(8)} | ${f(n / p.wall).padStart(15)} ${f(p.cpu, 2).padStart(6)} ${f(p.rss).padStart(8)} | ${f(n / r.wall).padStart(12)} ${f(r.cpu, 2).padStart(6)} ${f(r.rss).padStart(8)} ${f(r.held, 1).padStart(9)} | ${range(ratios.wall).padStart(18)} ${range(ratios.cpu).padStart(16)} | ${f(alerts).padStart(6)} | ${f(n / b.wall).padStart(15)} ${f(b.cpu, 2).padStart(6)} ${f(b.rss).padStart(8)} ${range(ratios.bcpu).padStart(18)} ${f(b.alerts).padStart(7)}`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  if (rows.length > 1)
    console.log(`memory: input ${f(last.n / first.n, 1)}x larger -> rampart peak RSS ${f(first.r.rss)} -> ${f(last.r.rss)} MiB, held after GC ${f(first.r.held, 1)} -> ${f(last.r.held, 1)} MiB (JSON.parse pass: ${f(first.p.rss)} -> ${f(last.p.rss)} MiB)`);
  console.log('ratio = rampart events/s ÷ JSON.parse-only events/s (wall), and JSON.parse CPU ÷ rampart CPU (target ≥ 0.5): median over the repetitions of each repetition\'s ratio [min-max]; other columns are medians; times are of the pass, after module loading.');
}

const i = process.argv.indexOf('--child');
if (i !== -1) await child(process.argv[i + 1], process.argv[i + 2], process.argv[i + 3]);
else await main();
