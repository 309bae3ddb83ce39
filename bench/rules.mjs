#!/usr/bin/env node
// What the rule engine costs after reading, on the real-world corpus (run after `npm run build`):
// the work `rampart scan` does between reading and writing, with the settings it passes (the
// bootstrap RBAC objects). Everything is CPU time (process.cpuUsage) in one process, side by side:
//   - load: reading the corpus, cold (first, as a scan pays it) and warm (median of later reads);
//   - engine, cold: the first run of every built-in rule (JIT and every cache cold: what a scan pays);
//   - engine, fresh objects: later runs, each on freshly copied objects with the position caches
//     dropped, so caches keyed by object (RBAC reads, PSS results, positions) start empty as in a scan
//     and only the JIT is warm; the same for each rule family and each rule alone (per-run engine
//     overhead included);
//   - report: the JSON report written (into memory) from the cold run's findings.
// Ratios are against the cold load. Usage: node bench/rules.mjs [CORPUS_DIR] [--runs N] [--top N]
import path from 'node:path';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const runs = opt('--runs', 3);
const top = opt('--top', 25);
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? path.join('..', 'shared', 'corpus', 'real-world');
if (!existsSync('dist/engine/run.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(dir)) {
  console.error(`corpus ${dir} is missing`);
  process.exit(2);
}
const { loadInputs } = await import('../dist/input/files.js');
const { releasePositions } = await import('../dist/input/yaml.js');
const { rbacScanSettings } = await import('../dist/input/rbac-defaults.js');
const { runEngine } = await import('../dist/engine/run.js');
const { builtinRules } = await import('../dist/rules/index.js');
const { reporters } = await import('../dist/reports/index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let c0 = cpuMs();
const load = await loadInputs([dir], undefined, false);
const coldLoad = cpuMs() - c0;
const warmLoads = [];
for (let i = 0; i < 2; i++) {
  c0 = cpuMs();
  await loadInputs([dir], undefined, false);
  warmLoads.push(cpuMs() - c0);
}
const warmLoad = median(warmLoads);
const rbac = await rbacScanSettings(undefined, false, load.resources);
const settings = { rbac: rbac.settings };
const config = { rules: {}, exceptions: [], settings: {} };
const inputOf = (resources) => ({ resources, errors: [...load.errors, ...rbac.errors], skipped: load.skipped, files: load.files });

c0 = cpuMs();
const coldReport = runEngine(inputOf(load.resources), { rules: builtinRules, config, settings });
const coldEngine = cpuMs() - c0;
c0 = cpuMs();
let reportBytes = 0;
for (const piece of reporters.json.chunks(coldReport, { rules: new Map(builtinRules.map((r) => [r.meta.id, r.meta])), color: false })) reportBytes += piece.length;
const reportMs = cpuMs() - c0;

/** New objects with the same content (caches keyed by object miss), and no cached positions. */
const fresh = () => {
  releasePositions();
  return load.resources.map((r) => ({ ...r, labels: { ...r.labels }, annotations: { ...r.annotations }, object: structuredClone(r.object) }));
};
/** Median CPU of `runs` engine runs of these rules, each on fresh objects (copying is not timed). */
const timeRules = (rules) => {
  const t = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const input = inputOf(fresh());
    const t0 = cpuMs();
    findings = runEngine(input, { rules, config, settings }).findings.length;
    t.push(cpuMs() - t0);
  }
  return { ms: median(t), findings };
};

const n = load.resources.length;
const pct = (ms) => `${((ms / coldLoad) * 100).toFixed(0)}%`;
console.log(`corpus ${dir}: ${load.files} files, ${n} resources, ${(load.bytes / 1e6).toFixed(1)} MB; CPU ms, ${runs} runs per median`);
console.log(`load:   cold ${coldLoad.toFixed(0)}, warm ${warmLoad.toFixed(0)}`);
const all = timeRules(builtinRules);
console.log(`engine, all ${builtinRules.length} rules: cold ${coldEngine.toFixed(0)} (${pct(coldEngine)} of the cold load), fresh objects ${all.ms.toFixed(0)} (${pct(all.ms)}); ${all.findings} findings`);
console.log(`json report of those findings: ${reportMs.toFixed(0)} (${pct(reportMs)}), ${(reportBytes / 1e6).toFixed(1)} MB`);

const families = new Map();
for (const r of builtinRules) {
  const f = r.meta.id.split('/')[0];
  families.set(f, [...(families.get(f) ?? []), r]);
}
console.log(`\n${'family'.padEnd(12)} ${'rules'.padStart(5)} ${'CPU ms'.padStart(8)} ${'of load'.padStart(8)} ${'findings'.padStart(9)}`);
for (const [f, rules] of families) {
  const t = timeRules(rules);
  console.log(`${f.padEnd(12)} ${String(rules.length).padStart(5)} ${t.ms.toFixed(0).padStart(8)} ${pct(t.ms).padStart(8)} ${String(t.findings).padStart(9)}`);
}

const per = builtinRules.map((rule) => ({ id: rule.meta.id, ...timeRules([rule]) }));
per.sort((a, b) => b.ms - a.ms);
const sum = per.reduce((a, p) => a + p.ms, 0);
console.log(`\nrules alone, costliest ${top} of ${per.length} (sum of all single-rule runs ${sum.toFixed(0)} ms: each pays the per-run engine overhead)`);
console.log(`${'rule'.padEnd(40)} ${'CPU ms'.padStart(8)} ${'resources/s'.padStart(12)} ${'findings'.padStart(9)}`);
for (const p of per.slice(0, top)) console.log(`${p.id.padEnd(40)} ${p.ms.toFixed(1).padStart(8)} ${Math.round(n / (p.ms / 1000)).toString().padStart(12)} ${String(p.findings).padStart(9)}`);
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB for ${(load.bytes / 1e6).toFixed(1)} MB of input (this bench holds extra copies; see bench/scan.mjs for the scan's)`);
