#!/usr/bin/env node
// Throughput of `rampart scan` on the real-world corpus versus a parse-only pass with the same
// YAML library, in the same process. Runs against dist/ (run `npm run build` first).
//
//   node bench/scan.mjs [CORPUS_DIR] [--rounds N]
//
// Both passes start from the same in-memory texts (file reading is measured separately), run
// interleaved (parse, scan, parse, scan, ...) after a warm-up round, and the median is reported.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const CORPUS = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ?? '../shared/corpus/real-world';

if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(CORPUS)) {
  console.error(`corpus not found: ${CORPUS}`);
  process.exit(2);
}

const { expandPaths, loadText, emptyLoad, mergeLoads, displayPath } = await import('../dist/input/files.js');
const { runEngine } = await import('../dist/engine/run.js');
const { builtinRules } = await import('../dist/rules/index.js');
const { reporters } = await import('../dist/reports/index.js');

const t0 = performance.now();
const { files } = await expandPaths([CORPUS]);
const texts = await Promise.all(files.map(async (f) => ({ file: displayPath(f), text: await readFile(f, 'utf8') })));
const readMs = performance.now() - t0;
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.text, 'utf8'), 0);

/** Parse-only: what any YAML-reading tool must do at least: documents to JS values. */
function parseOnly() {
  let docs = 0;
  for (const { text } of texts) {
    for (const d of parseAllDocuments(text)) {
      const v = d.toJS({ maxAliasCount: 1000 });
      if (v !== null && v !== undefined) docs++;
    }
  }
  return { docs };
}

/** Full scan: positions, resource model, every built-in rule, suppressions, and the JSON report. */
function fullScan() {
  const load = emptyLoad();
  for (const { file, text } of texts) mergeLoads(load, loadText(text, file));
  const report = runEngine(load, { rules: builtinRules });
  const metas = new Map(builtinRules.map((r) => [r.meta.id, r.meta]));
  const out = reporters.json(report, { rules: metas, color: false });
  return { resources: report.summary.resources, findings: report.summary.findings, errors: report.errors.length, outBytes: out.length };
}

function time(fn) {
  const s = performance.now();
  const r = fn();
  return { ms: performance.now() - s, r };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Warm-up (JIT, lazy module state), then interleaved measured rounds.
const warmParse = time(parseOnly);
const warmScan = time(fullScan);
const parseMs = [];
const scanMs = [];
for (let i = 0; i < ROUNDS; i++) {
  parseMs.push(time(parseOnly).ms);
  scanMs.push(time(fullScan).ms);
}
const docs = warmParse.r.docs;
const mb = bytes / 1e6;
const p = median(parseMs);
const s = median(scanMs);
const rss = process.resourceUsage().maxRSS / 1024;

const line = (k, v) => console.log(`${k.padEnd(28)} ${v}`);
line('corpus', `${CORPUS}: ${files.length} files, ${mb.toFixed(1)} MB, ${docs} YAML documents`);
line('scan result', `${warmScan.r.resources} resources, ${warmScan.r.findings} findings, ${warmScan.r.errors} errors, ${builtinRules.length} rules`);
line('read files (once)', `${readMs.toFixed(0)} ms`);
line('rounds (after warm-up)', `${ROUNDS}, interleaved; medians below`);
line('parse-only', `${p.toFixed(0)} ms  ${(docs / (p / 1000)).toFixed(0)} docs/s  ${(mb / (p / 1000)).toFixed(1)} MB/s`);
line('full scan', `${s.toFixed(0)} ms  ${(docs / (s / 1000)).toFixed(0)} docs/s  ${(mb / (s / 1000)).toFixed(1)} MB/s`);
line('scan / parse-only throughput', `${(p / s).toFixed(2)}x (target >= 0.50x)`);
line('all rounds parse-only (ms)', parseMs.map((x) => x.toFixed(0)).join(' '));
line('all rounds full scan (ms)', scanMs.map((x) => x.toFixed(0)).join(' '));
line('peak memory (max RSS)', `${rss.toFixed(0)} MB`);
