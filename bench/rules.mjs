#!/usr/bin/env node
// Per-rule cost of the workload, image and secrets rules on the real-world corpus (run after `npm run build`).
// Prints, per rule, the median time of a full pass over every resource and the resulting resources/s,
// and the share of the parse time. Usage: node bench/rules.mjs [CORPUS_DIR] [--runs N]
import path from 'node:path';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? path.join('..', 'shared', 'corpus', 'real-world');
if (!existsSync('dist/engine/run.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(dir)) {
  console.error(`corpus ${dir} is missing`);
  process.exit(2);
}
const { loadInputs } = await import('../dist/input/files.js');
const { runEngine } = await import('../dist/engine/run.js');
const { builtinRules } = await import('../dist/rules/index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
};

const t0 = performance.now();
const load = await loadInputs([dir]);
const parseMs = performance.now() - t0;
const input = { resources: load.resources, errors: load.errors, skipped: load.skipped, files: load.files };
const mine = builtinRules.filter((r) => /^(workload|image|secrets)\//.test(r.meta.id));
const config = { rules: { 'image/registry-allowlist': { options: { allowed: ['registry.k8s.io', 'quay.io', 'ghcr.io', 'docker.io/library'] } } }, exceptions: [], settings: {} };

console.log(`corpus: ${dir}: ${load.files} files, ${load.resources.length} resources, ${(load.bytes / 1e6).toFixed(1)} MB; parse (one cold pass) ${parseMs.toFixed(0)} ms; median of ${runs} runs below`);
console.log(`${'rule'.padEnd(32)} ${'ms'.padStart(8)} ${'resources/s'.padStart(12)} ${'findings'.padStart(9)}`);
let total = 0;
for (const rule of mine) {
  let findings = 0;
  const ms = time(() => {
    findings = runEngine(input, { rules: [rule], config }).findings.length;
  });
  total += ms;
  console.log(`${rule.meta.id.padEnd(32)} ${ms.toFixed(2).padStart(8)} ${Math.round(load.resources.length / (ms / 1000)).toString().padStart(12)} ${String(findings).padStart(9)}`);
}
const all = time(() => runEngine(input, { rules: mine, config }));
console.log(`${'all of the above, one engine run'.padEnd(32)} ${all.toFixed(2).padStart(8)} ${Math.round(load.resources.length / (all / 1000)).toString().padStart(12)}`);
console.log(`rules cost ${((all / parseMs) * 100).toFixed(1)}% of the parse time (sum of single-rule runs: ${total.toFixed(1)} ms, includes per-run engine overhead)`);
console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
