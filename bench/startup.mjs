#!/usr/bin/env node
// Start-up cost of the CLI against a bare `node -e 0`: `--version`, `--help`, `scan` of one small
// file (text and json), `rules list`, `pss` of one small file. Runs against dist/ (run `npm run build` first).
//
//   node bench/startup.mjs [--runs N]
//
// Each case runs N times (interleaved with the baseline so load on the machine hits both alike) as a
// child process. CPU time is the child's own `process.cpuUsage()` at exit (reported through a
// preloaded hook, which the baseline loads too); wall time is measured around the spawn. Medians
// are printed with their ratio to the baseline, CPU and wall side by side. Targets (issue 18):
// --version ≤ 1.5×, one small file scanned ≤ 2.5×.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 9;

if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-startup-'));
const hook = path.join(dir, 'cpu-at-exit.mjs');
const report = path.join(dir, 'cpu.txt');
writeFileSync(
  hook,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => { const c = process.cpuUsage(); writeFileSync(${JSON.stringify(report)}, String((c.user + c.system) / 1000) + ' ' + process.resourceUsage().maxRSS); });\n`,
);
const pod = path.join(dir, 'pod.yaml');
writeFileSync(
  pod,
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.25\n',
);
// No config file found from the temp folder upwards changes what is loaded.
const cwd = dir;
const bin = path.resolve('bin/rampart.js');

const CASES = [
  ['node -e 0', ['-e', '0']],
  ['rampart --version', [bin, '--version']],
  ['rampart --help', [bin, '--help']],
  ['rampart scan --help', [bin, 'scan', '--help']],
  ['rampart scan pod.yaml', [bin, 'scan', pod, '--fail-on', 'never']],
  ['rampart scan pod.yaml -o json', [bin, 'scan', pod, '--fail-on', 'never', '-o', 'json']],
  ['rampart pss pod.yaml', [bin, 'pss', pod, '--fail-on', 'never']],
  ['rampart rules list', [bin, 'rules', 'list']],
];

function once(argv) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', hook, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [cpu, rssKb] = readFileSync(report, 'utf8').split(' ').map(Number);
  return { cpu, wall, rss: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const samples = CASES.map(() => ({ cpu: [], wall: [], rss: [] }));
once(CASES[0][1]); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  CASES.forEach(([, argv], k) => {
    const s = once(argv);
    samples[k].cpu.push(s.cpu);
    samples[k].wall.push(s.wall);
    samples[k].rss.push(s.rss);
  });
}
rmSync(dir, { recursive: true, force: true });

const base = { cpu: median(samples[0].cpu), wall: median(samples[0].wall) };
console.log(`startup, median of ${RUNS} runs (node ${process.version})`);
console.log(`${'case'.padEnd(32)} ${'cpu ms'.padStart(8)} ${'×node'.padStart(6)} ${'wall ms'.padStart(8)} ${'×node'.padStart(6)} ${'rss MiB'.padStart(8)}`);
CASES.forEach(([name], k) => {
  const cpu = median(samples[k].cpu);
  const wall = median(samples[k].wall);
  console.log(
    `${name.padEnd(32)} ${cpu.toFixed(1).padStart(8)} ${(cpu / base.cpu).toFixed(2).padStart(6)} ${wall.toFixed(1).padStart(8)} ${(wall / base.wall).toFixed(2).padStart(6)} ${median(samples[k].rss).toFixed(1).padStart(8)}`,
  );
});
