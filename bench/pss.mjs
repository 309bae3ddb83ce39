#!/usr/bin/env node
// `rampart pss` on generated pods (the shared generator, 100 files of 1,000 pods), measured as the
// user runs it: the CLI reads, converts, evaluates and writes a JSON report, in a child process timed
// by the kernel (CPU, wall, peak RSS). Side by side, in the same run, the two floors over the same
// documents: the `yaml` package's parse-only pass and JSON.parse of the documents as JSON.
// Run after `npm run build`.  Usage: node bench/pss.mjs [--pods 100000] [--keep]
import { existsSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure, fmt } from './measure.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--pods');
const N = at >= 0 ? Number(args[at + 1]) : 100_000;
const PERF = '../shared/perf';
if (!existsSync('dist/cli/main.js') || !existsSync(PERF)) {
  console.error('needs dist/ (npm run build) and ../shared/perf');
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-pss-'));
try {
  const dir = path.join(work, 'pods');
  const gen = spawnSync(process.execPath, [path.join(PERF, 'gen-pss.mjs'), dir, String(N)], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(gen.stderr);
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  const jsonDir = path.join(work, 'pods-json');
  spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), dir, jsonDir], { encoding: 'utf8' });
  const out = path.join(work, 'report.json');
  const pss = measure('bin/rampart.js', ['pss', dir, '--no-config', '--level', 'restricted', '-o', 'json', '--output', out, '--fail-on', 'never']);
  const reportMB = statSync(out).size / 1e6;
  const yamlFloor = measure(path.join(PERF, 'parse-only.mjs'), [dir]);
  const jsonFloor = measure(path.join(PERF, 'json-parse.mjs'), [jsonDir]);
  const mb = bytes / 1e6;
  console.log(`pss bench: ${N} generated pods, ${fmt(mb, 1)} MB YAML in ${readdirSync(dir).length} files; restricted/latest; JSON report ${fmt(reportMB, 1)} MB (exit ${pss.status})`);
  console.log(`  rampart pss (CLI: read, convert, evaluate, report)  ${fmt(pss.cpuS)} s CPU  ${fmt(pss.wallS)} s wall  peak RSS ${fmt(pss.maxRssMB, 0)} MB = ${fmt(pss.maxRssMB / mb)}x input (target <= ${fmt(3 * mb + 100, 0)} MB)`);
  console.log(`  yaml parse-only floor                              ${fmt(yamlFloor.cpuS)} s CPU  peak RSS ${fmt(yamlFloor.maxRssMB, 0)} MB`);
  console.log(`  JSON.parse floor                                   ${fmt(jsonFloor.cpuS)} s CPU  peak RSS ${fmt(jsonFloor.maxRssMB, 0)} MB`);
  console.log(`  pss CLI / yaml floor: ${fmt(pss.cpuS / yamlFloor.cpuS)}x CPU;  pss CLI / JSON.parse floor: ${fmt(pss.cpuS / jsonFloor.cpuS)}x CPU`);
} finally {
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
