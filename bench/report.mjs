#!/usr/bin/env node
// Writing a scan's report, in one process: the JSON and SARIF writers' pieces gathered and written to a
// file as `scan --output FILE` does (cli/common.ts emit), for the findings of a corpus scan repeated
// --copies times. --against CHECKOUT runs that checkout's built writers on the same report, passes
// alternated, outputs compared byte for byte; CPU per pass (process.cpuUsage) and after/before printed.
//
//   node bench/report.mjs [--passes 5] [--copies 1,4] [--formats json,sarif] [--against ../base] [DIR]   (DIR: ../shared/corpus/real-world)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { takeOption } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const passes = Number(opt('--passes', '5'));
const copies = opt('--copies', '1,4').split(',').map(Number);
const formats = opt('--formats', 'json,sarif').split(',');
const against = opt('--against', undefined);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = args[0] ?? path.join(here, '..', '..', 'shared', 'corpus', 'real-world');

async function writers(root) {
  const dist = (f) => pathToFileURL(path.join(root, 'dist', f)).href;
  const { emit } = await import(dist('cli/common.js'));
  const { reporters } = await import(dist('reports/index.js'));
  const write = (reporter) => (report, ctx, file) => emit(reporter.chunks ? reporter.chunks(report, ctx) : reporter(report, ctx), file);
  return Object.fromEntries(formats.map((f) => [f, write(reporters[f])]));
}

const { scanFiles } = await import(pathToFileURL(path.join(here, '..', 'dist', 'index.js')).href);
const { builtinRules } = await import(pathToFileURL(path.join(here, '..', 'dist', 'rules', 'index.js')).href);
const scanned = await scanFiles([dir], { render: false });
const ctx = { rules: new Map(builtinRules.map((r) => [r.meta.id, r.meta])), color: false, srcRoot: process.cwd() };
const impls = [['after', await writers(path.join(here, '..'))]];
if (against) impls.push(['before', await writers(path.resolve(against))]);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rampart-report-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
try {
  for (const k of copies) {
    const report = { ...scanned, findings: Array.from({ length: k }, () => scanned.findings).flat() };
    for (const format of formats) {
      const times = new Map(impls.map(([n]) => [n, []]));
      const outputs = new Map();
      for (let i = 0; i < passes; i++) {
        for (const [name, w] of i % 2 ? [...impls].reverse() : impls) {
          const file = path.join(tmp, `${name}.${format}`);
          const t0 = process.cpuUsage();
          w[format](report, ctx, file);
          const u = process.cpuUsage(t0);
          times.get(name).push((u.user + u.system) / 1000);
          if (i === 0) outputs.set(name, readFileSync(file));
        }
      }
      const line = impls.map(([n]) => `${n} ${median(times.get(n)).toFixed(1)} ms`).join(', ');
      const size = outputs.get('after').length;
      const same = against ? (outputs.get('after').equals(outputs.get('before')) ? 'identical' : 'DIFFERENT') : '';
      const ratio = against ? `; after/before ${(median(times.get('after')) / median(times.get('before'))).toFixed(2)}, bytes ${same}` : '';
      console.log(`${k}x ${format.padEnd(5)} ${report.findings.length} findings, ${(size / 1e6).toFixed(1)} MB: CPU per pass median ${line}${ratio}`);
      if (against && same !== 'identical') process.exitCode = 1;
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
