#!/usr/bin/env node
// `rampart scan` of the real-world corpus at 1x, 4x, 16x, 64x copies (shared generator), side by side
// with two floors over the same documents: the `yaml` package's parse-only pass (parseAllDocuments
// + toJS, values kept) and JSON.parse of the same documents pre-converted to JSON. Each pass is a
// separate child process measured by the kernel (CPU time, wall time, peak RSS); the scan is the
// real CLI writing a JSON report. Run after `npm run build`.
//
//   node bench/scan.mjs [--corpus DIR] [--sizes 1,4,16,64] [--repeat N] [--against CHECKOUT] [--no-yaml-floor] [--keep]
//
// --repeat N scans each size N times (the table shows the median scan) and measures the JSON.parse
// floor N times too (its median is used; all are printed); each repeat goes round every size, so the
// machine's drift during a run falls on all sizes alike. --no-yaml-floor skips the yaml floor (at 64x
// it takes ~12 minutes and 3.5 GB). --against CHECKOUT (another
// built checkout, e.g. the main branch's worktree) scans each size with that checkout's CLI too,
// alternated with this one's, and prints both against the same floors, the ratio after/before and
// whether the two JSON reports are byte-identical: A/B figures from one run on a noisy machine.
//
// Targets (issue 18): scan >= 3x the yaml floor's throughput, within 4x of the JSON.parse floor,
// CPU per copy flat (+-15%) from 1x up, peak RSS <= 3x input + 100 MB. The target is judged on
// "CPU s/copy" (the whole scan over the copies); "after start-up" also prints it less the CPU of a
// scan of one small file (measured each repeat), to show how much of the first copy's excess is the
// process's fixed start and how much is code running cold. "added CPU s/copy" is the CPU each copy
// added between two sizes: growth with the fixed costs taken out.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure, fmt } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const CORPUS = opt('--corpus', '../shared/corpus/real-world');
const SIZES = opt('--sizes', '1,4,16,64').split(',').map(Number);
const PERF = '../shared/perf';
const REPEAT = Math.max(1, Number(opt('--repeat', '1')));
const AGAINST = opt('--against', undefined);
for (const checkout of ['.', ...(AGAINST ? [AGAINST] : [])]) {
  if (!existsSync(path.join(checkout, 'dist/cli/main.js'))) {
    console.error(`${checkout}: dist/ is missing: run \`npm run build\` there first`);
    process.exit(2);
  }
}
for (const p of [CORPUS, PERF]) {
  if (!existsSync(p)) {
    console.error(`not found: ${p}`);
    process.exit(2);
  }
}

const STARTUP_FILE = 'examples/hardened/web.yaml';
const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-scan-'));
const rows = [];
try {
  // Every size is generated first and the repeats go round the sizes (1x, 4x, ..., then again), so a
  // machine that slows down during the run slows every size alike: the growth table compares sizes
  // measured minutes apart otherwise, and a shared machine's speed drifts by 30% in that time. The
  // copies of every size are on disk at once (YAML and JSON: ~3 GB for 1x to 64x).
  for (const k of SIZES) {
    const dir = path.join(work, `x${k}`);
    const gen = spawnSync(process.execPath, [path.join(PERF, 'replicate-corpus.mjs'), CORPUS, dir, String(k)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    const { bytes, files } = JSON.parse(gen.stdout);
    const jsonDir = path.join(work, `x${k}-json`);
    const conv = spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), dir, jsonDir], { encoding: 'utf8' });
    if (conv.status !== 0) throw new Error(`to-json failed: ${conv.stderr}`);
    // The JSON.parse floor is short, so the machine's load moves it most: measured with every repeat, the median used.
    // startups: what any scan costs before its first file (the same CLI on one small file), every repeat.
    rows.push({ k, files, mb: bytes / 1e6, dir, jsonDir, scans: [], againstScans: [], jsonFloors: [], startups: [], identical: undefined });
  }
  for (let i = 0; i < REPEAT; i++) {
    for (const r of rows) {
      const out = path.join(work, `report-${r.k}.json`);
      const other = path.join(work, `report-${r.k}-against.json`);
      const scanArgs = (file) => ['scan', r.dir, '--no-render', '--no-config', '-o', 'json', '--output', file, '--fail-on', 'never'];
      r.jsonFloors.push(measure(path.join(PERF, 'json-parse.mjs'), [r.jsonDir]));
      r.startups.push(measure('bin/rampart.js', ['scan', STARTUP_FILE, '--no-render', '--no-config', '-o', 'json', '--output', out, '--fail-on', 'never']));
      r.scans.push(measure('bin/rampart.js', scanArgs(out)));
      r.reportMB = statSync(out).size / 1e6;
      if (AGAINST) {
        r.againstScans.push(measure(path.join(AGAINST, 'bin/rampart.js'), scanArgs(other)));
        r.identical = (r.identical ?? true) && readFileSync(out).equals(readFileSync(other));
      }
      rmSync(out);
      rmSync(other, { force: true });
      const last = r.scans[r.scans.length - 1];
      console.error(`x${r.k} (repeat ${i + 1}): scan ${fmt(last.cpuS)} s CPU, ${fmt(last.maxRssMB, 0)} MB peak (exit ${last.status})`);
    }
  }
  for (const r of rows) {
    r.scan = middle(r.scans);
    r.jsonFloor = middle(r.jsonFloors);
    r.startup = middle(r.startups);
    // The yaml floor once per size (at 64x it takes minutes and 3.5 GB): --no-yaml-floor leaves it out.
    r.yamlFloor = args.includes('--no-yaml-floor') ? { cpuS: NaN } : measure(path.join(PERF, 'parse-only.mjs'), [r.dir]);
    rmSync(r.dir, { recursive: true, force: true });
    rmSync(r.jsonDir, { recursive: true, force: true });
  }
} finally {
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
}

/** The run with the median CPU time. */
function middle(runs) {
  return [...runs].sort((a, b) => a.cpuS - b.cpuS)[Math.floor((runs.length - 1) / 2)];
}

const base = rows[0];
console.log(`corpus ${CORPUS}; CPU = user+sys seconds of the child process; RSS = its peak resident set`);
console.log(
  ['copies', 'files', 'input MB', 'scan CPU s', 'scan wall s', 'CPU s/copy', 'vs first', 'start-up s', 'after start-up s/copy', 'vs first', 'yaml floor s', 'json floor s', 'scan vs yaml (>=3x)', 'scan / json (<=4x)', 'peak RSS MB', 'RSS / input', 'RSS target MB']
    .join(' | '),
);
for (const r of rows) {
  const perCopy = r.scan.cpuS / r.k;
  const afterStart = (x) => (x.scan.cpuS - x.startup.cpuS) / x.k;
  console.log(
    [
      `${r.k}x`,
      r.files,
      fmt(r.mb, 1),
      fmt(r.scan.cpuS),
      fmt(r.scan.wallS),
      fmt(perCopy),
      `${fmt(((perCopy / (base.scan.cpuS / base.k)) - 1) * 100, 0)}%`,
      fmt(r.startup.cpuS),
      fmt(afterStart(r)),
      `${fmt(((afterStart(r) / afterStart(base)) - 1) * 100, 0)}%`,
      Number.isNaN(r.yamlFloor.cpuS) ? 'not measured' : fmt(r.yamlFloor.cpuS),
      fmt(r.jsonFloor.cpuS),
      Number.isNaN(r.yamlFloor.cpuS) ? '-' : `${fmt(r.yamlFloor.cpuS / r.scan.cpuS)}x`,
      `${fmt(r.scan.cpuS / r.jsonFloor.cpuS)}x`,
      fmt(r.scan.maxRssMB, 0),
      fmt(r.scan.maxRssMB / r.mb, 2),
      fmt(3 * r.mb + 100, 0),
    ].join(' | '),
  );
}

if (rows.every((r) => r.scan.mainS !== undefined)) {
  // A scan's fixed costs are largely off the main thread: TurboFan compiling (several times per function
  // after deopts) and the GC's helpers (docs/performance.md, "Session 23").
  console.log("\nCPU s of the median scan by thread: main thread + other threads (V8's compiler and GC helpers)");
  for (const r of rows) console.log(`${r.k}x | ${fmt(r.scan.mainS)} + ${fmt(r.scan.cpuS - r.scan.mainS)} (${fmt((100 * (r.scan.cpuS - r.scan.mainS)) / r.scan.cpuS, 0)}% off the main thread)`);
}

if (rows.every((r) => r.scan.sysS !== undefined)) {
  // Growth apart from fixed costs: what each added copy cost between two sizes. The first copy also pays
  // the process's start and the optimising compiler's work on code still cold, which larger inputs
  // spread; a rise here is the scan growing. User time is the process's own work; the kernel's share
  // (sys) goes with the page faults (first touches of fresh memory, 4 KiB each), whose count per copy
  // is flat while the kernel's time per fault is not (docs/performance.md, "Session 27").
  console.log('\ngrowth of the median scan: CPU s each added copy cost against the size before; user and kernel (sys) time; page faults per copy');
  console.log(['copies', 'CPU s/copy', 'added CPU s/copy', 'vs first step', 'added user s/copy', 'vs first step', 'sys s/copy', 'minor faults/copy', 'sys us/fault'].join(' | '));
  const user = (x) => x.scan.cpuS - x.scan.sysS;
  let firstCpu;
  let firstUser;
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const addedCpu = prev ? (r.scan.cpuS - prev.scan.cpuS) / (r.k - prev.k) : undefined;
    const addedUser = prev ? (user(r) - user(prev)) / (r.k - prev.k) : undefined;
    firstCpu ??= addedCpu;
    firstUser ??= addedUser;
    const vs = (x, first) => (x === undefined ? '-' : `${fmt(((x / first) - 1) * 100, 0)}%`);
    console.log(
      [
        `${r.k}x`,
        fmt(r.scan.cpuS / r.k),
        addedCpu === undefined ? '-' : fmt(addedCpu),
        vs(addedCpu, firstCpu),
        addedUser === undefined ? '-' : fmt(addedUser),
        vs(addedUser, firstUser),
        fmt(r.scan.sysS / r.k),
        fmt(r.scan.minorFaults / r.k, 0),
        fmt((r.scan.sysS * 1e6) / r.scan.minorFaults, 1),
      ].join(' | '),
    );
  });
}

if (REPEAT > 1) {
  console.log('\nJSON.parse floor of each repeat, CPU s (median used above)');
  for (const r of rows) console.log(`${r.k}x | ${r.jsonFloors.map((x) => fmt(x.cpuS)).join(' / ')}`);
}

if (AGAINST) {
  console.log(`\nthis checkout (after) vs ${AGAINST} (before), alternated in this run; CPU s of each scan, median first`);
  console.log(['copies', 'before CPU s', 'after CPU s', 'after / before', 'before vs yaml', 'after vs yaml', 'before / json', 'after / json', 'before RSS MB', 'after RSS MB', 'reports identical'].join(' | '));
  for (const r of rows) {
    const b = middle(r.againstScans);
    const list = (xs) => xs.map((x) => fmt(x.cpuS)).join(' / ');
    console.log(
      [
        `${r.k}x`,
        `${fmt(b.cpuS)} (${list(r.againstScans)})`,
        `${fmt(r.scan.cpuS)} (${list(r.scans)})`,
        `${fmt(r.scan.cpuS / b.cpuS)}x`,
        `${fmt(r.yamlFloor.cpuS / b.cpuS)}x`,
        `${fmt(r.yamlFloor.cpuS / r.scan.cpuS)}x`,
        `${fmt(b.cpuS / r.jsonFloor.cpuS)}x`,
        `${fmt(r.scan.cpuS / r.jsonFloor.cpuS)}x`,
        fmt(b.maxRssMB, 0),
        fmt(r.scan.maxRssMB, 0),
        r.identical ? 'yes' : 'NO',
      ].join(' | '),
    );
  }
}
