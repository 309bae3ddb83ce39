#!/usr/bin/env node
// `rampart scan` of the real-world corpus at 1x, 4x, 16x, 64x copies (shared generator), side by side
// with two floors over the same documents: the `yaml` package's parse-only pass (parseAllDocuments
// + toJS, values kept) and JSON.parse of the same documents pre-converted to JSON. Each pass is a
// separate child process measured by the kernel (CPU time, wall time, peak RSS); the scan is the
// real CLI writing a JSON report. Run after `npm run build`.
//
//   node bench/scan.mjs [--corpus DIR] [--sizes 1,4,16,64] [--repeat N] [--against CHECKOUT] [--keep]
//
// --repeat N scans each size N times (the table shows the median scan) and measures the JSON.parse
// floor N times too (its median is used; all are printed). --against CHECKOUT (another
// built checkout, e.g. the main branch's worktree) scans each size with that checkout's CLI too,
// alternated with this one's, and prints both against the same floors, the ratio after/before and
// whether the two JSON reports are byte-identical: A/B figures from one run on a noisy machine.
//
// Targets (issue 18): scan >= 3x the yaml floor's throughput, within 4x of the JSON.parse floor,
// CPU per copy flat (+-15%) from 1x up, peak RSS <= 3x input + 100 MB. The target is judged on
// "CPU s/copy" (the whole scan over the copies); "after start-up" also prints it less the CPU of a
// scan of one small file (measured each repeat), to show how much of the first copy's excess is the
// process's fixed start and how much is code running cold.
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
  for (const k of SIZES) {
    const dir = path.join(work, `x${k}`);
    const gen = spawnSync(process.execPath, [path.join(PERF, 'replicate-corpus.mjs'), CORPUS, dir, String(k)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    const { bytes, files } = JSON.parse(gen.stdout);
    const jsonDir = path.join(work, `x${k}-json`);
    const conv = spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), dir, jsonDir], { encoding: 'utf8' });
    if (conv.status !== 0) throw new Error(`to-json failed: ${conv.stderr}`);
    const out = path.join(work, `report-${k}.json`);
    const other = path.join(work, `report-${k}-against.json`);
    const scanArgs = (file) => ['scan', dir, '--no-render', '--no-config', '-o', 'json', '--output', file, '--fail-on', 'never'];
    const scans = [];
    const againstScans = [];
    // The JSON.parse floor is short, so the machine's load moves it most: measured with every repeat, the median used.
    const jsonFloors = [];
    // What any scan costs before its first file: the same CLI on one small file, every repeat.
    const startups = [];
    let identical;
    for (let i = 0; i < REPEAT; i++) {
      jsonFloors.push(measure(path.join(PERF, 'json-parse.mjs'), [jsonDir]));
      startups.push(measure('bin/rampart.js', ['scan', STARTUP_FILE, '--no-render', '--no-config', '-o', 'json', '--output', out, '--fail-on', 'never']));
      scans.push(measure('bin/rampart.js', scanArgs(out)));
      if (!AGAINST) continue;
      againstScans.push(measure(path.join(AGAINST, 'bin/rampart.js'), scanArgs(other)));
      identical = (identical ?? true) && readFileSync(out).equals(readFileSync(other));
    }
    const scan = middle(scans);
    const report = statSync(out).size;
    rmSync(out);
    rmSync(other, { force: true });
    const yamlFloor = measure(path.join(PERF, 'parse-only.mjs'), [dir]);
    const jsonFloor = middle(jsonFloors);
    rows.push({ k, files, mb: bytes / 1e6, scan, scans, againstScans, identical, yamlFloor, jsonFloor, jsonFloors, startup: middle(startups), reportMB: report / 1e6 });
    rmSync(dir, { recursive: true, force: true });
    rmSync(jsonDir, { recursive: true, force: true });
    const r = rows[rows.length - 1];
    console.error(`x${k}: scan ${fmt(r.scan.cpuS)} s CPU, ${fmt(r.scan.maxRssMB, 0)} MB peak (exit ${r.scan.status})`);
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
      fmt(r.yamlFloor.cpuS),
      fmt(r.jsonFloor.cpuS),
      `${fmt(r.yamlFloor.cpuS / r.scan.cpuS)}x`,
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
