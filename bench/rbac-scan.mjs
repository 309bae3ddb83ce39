#!/usr/bin/env node
// The RBAC part of `rampart scan` on the shared generator's RBAC worlds, next to the parse of the same
// files: parse (loadInputs) | every rbac rule with the bootstrap policy (rbac/escalation-path included) |
// the ratio (parse + rbac) / parse against our own reader. Then the whole CLI (`rampart scan WORLD --no-config
// -o json`, every rule, the report written) next to the `yaml` parse-only floor of the same file
// (../shared/perf/parse-only.mjs, the "parse-only floor"), each a process of its own: the issue-18
// target is scan <= 2x its parse-only time. CPU time (process.cpuUsage; whole processes for the CLI and the
// floor, node's start included in both) and wall, several sizes side by side, each size in its own process
// so peak RSS is its own. Needs `npm run build`.
//
//   node bench/rbac-scan.mjs [--sizes 1000/2000,5000/10000,10000/20000] [--broad 0.02]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureWorlds } from './rbac-worlds.mjs';
import { measure } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
if (!existsSync(path.join(root, 'dist/input/rbac-defaults.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

if (args[0] === '--reader-only') {
  // Our reader's parse-only floor as a process: node's start, the reader's modules, loadInputs of the world.
  const { loadInputs } = await import(path.join(root, 'dist', 'input/files.js'));
  const load = await loadInputs([args[1]]);
  if (load.resources.length === 0) throw new Error('nothing read');
} else if (args[0] === '--child') {
  const imp = (p) => import(path.join(root, 'dist', p));
  const { loadInputs } = await imp('input/files.js');
  const { loadRbacDefaults } = await imp('input/rbac-defaults.js');
  const { runEngine } = await imp('engine/run.js');
  const { rbacRules } = await imp('rules/rbac/index.js');
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const time = async (fn) => {
    const c = cpuNow();
    const w = performance.now();
    const value = await fn();
    return { value, cpu: cpuNow() - c, wall: performance.now() - w };
  };
  const defaults = await loadRbacDefaults();
  const parse = await time(() => loadInputs([args[1]]));
  const rules = await time(() => runEngine(parse.value, { rules: rbacRules, settings: { rbac: { defaults: true, defaultObjects: defaults.resources } } }));
  const byRule = {};
  for (const f of rules.value.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  // The CLI and the floor, each in a process of its own (after this one's figures are taken).
  const cli = measure(path.join(root, 'bin/rampart.js'), ['scan', args[1], '--no-config', '-o', 'json', '--output', '/dev/null']);
  if (cli.status !== 0 && cli.status !== 1) throw new Error(`rampart scan exited ${cli.status}`);
  const floor = measure(path.join(root, '..', 'shared', 'perf', 'parse-only.mjs'), [args[1]]);
  const reader = measure(fileURLToPath(import.meta.url), ['--reader-only', args[1]]);
  process.stdout.write(
    JSON.stringify({
      parse: { cpu: parse.cpu, wall: parse.wall },
      rules: { cpu: rules.cpu, wall: rules.wall },
      findings: rules.value.findings.length,
      paths: byRule['rbac/escalation-path'] ?? 0,
      maxRssMB,
      cli: { cpu: cli.cpuS * 1000, wall: cli.wallS * 1000, maxRssMB: cli.maxRssMB },
      floor: { cpu: floor.cpuS * 1000, wall: floor.wallS * 1000, maxRssMB: floor.maxRssMB },
      reader: { cpu: reader.cpuS * 1000, wall: reader.wallS * 1000, maxRssMB: reader.maxRssMB },
    }),
  );
} else {
  const rows = measureWorlds(opt('sizes', '1000/2000,5000/10000,10000/20000'), opt('broad', '0.02'), fileURLToPath(import.meta.url), []);
  const f = (x) => x.toFixed(0);
  const line = (label, get) => console.log(label.padEnd(34) + rows.map((r) => get(r).padStart(20)).join(''));
  console.log('rbac part of scan (CPU ms / wall ms)');
  line('roles/bindings', (r) => r.label);
  line('input MB', (r) => (r.bytes / 1048576).toFixed(1));
  line('parse (loadInputs)', (r) => `${f(r.parse.cpu)} / ${f(r.parse.wall)}`);
  line('rbac rules (with bootstrap policy)', (r) => `${f(r.rules.cpu)} / ${f(r.rules.wall)}`);
  line('(parse + rbac) / parse, CPU', (r) => ((r.parse.cpu + r.rules.cpu) / r.parse.cpu).toFixed(2) + 'x');
  line('findings (escalation paths)', (r) => `${r.findings} (${r.paths})`);
  line('peak RSS MB (RSS / input)', (r) => `${r.maxRssMB} (${(r.maxRssMB / (r.bytes / 1048576)).toFixed(1)}x)`);
  console.log('whole processes (CPU ms / wall ms)');
  line('rampart scan WORLD (CLI, every rule)', (r) => `${f(r.cli.cpu)} / ${f(r.cli.wall)}`);
  line('yaml parse-only floor', (r) => `${f(r.floor.cpu)} / ${f(r.floor.wall)}`);
  line('our reader only (loadInputs)', (r) => `${f(r.reader.cpu)} / ${f(r.reader.wall)}`);
  line('scan / yaml floor, CPU (target <= 2x)', (r) => (r.cli.cpu / r.floor.cpu).toFixed(2) + 'x');
  line('scan / our reader only, CPU', (r) => (r.cli.cpu / r.reader.cpu).toFixed(2) + 'x');
  line('peak RSS MB: scan / floor / reader', (r) => [r.cli, r.floor, r.reader].map((x) => Math.round(x.maxRssMB)).join(' / '));
}
