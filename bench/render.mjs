#!/usr/bin/env node
// What rendering costs a user: `rampart scan CHARTS OVERLAYS` (render + scan, cold and with a warm
// render cache) against a plain `rampart scan` of the same charts and overlays rendered beforehand
// (../shared/perf/render-prep.mjs: same tools, same flags). Every run is the built CLI in its own
// process under /usr/bin/time, so CPU (user + sys) includes the helm/kubectl processes it waits for.
// Sizes: K copies of the inputs, each made distinct (a comment in every Chart.yaml and kustomization)
// so that the content-hash cache cannot share renders between copies. Runs are paired per round
// (plain, cold, warm); ratios are medians of per-round ratios.
// Usage (project root, after `npm run build`): node bench/render.mjs [--sizes 1,2] [--rounds 1] [PATH...]
// (default PATH: ../shared/corpus/charts ../shared/corpus/kustomize)
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findHelm } from '../dist/input/render/tools.js';
import { KUSTOMIZATION_FILES } from '../dist/input/render/index.js';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const sizes = opt('--sizes', '1,2').split(',').map(Number);
const rounds = Number(opt('--rounds', '1'));
const inputs = argv.length ? argv : ['../shared/corpus/charts', '../shared/corpus/kustomize'].filter((p) => existsSync(p));
const PREP = '../shared/perf/render-prep.mjs';
if (inputs.length === 0 || !existsSync(PREP)) {
  console.error(`needs inputs and ${PREP}: run from the repo root next to shared/, or pass chart/overlay paths`);
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('needs /usr/bin/time (GNU time) to count the renderer processes CPU and peak RSS');
  process.exit(2);
}
const helm = findHelm();
const helmBin = helm.unpack ? helm.unpack() : helm.bin;
const BIN = path.resolve('bin/rampart.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-render-'));

function bytesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? bytesUnder(p) : e.isFile() ? statSync(p).size : 0;
  }
  return n;
}

/** Marks every chart and kustomization of a copy so its content (and render cache key) is its own. */
function distinguish(dir, tag) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) distinguish(p, tag);
    else if (e.name === 'Chart.yaml' || KUSTOMIZATION_FILES.includes(e.name)) appendFileSync(p, `\n# ${tag}\n`);
  }
}

/** One CLI run: wall and CPU seconds (children included), peak RSS in bytes, and the JSON summary. */
function run(args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, BIN, 'scan', ...args, '-o', 'json', '--fail-on', 'never'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
  });
  const m = /TIME (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing from /usr/bin/time: ${r.stderr.slice(-500)}`);
  if (!r.stdout.trim()) throw new Error(`rampart ${args.join(' ')} printed no report: ${r.stderr.slice(-800)}`);
  const summary = JSON.parse(r.stdout).summary;
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rss: Number(m[4]) * 1024, summary };
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x) => `${x.toFixed(1)} s`;
const mb = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;

try {
  console.log(`inputs: ${inputs.join(' ')}; sizes ${sizes.join(', ')}x; ${rounds} round(s) per size; helm: ${helm.origin}`);
  console.log('size | units | rendered | plain scan cpu/wall | render+scan cold cpu/wall | warm cpu/wall | cold/plain cpu, wall | warm/plain cpu, wall | peak RSS (plain, cold) / rendered bytes');
  for (const k of sizes) {
    const tree = path.join(work, `x${k}`);
    for (let i = 0; i < k; i++) {
      for (const input of inputs) cpSync(input, path.join(tree, `c${i}`, path.basename(input)), { recursive: true });
      distinguish(path.join(tree, `c${i}`), `bench copy ${i}`);
    }
    const out = path.join(work, `rendered-x${k}`);
    const prep = spawnSync(process.execPath, [PREP, out, helmBin, tree], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (prep.status !== 0) throw new Error(`render-prep failed: ${prep.stderr}`);
    const p = JSON.parse(prep.stdout.trim().split('\n').pop());
    const renderedBytes = bytesUnder(out);
    const rows = [];
    for (let r = 0; r < rounds; r++) {
      const cache = path.join(work, `cache-${k}-${r}`);
      const plain = run([out]);
      const cold = run([tree], { RAMPART_CACHE_DIR: cache });
      const warm = run([tree], { RAMPART_CACHE_DIR: cache });
      rmSync(cache, { recursive: true, force: true });
      if (r === 0 && plain.summary.resources !== cold.summary.resources) {
        console.log(`  note: ${plain.summary.resources} resources from the pre-rendered files, ${cold.summary.resources} from rendering (render-prep: ${p.failed} unit(s) failed)`);
      }
      rows.push({ plain, cold, warm });
    }
    const m = (f) => med(rows.map(f));
    console.log(
      [
        `${k}x`,
        `${p.units}`,
        mb(renderedBytes),
        `${s(m((x) => x.plain.cpu))} / ${s(m((x) => x.plain.wall))}`,
        `${s(m((x) => x.cold.cpu))} / ${s(m((x) => x.cold.wall))}`,
        `${s(m((x) => x.warm.cpu))} / ${s(m((x) => x.warm.wall))}`,
        `${m((x) => x.cold.cpu / x.plain.cpu).toFixed(1)}x, ${m((x) => x.cold.wall / x.plain.wall).toFixed(1)}x`,
        `${m((x) => x.warm.cpu / x.plain.cpu).toFixed(1)}x, ${m((x) => x.warm.wall / x.plain.wall).toFixed(1)}x`,
        `${(m((x) => x.plain.rss) / renderedBytes).toFixed(1)}, ${(m((x) => x.cold.rss) / renderedBytes).toFixed(1)}`,
      ].join(' | '),
    );
    console.log(`  renderers alone (render-prep, wall): ${(p.toolWallMs / 1000).toFixed(1)} s for ${p.units} units`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
