#!/usr/bin/env node
// Benchmark: NetworkPolicy matrix at several sizes (default 1,250 / 2,500 / 5,000 pods at 1,000
// policies, worlds from ../shared/perf/gen-netpol.mjs), side by side in one run. Each measurement
// runs in a fresh child process so that peak RSS is its own. Per size, CPU time (user + sys,
// process.cpuUsage) of: load (the floor: parse the YAML into resources), model (pods, policies),
// matrix (classes + class matrix), list (the np-guard connection list streamed and formatted, not
// held), classes (the list grouped by class); wall time of the whole; peak RSS ÷ input bytes; and
// RSS growth while the list streams (flat memory means it does not grow with the list).
// Runs against dist/ (npm run build first).
// Usage: node bench/netpol.mjs [--sizes 1250,2500,5000] [--policies 1000] [--namespaces 200] [--runs 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1250,2500,5000' },
    policies: { type: 'string', default: '1000' },
    namespaces: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    child: { type: 'string' },
    phase: { type: 'string' },
  },
});

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

if (values.child) {
  // One measurement: `load` stops after the floor; `all` runs every phase.
  const { loadText } = await import('../dist/input/files.js');
  const nf = await import('../dist/analyses/netpol/index.js');
  const wall0 = performance.now();
  const out = {};
  let t = cpu();
  const load = loadText(readFileSync(values.child, 'utf8'), 'world.yaml');
  if (load.errors.length) throw new Error(load.errors[0].message);
  out.load = cpu() - t;
  if (values.phase === 'all') {
    t = cpu();
    const engine = new nf.NetpolEngine(nf.clusterFromResources(load.resources));
    out.model = cpu() - t;
    t = cpu();
    const m = nf.computeMatrix(engine);
    out.matrix = cpu() - t;
    out.pods = engine.pods.length;
    out.classes = m.classes.length;
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    t = cpu();
    let lines = 0;
    let bytes = 0;
    let rssMax = rssBefore;
    for (const c of nf.connections(m)) {
      bytes += nf.lineOf(c).length + 1;
      if (++lines % 200000 === 0) rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }
    out.list = cpu() - t;
    out.lines = lines;
    out.listBytes = bytes;
    out.listRssGrowth = rssMax - rssBefore;
    t = cpu();
    let classLines = 0;
    for (const c of nf.classConnections(m)) {
      nf.lineOf(c);
      classLines++;
    }
    out.summary = nf.namespaceSummary(m).length;
    out.classList = cpu() - t;
    out.classLines = classLines;
  }
  out.wall = performance.now() - wall0;
  out.maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const gen = path.resolve('../shared/perf/gen-netpol.mjs');
if (!existsSync(gen)) {
  console.error(`netpol bench: SKIPPED — the world generator ${path.relative(process.cwd(), gen)} is absent`);
  process.exit(0);
}
const sizes = values.sizes.split(',').map(Number);
const RUNS = Number(values.runs);
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-netpol-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (file, phase) => {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1], '--child', file, '--phase', phase], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const rows = [];
try {
  for (const pods of sizes) {
    const file = path.join(dir, `world-${pods}.yaml`);
    const g = spawnSync(process.execPath, [gen, file, '--pods', String(pods), '--policies', values.policies, '--namespaces', values.namespaces], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(g.stderr);
    const bytes = statSync(file).size;
    // Alternate floor and full runs (A B A B …) and take medians: the machine is shared.
    const floor = [];
    const full = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(measure(file, 'load'));
      full.push(measure(file, 'all'));
    }
    const med = (list, k) => median(list.map((x) => x[k]));
    rows.push({
      pods,
      bytes,
      classes: full[0].classes,
      lines: full[0].lines,
      classLines: full[0].classLines,
      floorLoad: med(floor, 'load'),
      floorRss: med(floor, 'maxRss'),
      load: med(full, 'load'),
      model: med(full, 'model'),
      matrix: med(full, 'matrix'),
      list: med(full, 'list'),
      classList: med(full, 'classList'),
      wall: med(full, 'wall'),
      maxRss: med(full, 'maxRss'),
      listBytes: full[0].listBytes,
      listRssGrowth: med(full, 'listRssGrowth'),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ms = (x) => `${x.toFixed(0)} ms`;
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const table = [
  ['pods (policies ' + values.policies + ')', ...rows.map((r) => String(r.pods))],
  ['input', ...rows.map((r) => mib(r.bytes))],
  ['pod classes', ...rows.map((r) => String(r.classes))],
  ['floor: load only, CPU', ...rows.map((r) => ms(r.floorLoad))],
  ['model, CPU', ...rows.map((r) => ms(r.model))],
  ['matrix (classes), CPU', ...rows.map((r) => ms(r.matrix))],
  ['model + matrix ÷ floor', ...rows.map((r) => `${((r.model + r.matrix) / r.floorLoad).toFixed(2)}×`)],
  ['connection list, lines', ...rows.map((r) => String(r.lines))],
  ['  streamed, CPU', ...rows.map((r) => ms(r.list))],
  ['  RSS growth while streaming', ...rows.map((r) => `${mib(r.listRssGrowth)} (list ${mib(r.listBytes)})`)],
  ['grouped by class, lines', ...rows.map((r) => String(r.classLines))],
  ['  + namespace summary, CPU', ...rows.map((r) => ms(r.classList))],
  ['matrix + list CPU (target ≤ 1 s at 5,000)', ...rows.map((r) => ms(r.matrix + r.list))],
  ['matrix CPU per pod vs first size', ...rows.map((r) => `${(r.matrix / r.pods / (rows[0].matrix / rows[0].pods)).toFixed(2)}×`)],
  ['wall, whole run', ...rows.map((r) => ms(r.wall))],
  ['peak RSS (floor)', ...rows.map((r) => `${mib(r.maxRss)} (${mib(r.floorRss)})`)],
  ['peak RSS ÷ input', ...rows.map((r) => `${(r.maxRss / r.bytes).toFixed(1)}× (floor ${(r.floorRss / r.bytes).toFixed(1)}×)`)],
];
const width = table.map((r) => r[0].length).reduce((a, b) => Math.max(a, b));
const colw = table.flatMap((r) => r.slice(1)).map((c) => c.length).reduce((a, b) => Math.max(a, b)) + 2;
console.log(`netpol bench: medians of ${RUNS} paired runs (floor and full alternate), CPU = user + sys of one process`);
for (const r of table) console.log(r[0].padEnd(width) + r.slice(1).map((c) => c.padStart(colw)).join(''));
