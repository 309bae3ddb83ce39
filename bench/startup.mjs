#!/usr/bin/env node
// Start-up cost of the CLI against a bare `node -e 0`: `--version`, `--help`, `scan` of one small
// file (text and json), `rules list`, `pss` of one small file. Runs against dist/ (run `npm run build` first).
//
//   node bench/startup.mjs [--runs N] [--against CHECKOUT]
//
// --against CHECKOUT (another built checkout, e.g. the main branch's worktree) runs every rampart case
// with that checkout's CLI too, interleaved with this one's, and prints after ÷ before: a start-up
// change is a few milliseconds, below what runs minutes apart on a shared machine can show.
//
// Each case runs N times (interleaved with the baseline so load on the machine hits both alike) as a
// child process, started exactly as a user starts it (no preloaded hooks that would pad the
// baseline). CPU time is what the kernel charged the waited-for children (cutime + cstime of
// /proc/self/stat, in clock ticks), summed over the runs and divided by N — per run the tick is too
// coarse, over N runs it is exact; wall time is measured around each spawn and its median taken.
// Ratios to the baseline are printed, CPU and wall side by side. Targets (issue 18): --version
// ≤ 1.5×, one small file scanned ≤ 2.5×. Linux only (/proc).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 9;
const againstAt = args.indexOf('--against');
const AGAINST = againstAt >= 0 ? args[againstAt + 1] : undefined;
if (AGAINST && !existsSync(path.join(AGAINST, 'dist/cli/main.js'))) {
  console.error(`${AGAINST}: dist/ is missing: run \`npm run build\` there first`);
  process.exit(2);
}

if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

if (!existsSync('/proc/self/stat')) {
  console.error('bench/startup.mjs reads children CPU time from /proc/self/stat (Linux only)');
  process.exit(2);
}
const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
/** CPU ms charged so far to this process's waited-for children. */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 is the state; cutime and cstime are fields 16 and 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * TICK_MS;
}

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-startup-'));
const pod = path.join(dir, 'pod.yaml');
writeFileSync(
  pod,
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.25\n',
);
// No config file found from the temp folder upwards changes what is loaded.
const cwd = dir;
const casesOf = (bin, tag) => [
  [`rampart --version${tag}`, [bin, '--version']],
  [`rampart --help${tag}`, [bin, '--help']],
  [`rampart scan --help${tag}`, [bin, 'scan', '--help']],
  [`rampart scan pod.yaml${tag}`, [bin, 'scan', pod, '--fail-on', 'never']],
  [`rampart scan pod.yaml -o json${tag}`, [bin, 'scan', pod, '--fail-on', 'never', '-o', 'json']],
  [`rampart pss pod.yaml${tag}`, [bin, 'pss', pod, '--fail-on', 'never']],
  [`rampart rules list${tag}`, [bin, 'rules', 'list']],
];
const mine = casesOf(path.resolve('bin/rampart.js'), '');
const theirs = AGAINST ? casesOf(path.resolve(AGAINST, 'bin/rampart.js'), ' (against)') : [];
const CASES = [['node -e 0', ['-e', '0']], ...mine, ...theirs];

function once(argv) {
  const cpu0 = childrenCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { cpu: childrenCpuMs() - cpu0, wall };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const samples = CASES.map(() => ({ cpu: 0, wall: [] }));
once(CASES[0][1]); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  CASES.forEach(([, argv], k) => {
    const s = once(argv);
    samples[k].cpu += s.cpu / RUNS;
    samples[k].wall.push(s.wall);
  });
}
rmSync(dir, { recursive: true, force: true });

const base = { cpu: samples[0].cpu, wall: median(samples[0].wall) };
console.log(`startup, ${RUNS} runs per case (node ${process.version}): CPU mean, wall median`);
console.log(`${'case'.padEnd(44)} ${'cpu ms'.padStart(8)} ${'×node'.padStart(6)} ${'wall ms'.padStart(8)} ${'×node'.padStart(6)}`);
const row = (name, k) => {
  const cpu = samples[k].cpu;
  const wall = median(samples[k].wall);
  return `${name.padEnd(44)} ${cpu.toFixed(1).padStart(8)} ${(cpu / base.cpu).toFixed(2).padStart(6)} ${wall.toFixed(1).padStart(8)} ${(wall / base.wall).toFixed(2).padStart(6)}`;
};
console.log(row(CASES[0][0], 0));
mine.forEach(([name], i) => {
  const k = 1 + i;
  if (!AGAINST) return console.log(row(name, k));
  const j = 1 + mine.length + i;
  console.log(row(theirs[i][0], j));
  console.log(`${row(name, k)}   after/before CPU ${(samples[k].cpu / samples[j].cpu).toFixed(2)}, wall ${(median(samples[k].wall) / median(samples[j].wall)).toFixed(2)}`);
});
