#!/usr/bin/env node
// Writing a scan's report, in one process: the JSON and SARIF writers' pieces gathered and written to a
// file as `scan --output FILE` does (cli/common.ts emit), for the findings of a corpus scan repeated
// --copies times. --against CHECKOUT runs that checkout's built writers on the same report, passes
// alternated, outputs compared byte for byte; CPU per pass (process.cpuUsage) and after/before printed.
//
// --in-scan measures the writer where the CLI runs it: once, cold, at the end of a real scan (the
// scan's compiler flags and heap, the findings' strings as the rules made them). Each pass is a child
// process scanning the corpus copied --copies times (shared generator) with the compiled CLI of this
// checkout or of --against, alternated; printed per pass is the CPU (process, all threads) from the
// reporter's call to the end of the scan command: building the report, stringifying, encoding, writing.
//
//   node bench/report.mjs [--in-scan] [--passes 5] [--copies 1,4] [--formats json,sarif] [--against ../base] [DIR]   (DIR: ../shared/corpus/real-world)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { takeOption } from './measure.mjs';

const args = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (args[0] === '--child') await inScanChild(...args.slice(1));
else {
  const opt = (name, dflt) => takeOption(args, name, dflt);
  const inScan = args.includes('--in-scan');
  if (inScan) args.splice(args.indexOf('--in-scan'), 1);
  const o = {
    passes: Number(opt('--passes', '5')),
    copies: opt('--copies', '1,4').split(',').map(Number),
    formats: opt('--formats', 'json,sarif').split(','),
    against: opt('--against', undefined),
  };
  o.dir = args[0] ?? path.join(here, '..', '..', 'shared', 'corpus', 'real-world');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rampart-report-bench-'));
  try {
    await (inScan ? inScanRuns(o, tmp) : inProcessRuns(o, tmp));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The built writers of a checkout, by format: (report, ctx, file) => void. */
async function writers(root, formats) {
  const dist = (f) => pathToFileURL(path.join(root, 'dist', f)).href;
  const { emit } = await import(dist('cli/common.js'));
  const { reporters } = await import(dist('reports/index.js'));
  const write = (reporter) => (report, ctx, file) => emit(reporter.chunks ? reporter.chunks(report, ctx) : reporter(report, ctx), file);
  return Object.fromEntries(formats.map((f) => [f, write(reporters[f])]));
}

/**
 * `run(what, file)` for each [name, what] pass after pass, the order reversed every other pass; it
 * returns CPU ms and writes the output to `file`, whose bytes are kept from the first pass.
 */
function alternated(impls, passes, format, tmp, run) {
  const times = new Map(impls.map(([n]) => [n, []]));
  const outputs = new Map();
  for (let i = 0; i < passes; i++) {
    for (const [name, what] of i % 2 ? [...impls].reverse() : impls) {
      const file = path.join(tmp, `${name}.${format}`);
      times.get(name).push(run(what, file));
      if (i === 0) outputs.set(name, readFileSync(file));
    }
  }
  return { times, outputs };
}

/** One line per copies × format: medians, after/before, whether the outputs are the same bytes. */
function report(label, times, outputs, against) {
  const names = [...times.keys()];
  const list = (n) => times.get(n).map((t) => t.toFixed(0)).join(' / ');
  const line = names.map((n) => `${n} ${median(times.get(n)).toFixed(1)} ms (${list(n)})`).join(', ');
  const same = against ? (outputs.get('after').equals(outputs.get('before')) ? 'identical' : 'DIFFERENT') : '';
  const ratio = against ? `; after/before ${(median(times.get('after')) / median(times.get('before'))).toFixed(2)}, bytes ${same}` : '';
  console.log(`${label}, ${(outputs.get('after').length / 1e6).toFixed(1)} MB: CPU per pass median ${line}${ratio}`);
  if (against && same !== 'identical') process.exitCode = 1;
}

/** Writers called in this process on the library scan's findings, warm after the first pass. */
async function inProcessRuns({ passes, copies, formats, against, dir }, tmp) {
  const { scanFiles } = await import(pathToFileURL(path.join(here, '..', 'dist', 'index.js')).href);
  const { builtinRules } = await import(pathToFileURL(path.join(here, '..', 'dist', 'rules', 'index.js')).href);
  const scanned = await scanFiles([dir], { render: false });
  const ctx = { rules: new Map(builtinRules.map((r) => [r.meta.id, r.meta])), color: false, srcRoot: process.cwd() };
  const impls = [['after', await writers(path.join(here, '..'), formats)]];
  if (against) impls.push(['before', await writers(path.resolve(against), formats)]);
  for (const k of copies) {
    const scan = { ...scanned, findings: Array.from({ length: k }, () => scanned.findings).flat() };
    for (const format of formats) {
      const { times, outputs } = alternated(impls, passes, format, tmp, (w, file) => {
        const t0 = process.cpuUsage();
        w[format](scan, ctx, file);
        const u = process.cpuUsage(t0);
        return (u.user + u.system) / 1000;
      });
      report(`${k}x ${format.padEnd(5)} ${scan.findings.length} findings`, times, outputs, against);
    }
  }
}

/** --in-scan: a child process per pass, checkouts alternated, one scan each. */
async function inScanRuns({ passes, copies, formats, against, dir }, tmp) {
  const checkouts = [['after', path.join(here, '..')], ...(against ? [['before', path.resolve(against)]] : [])];
  for (const k of copies) {
    const input = path.join(tmp, `x${k}`);
    const gen = spawnSync(process.execPath, [path.join(here, '..', '..', 'shared', 'perf', 'replicate-corpus.mjs'), dir, input, String(k)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    for (const format of formats) {
      const { times, outputs } = alternated(checkouts, passes, format, tmp, (root, file) => {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', root, format, input, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const line = /\{"writeMs".*\}/.exec(r.stdout ?? '');
        if (r.status !== 0 || !line) throw new Error(`${root} ${format} ${k}x: status ${r.status}: ${(r.stderr ?? '').slice(-800)}`);
        return JSON.parse(line[0]).writeMs;
      });
      report(`${k}x ${format.padEnd(5)} in the scan`, times, outputs, against);
    }
    rmSync(input, { recursive: true, force: true });
  }
}

/** Child of --in-scan: one scan with CHECKOUT's compiled CLI; prints the CPU ms of writing its report. */
async function inScanChild(checkout, format, input, output) {
  const dist = (f) => pathToFileURL(path.join(checkout, 'dist', f)).href;
  const { REPORTERS } = await import(dist('cli/scan-options.js'));
  const { run } = await import(dist('cli/commands/scan.js'));
  const load = REPORTERS[format];
  let started;
  // The scan command takes its reporter from this table: the one it gets starts the clock when called.
  REPORTERS[format] = async () => {
    const reporter = await load();
    const timed = (scan, ctx) => ((started = process.cpuUsage()), reporter(scan, ctx));
    return Object.assign(timed, reporter.chunks ? { chunks: (scan, ctx) => ((started = process.cpuUsage()), reporter.chunks(scan, ctx)) } : {});
  };
  await run([input, '--no-render', '--no-config', '-o', format, '--output', output, '--fail-on', 'never']);
  const u = process.cpuUsage(started);
  console.log(JSON.stringify({ writeMs: (u.user + u.system) / 1000 }));
}
