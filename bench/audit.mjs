#!/usr/bin/env node
// Audit pipeline bench: events/s of `rampart audit` (reader + event model + every audit rule) on
// generated logs, side by side with a JSON.parse-only pass over the same file in the same run;
// CPU and wall time; peak RSS per size, measured in a fresh process per size (flat = streaming).
// Usage: npm run build && node bench/audit.mjs [maxEvents=1000000]
import { createWriteStream, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { generateTraffic } from './audit-traffic.mjs';

const MAX = Number(process.argv[2] ?? 1_000_000);
const SIZES = [...new Set([Math.round(MAX / 10), Math.round(MAX / 3), MAX])];

async function writeLog(file, n) {
  const out = createWriteStream(file);
  let i = 0;
  // About 1 100 events per generated hour at scale 1: enough days for n events, with the attacks.
  for (const e of generateTraffic({ days: Math.ceil(n / 26_000) + 1, attacks: true })) {
    if (i++ >= n) break;
    if (!out.write(JSON.stringify(e) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

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
  return n;
}

// Loaded before any timing: module loading is start-up cost, not throughput.
const { builtinRules, eventRules } = await import('../dist/rules/index.js');
const { AuditDetector } = await import('../dist/analyses/audit/detect.js');
const { AuditRun } = await import('../dist/fronts/audit/run.js');

async function rampart(file) {
  let alerts = 0;
  const run = new AuditRun(new AuditDetector({ rules: eventRules, scannerRules: builtinRules }), () => alerts++);
  await run.source(file);
  return { events: run.detector.stats.events, alerts };
}

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { r, wall, cpu: (c.user + c.system) / 1e6 };
}

if (process.argv[2] === '--rss') {
  // Child mode: run the CLI's pipeline on one file and report peak RSS.
  const r = await rampart(process.argv[3]);
  process.stdout.write(JSON.stringify({ ...r, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
}

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-audit-bench-'));
console.log(`audit bench: sizes ${SIZES.join(', ')} events (generated benign traffic with injected attacks)`);
const rows = [];
for (const n of SIZES) {
  const file = path.join(dir, `audit-${n}.log`);
  await writeLog(file, n);
  const bytes = statSync(file).size;
  const parse = await timed(() => parseOnly(file));
  const ours = await timed(() => rampart(file));
  const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--rss', file], { encoding: 'utf8' });
  const rss = JSON.parse(child.stdout.trim().split('\n').at(-1));
  rows.push({ n, mib: bytes / 1048576, parse, ours, rss });
  rmSync(file);
}
rmSync(dir, { recursive: true, force: true });
console.log('events     file MiB  JSON.parse ev/s (cpu s)   rampart ev/s (cpu s)   ratio wall/cpu  alerts  peak RSS MiB  RSS/input');
for (const { n, mib, parse, ours, rss } of rows) {
  const pr = n / parse.wall;
  const or = n / ours.wall;
  console.log(
    `${String(n).padStart(8)}  ${mib.toFixed(0).padStart(8)}  ${Math.round(pr).toLocaleString('en').padStart(14)} (${parse.cpu.toFixed(1)})  ${Math.round(or).toLocaleString('en').padStart(12)} (${ours.cpu.toFixed(1)})  ${(or / pr).toFixed(2).padStart(6)} / ${(parse.cpu / ours.cpu).toFixed(2)}  ${String(ours.r.alerts).padStart(6)}  ${rss.maxRssMiB.toFixed(0).padStart(12)}  ${(rss.maxRssMiB / mib).toFixed(3).padStart(9)}`,
  );
}
