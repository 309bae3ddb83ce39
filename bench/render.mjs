#!/usr/bin/env node
// Render time vs scan time for charts and overlays, and the cost of source mapping.
// Run after `npm run build`: node --expose-gc bench/render.mjs [PATH...] (default: the shared corpus charts and kustomize trees).
// Render = helm template / kustomize build (cold: no cache; warm: content-hash cache hits).
// Scan = parse + rules + locating every finding; measured with and without source maps.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInputs } from '../dist/input/files.js';
import { RenderSession } from '../dist/input/render/index.js';
import { runEngine } from '../dist/engine/run.js';
import { builtinRules } from '../dist/rules/index.js';

const inputs = process.argv.slice(2).length ? process.argv.slice(2) : ['../shared/corpus/charts', '../shared/corpus/kustomize'].filter((p) => existsSync(p));
if (inputs.length === 0) {
  console.error('no inputs: pass chart/overlay paths, or run from the repo root next to shared/');
  process.exit(2);
}
const cache = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
process.env.RAMPART_CACHE_DIR = cache;
const ROUNDS = 9;

async function once(sourceMap, concurrency = 1) {
  // One render at a time, so render time and scan time add up to the wall time.
  const session = new RenderSession({ sourceMap, concurrency });
  const t0 = performance.now();
  const load = await loadInputs(inputs, undefined, session);
  const t1 = performance.now();
  const report = runEngine(load, { rules: builtinRules });
  // Locating is lazy in the engine's findings already; touch every location so both variants pay for it.
  let n = 0;
  for (const f of report.findings) n += f.location.line;
  const t2 = performance.now();
  return { load: t1 - t0, render: session.renderMs, engine: t2 - t1, renders: session.renders, hits: session.cacheHits, resources: load.resources.length, findings: report.findings.length, exact: report.findings.filter((f) => f.location.mapping === 'exact').length, n };
}

try {
  const cpus = os.availableParallelism();
  const parallel = await once(true, cpus);
  rmSync(cache, { recursive: true, force: true });
  const cold = await once(true);
  console.log(`inputs: ${inputs.join(' ')}`);
  console.log(`renders: ${cold.renders} (${cold.resources} resources, ${cold.findings} findings, ${cold.exact} exact mappings; ${cold.findings - cold.exact} best guess)`);
  console.log(`render (cold, one at a time; kustomize builds twice, plain + annotated): ${cold.render.toFixed(0)} ms`);
  console.log(`load wall time, cold, ${cpus} renders at once (render + parse): ${parallel.load.toFixed(0)} ms`);
  const warm = await once(true);
  console.log(`render (warm, ${warm.hits}/${warm.renders} cache hits): ${warm.render.toFixed(0)} ms`);
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const withMap = [];
  const without = [];
  for (let i = 0; i < ROUNDS; i++) {
    globalThis.gc?.();
    const a = await once(false);
    globalThis.gc?.();
    const b = await once(true);
    // Scan = parsing the rendered text into resources + the engine; render time excluded.
    without.push(a.load - a.render + a.engine);
    withMap.push(b.load - b.render + b.engine);
  }
  const w = med([...withMap]);
  const wo = med([...without]);
  const wMin = Math.min(...withMap);
  const woMin = Math.min(...without);
  console.log(`scan without source mapping: median ${wo.toFixed(0)} ms, best ${woMin.toFixed(0)} ms (${ROUNDS} rounds)`);
  console.log(`scan with source mapping:    median ${w.toFixed(0)} ms, best ${wMin.toFixed(0)} ms (${ROUNDS} rounds)`);
  console.log(`source-mapping overhead: ${(((w - wo) / wo) * 100).toFixed(1)}% on medians, ${(((wMin - woMin) / woMin) * 100).toFixed(1)}% on best runs (target <= 20%)`);
} finally {
  rmSync(cache, { recursive: true, force: true });
}
