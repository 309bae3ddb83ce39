#!/usr/bin/env node
// `rampart pss` on generated pods (the shared generator, files of 1,000 pods), measured as the user
// runs it: the CLI reads, converts, evaluates and writes the report, in a child process timed by the
// kernel (CPU, wall, peak RSS). Each input is evaluated as it is read and released, so peak RSS
// should stay flat as the input grows (target: 3x the input + 100 MB). Side by side, in the same
// run and over the same documents, the two floors: the `yaml` package's parse-only pass and
// JSON.parse of the documents as JSON. Rows: the JSON report, the text report, --from-namespaces and
// --suggest (which read the inputs twice: the Namespaces first).
// Run after `npm run build`.  Usage: node bench/pss.mjs [--pods 25000,100000] [--keep]
import { existsSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure, fmt } from './measure.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--pods');
const SIZES = (at >= 0 ? args[at + 1] : '25000,100000').split(',').map(Number);
const PERF = '../shared/perf';
if (!existsSync('dist/cli/main.js') || !existsSync(PERF)) {
  console.error('needs dist/ (npm run build) and ../shared/perf');
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-pss-'));
try {
  for (const N of SIZES) {
    const dir = path.join(work, `pods-${N}`);
    const gen = spawnSync(process.execPath, [path.join(PERF, 'gen-pss.mjs'), dir, String(N)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(gen.stderr);
    const bytes = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    const jsonDir = path.join(work, `pods-${N}-json`);
    spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), dir, jsonDir], { encoding: 'utf8' });
    const out = path.join(work, 'report');
    const cli = (extra) => {
      const r = measure('bin/rampart.js', ['pss', dir, '--no-config', '--level', 'restricted', '--output', out, '--fail-on', 'never', ...extra]);
      return { ...r, reportMB: statSync(out).size / 1e6 };
    };
    const runs = [
      ['JSON report (-o json)', cli(['-o', 'json'])],
      ['text report', cli([])],
      ['-o json --from-namespaces', cli(['-o', 'json', '--from-namespaces'])],
      ['-o json --suggest', cli(['-o', 'json', '--suggest'])],
    ];
    const yamlFloor = measure(path.join(PERF, 'parse-only.mjs'), [dir]);
    const jsonFloor = measure(path.join(PERF, 'json-parse.mjs'), [jsonDir]);
    const mb = bytes / 1e6;
    const target = 3 * mb + 100;
    console.log(`pss bench: ${N} generated pods, ${fmt(mb, 1)} MB YAML in ${readdirSync(dir).length} files; restricted/latest; peak RSS target ${fmt(target, 0)} MB`);
    for (const [name, r] of runs) {
      console.log(
        `  rampart pss, ${name.padEnd(26)} ${fmt(r.cpuS)} s CPU  ${fmt(r.wallS)} s wall  = ${fmt(r.cpuS / yamlFloor.cpuS)}x yaml floor, ${fmt(r.cpuS / jsonFloor.cpuS, 1)}x JSON.parse floor;` +
          `  peak RSS ${fmt(r.maxRssMB, 0)} MB = ${fmt(r.maxRssMB / mb)}x input (${r.maxRssMB <= target ? 'within' : 'OVER'} target); report ${fmt(r.reportMB, 1)} MB, exit ${r.status}`,
      );
    }
    console.log(`  yaml parse-only floor                     ${fmt(yamlFloor.cpuS)} s CPU  peak RSS ${fmt(yamlFloor.maxRssMB, 0)} MB`);
    console.log(`  JSON.parse floor                          ${fmt(jsonFloor.cpuS)} s CPU  peak RSS ${fmt(jsonFloor.maxRssMB, 0)} MB`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(jsonDir, { recursive: true, force: true });
  }
} finally {
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
