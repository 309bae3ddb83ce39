#!/usr/bin/env node
// The reader alone, in one process: every YAML file of a corpus split into documents and read by
// the block reader (and by the whole fast path: block reader, js-yaml for what it declines), next to
// the `yaml` package's parse (parseAllDocuments + toJS) and JSON.parse of the same documents as JSON
// text. Several passes each; CPU per pass (process.cpuUsage), MB/s and ratios printed side by side.
// --against CHECKOUT reads the same documents with another checkout's built reader (dist/), passes
// alternated with this one's, and prints after/before. Values kept per pass, as a scan keeps them.
//
//   node --expose-gc bench/reader.mjs [--passes 5] [--against ../base] [--skim KINDS] [--cold N] [DIR]   (DIR: ../shared/corpus/real-world)
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { takeOption } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const passes = Number(opt('--passes', '5'));
const against = opt('--against', undefined);
// --skim KINDS (comma-separated, e.g. CustomResourceDefinition): the reader also reads with those
// kinds' bodies skimmed (checked, not built; as `rampart scan` reads them), in its own rows; with
// --against both builds do, alternated, and the skimmed values are compared too. --cold skims in both.
const skimArg = opt('--skim', undefined);
const skim = skimArg ? new Set(skimArg.split(',')) : undefined;
// --cold N: N more runs of one first pass each in a fresh process, with the compiler settings
// `rampart scan` uses (its reader runs once, cold); builds alternated. --child ROOT is one such run.
const cold = Number(opt('--cold', '0'));
const child = opt('--child', undefined);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = args[0] ?? path.join(here, '..', '..', 'shared', 'corpus', 'real-world');

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) files.push(p);
  }
};
walk(dir);
files.sort();

async function reader(root) {
  const dist = (f) => pathToFileURL(path.join(root, 'dist', 'input', f)).href;
  const kube = await import(dist('kube-yaml.js'));
  const block = await import(dist('kube-yaml-block.js'));
  return { kube, block };
}
const after = await reader(child ? path.resolve(child) : path.join(here, '..'));
const before = against && !child ? await reader(path.resolve(against)) : undefined;

// Documents as the scan splits them (files with a BOM or directives skipped, as the scan reads them whole).
const docs = [];
let bytes = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  if (text.charCodeAt(0) === 0xfeff || /^%/m.test(text)) continue;
  for (const sp of after.kube.splitDocuments(text)) {
    if (sp.content < 0) continue;
    const t = text.slice(sp.start, sp.end);
    docs.push(t);
    bytes += t.length;
  }
}
const MAX_DEPTH = 98;

if (child) {
  const c0 = process.cpuUsage();
  after.block.holdStrings(true);
  for (const t of docs) after.kube.fastDocumentValue(t, MAX_DEPTH, false, skim);
  after.block.holdStrings(false);
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ cpu: (c.user + c.system) / 1e6 }));
  process.exit(0);
}

// JSON text of the same documents (values from the fast path; the floor gets them pre-converted).
// Made after the child's pass: a pass before it would warm the reader it times.
const jsonTexts = docs.map((t) => JSON.stringify(after.kube.fastDocumentValue(t, MAX_DEPTH)?.value ?? null));

const cpu = (fn) => {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const kept = fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1e3, kept };
};
// Every document read by `read` (the string pool held across the pass, as a load holds it).
const readerPass = (r, read) => () => {
  const out = [];
  r.block.holdStrings(true);
  for (const t of docs) out.push(read(t, MAX_DEPTH));
  r.block.holdStrings(false);
  return out;
};
const blockPass = (r, kinds) => readerPass(r, (t, d) => r.block.blockDocumentValue(t, d, false, kinds));
const fastPass = (r, kinds) => readerPass(r, (t, d) => r.kube.fastDocumentValue(t, d, false, kinds));
const yamlPass = () => docs.map((t) => parseAllDocuments(t).map((d) => d.toJS()));
const jsonPass = () => jsonTexts.map((t) => JSON.parse(t));

let declined = 0;
for (const t of docs) if (!after.block.blockDocumentValue(t, MAX_DEPTH)) declined++;
console.log(`${files.length} files, ${docs.length} documents, ${(bytes / 1e6).toFixed(1)} MB (chars); block reader declines ${declined}`);

const runs = { json: [], yaml: [], blockA: [], fastA: [], blockB: [], fastB: [], blockS: [], fastS: [], blockSB: [] };
for (let i = 0; i < passes; i++) {
  // Alternated, each pass's values dropped before the next.
  if (before) runs.blockB.push(cpu(blockPass(before)).cpu);
  runs.blockA.push(cpu(blockPass(after)).cpu);
  if (before) runs.fastB.push(cpu(fastPass(before)).cpu);
  runs.fastA.push(cpu(fastPass(after)).cpu);
  if (skim && before) runs.blockSB.push(cpu(blockPass(before, skim)).cpu);
  if (skim) runs.blockS.push(cpu(blockPass(after, skim)).cpu);
  if (skim) runs.fastS.push(cpu(fastPass(after, skim)).cpu);
  runs.json.push(cpu(jsonPass).cpu);
  if (i === 0) runs.yaml.push(cpu(yamlPass).cpu); // slow; one pass is enough for the ratio
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const json = med(runs.json);
const row = (name, xs) => {
  if (xs.length === 0) return;
  const m = med(xs);
  console.log(
    `${name.padEnd(28)} ${m.toFixed(3)} s  (${xs.map((x) => x.toFixed(3)).join(' / ')})  ${(bytes / 1e6 / m).toFixed(0).padStart(4)} MB/s  ${((m * 1e9) / bytes).toFixed(1).padStart(5)} ns/char  ${(m / json).toFixed(2)}x JSON.parse`,
  );
};
console.log('median CPU per pass (all passes)');
row('JSON.parse (floor)', runs.json);
row('yaml parse + toJS', runs.yaml);
if (before) row('block reader, before', runs.blockB);
row('block reader' + (before ? ', after' : ''), runs.blockA);
if (before) row('fast path, before', runs.fastB);
row('fast path (block + js-yaml)' + (before ? ', after' : ''), runs.fastA);
if (before) row('block reader, skimming, before', runs.blockSB);
row('block reader, skimming' + (before ? ', after' : ''), runs.blockS);
row('fast path, skimming', runs.fastS);
if (skim) console.log(`skimming ${skimArg} / reading whole (this checkout): block reader ${(med(runs.blockS) / med(runs.blockA)).toFixed(2)}x, fast path ${(med(runs.fastS) / med(runs.fastA)).toFixed(2)}x`);
// Heap the values of one pass hold (with --expose-gc): the strings shared, the objects compact.
const held = (pass) => {
  globalThis.gc();
  const h0 = process.memoryUsage().heapUsed;
  const kept = pass();
  globalThis.gc();
  const mb = (process.memoryUsage().heapUsed - h0) / 1048576;
  return kept.length >= 0 ? mb : 0;
};
if (globalThis.gc) {
  console.log(`heap held by one pass's values (MiB): ${before ? `before ${held(fastPass(before)).toFixed(1)}, ` : ''}after ${held(fastPass(after)).toFixed(1)}, JSON.parse ${held(jsonPass).toFixed(1)}`);
}
if (before) {
  console.log(`block reader after / before: ${(med(runs.blockA) / med(runs.blockB)).toFixed(2)}x; fast path: ${(med(runs.fastA) / med(runs.fastB)).toFixed(2)}x${skim ? `; skimming: ${(med(runs.blockS) / med(runs.blockSB)).toFixed(2)}x` : ''}`);
  // The same values from both builds, document by document.
  let differ = 0;
  for (const t of docs) if (JSON.stringify(after.kube.fastDocumentValue(t, MAX_DEPTH)?.value) !== JSON.stringify(before.kube.fastDocumentValue(t, MAX_DEPTH)?.value)) differ++;
  console.log(`documents whose value differs between the builds: ${differ} of ${docs.length}`);
  if (skim) {
    // Skimmed values too (and which documents each build declines when skimming).
    let differS = 0;
    for (const t of docs) if (JSON.stringify(after.block.blockDocumentValue(t, MAX_DEPTH, false, skim)?.value) !== JSON.stringify(before.block.blockDocumentValue(t, MAX_DEPTH, false, skim)?.value)) differS++;
    console.log(`documents whose skimmed value differs between the builds: ${differS} of ${docs.length}`);
  }
}

if (cold > 0) {
  // The flags `rampart scan` sets for a file scan (src/cli/commands/scan.ts).
  const flags = ['--no-turbo-inlining', ...(process.versions.v8.startsWith('11.3.') ? ['--interrupt-budget=200000'] : [])];
  const builds = [...(against ? [['before', path.resolve(against)]] : []), ['after', path.join(here, '..')]];
  const res = Object.fromEntries(builds.map(([n]) => [n, []]));
  for (let i = 0; i < cold; i++) {
    for (const [name, root] of builds) {
      const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', root, ...(skim ? ['--skim', skimArg] : []), dir], { encoding: 'utf8' });
      res[name].push(JSON.parse(r.stdout).cpu);
    }
  }
  console.log(`cold: one fast-path pass per fresh process, scan's compiler flags (${flags.join(' ')}), ${cold} runs each, median (all)${skim ? `; both skim ${skimArg}` : ''}`);
  for (const [name] of builds) {
    const m = med(res[name]);
    console.log(`  ${name.padEnd(7)} ${m.toFixed(3)} s  (${res[name].map((x) => x.toFixed(3)).join(' / ')})  ${(bytes / 1e6 / m).toFixed(0)} MB/s  ${(m / json).toFixed(2)}x the warm JSON.parse floor`);
  }
  if (against) console.log(`  after / before: ${(med(res.after) / med(res.before)).toFixed(2)}x`);
}
