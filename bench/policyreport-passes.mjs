#!/usr/bin/env node
// What PolicyReport pass results cost: the same scan written as JSON (no passes recorded) and as a
// PolicyReport (a pass per rule × resource), side by side, at several sizes of the seeded PSS pod
// generator. Prints CPU, wall, peak RSS, RSS ÷ input and the pass count.
// Usage: node bench/policyreport-passes.mjs [pods...]   (default 3000 10000 30000; build first)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fmt, measure } from './measure.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const GEN = path.resolve('../shared/perf/gen-pss.mjs');
const BIN = path.resolve('bin/rampart.js');
console.log('pods     format        cpu s   wall s  peak MB  RSS/input  passes');
for (const n of sizes.length ? sizes : [3000, 10000, 30000]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-passes-'));
  try {
    spawnSync(process.execPath, [GEN, dir, String(n)], { stdio: 'ignore' });
    const inputMB = readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0) / 1e6;
    const rows = [];
    for (const format of ['json', 'policyreport']) {
      const out = path.join(dir, `out.${format}`);
      const m = measure(BIN, ['scan', dir, '-o', format, '--output', out, '--no-config', '--fail-on', 'never']);
      let passes = '-';
      if (format === 'policyreport') {
        const r = spawnSync('grep', ['-c', '^    result: pass$', out], { encoding: 'utf8' });
        passes = r.stdout.trim();
      }
      rows.push(m);
      console.log(`${String(n).padEnd(8)} ${format.padEnd(12)} ${fmt(m.cpuS).padStart(7)} ${fmt(m.wallS).padStart(8)} ${fmt(m.maxRssMB, 0).padStart(8)} ${fmt(m.maxRssMB / inputMB, 1).padStart(9)}×  ${passes}`);
    }
    console.log(`${String(n).padEnd(8)} policyreport ÷ json: cpu ${fmt(rows[1].cpuS / rows[0].cpuS)}×, peak RSS ${fmt(rows[1].maxRssMB / rows[0].maxRssMB)}× (input ${fmt(inputMB, 1)} MB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
