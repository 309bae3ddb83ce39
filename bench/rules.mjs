#!/usr/bin/env node
// Per-rule cost of the workload, image and secrets rules on the real-world corpus (run after `npm run build`).
// Prints, per rule, the median CPU time of a full pass over every resource and the resulting
// resources/s, and the rules' share of the load (parse) time. Everything is CPU time
// (process.cpuUsage) in one process; the load is timed cold (first pass, as a scan pays it) and
// warm (median of later passes), so the share is not flattered by comparing warm rules with a
// cold wall-clock parse. Usage: node bench/rules.mjs [CORPUS_DIR] [--runs N]
import path from 'node:path';
import { existsSync } from 'node:fs';

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
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const time = (fn) => {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = cpuMs();
    fn();
    t.push(cpuMs() - t0);
  }
  return median(t);
};

let c0 = cpuMs();
const load = await loadInputs([dir], undefined, false);
const coldMs = cpuMs() - c0;
const warmRuns = [];
for (let i = 0; i < 3; i++) {
  c0 = cpuMs();
  await loadInputs([dir], undefined, false);
  warmRuns.push(cpuMs() - c0);
}
const parseMs = median(warmRuns);
const input = { resources: load.resources, errors: load.errors, skipped: load.skipped, files: load.files };
const mine = builtinRules.filter((r) => /^(workload|image|secrets)\//.test(r.meta.id));
const config = { rules: { 'image/registry-allowlist': { options: { allowed: ['registry.k8s.io', 'quay.io', 'ghcr.io', 'docker.io/library'] } } }, exceptions: [], settings: {} };

console.log(`corpus: ${dir}: ${load.files} files, ${load.resources.length} resources, ${(load.bytes / 1e6).toFixed(1)} MB; load CPU: cold ${coldMs.toFixed(0)} ms, warm ${parseMs.toFixed(0)} ms; rule CPU: median of ${runs} runs below`);
console.log(`${'rule'.padEnd(32)} ${'CPU ms'.padStart(8)} ${'resources/s'.padStart(12)} ${'findings'.padStart(9)}`);
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
console.log(`these rules cost ${((all / parseMs) * 100).toFixed(1)}% of the warm load and ${((all / coldMs) * 100).toFixed(1)}% of the cold load, CPU (sum of single-rule runs: ${total.toFixed(1)} ms, includes per-run engine overhead)`);
const every = time(() => runEngine(input, { rules: builtinRules, config }));
console.log(`all ${builtinRules.length} built-in rules, one engine run: ${every.toFixed(0)} ms CPU = ${((every / parseMs) * 100).toFixed(1)}% of the warm load, ${((every / coldMs) * 100).toFixed(1)}% of the cold load`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB for ${(load.bytes / 1e6).toFixed(1)} MB of input`);
