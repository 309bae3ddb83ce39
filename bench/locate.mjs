#!/usr/bin/env node
// Locating findings, in one process: the documents a scan reports findings in, each read again by the
// position pass (the JSON pass for documents written as JSON, the block reader's, else js-yaml's
// listener tree) and every finding's pointer walked,
// as `locateFast` does (without reading the file back). --against CHECKOUT runs that checkout's built
// pass on the same documents, passes alternated, offsets compared, CPU per pass and after/before
// printed; heap held by the positions of every document (after a full GC) per node.
//
//   node --expose-gc bench/locate.mjs [--passes 5] [--against ../base] [DIR]   (DIR: ../shared/corpus/real-world;
//   a cluster dump of JSON `kind: List` files shows the JSON pass)
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { takeOption } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const passes = Number(opt('--passes', '5'));
/** --full: the full position pass only, in both checkouts. */
const full = args.includes('--full') ? (args.splice(args.indexOf('--full'), 1), true) : false;
const against = opt('--against', undefined);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = args[0] ?? path.join(here, '..', '..', 'shared', 'corpus', 'real-world');

async function pass(root) {
  const dist = (f) => pathToFileURL(path.join(root, 'dist', 'input', f)).href;
  const block = await import(dist('kube-yaml-block.js'));
  const pos = await import(dist('kube-yaml-positions.js'));
  // Session 22 read documents written as JSON with their own pass (json-positions.js).
  const jsonFile = path.join(root, 'dist', 'input', 'json-positions.js');
  const json = existsSync(jsonFile) ? await import(dist('json-positions.js')) : { jsonPositions: () => undefined };
  // Session 21 made the block reader's positions flat arrays (blockPositions); before, a node tree.
  if (block.blockPositions) {
    // Session 23: the pass limited to the paths the document's findings point along (what willLocate asks for).
    // (Only for documents the block reader read, as the scan: `blockRead`, worked out before the timed passes.)
    const limited = (text, ps) => {
      const wanted = pos.wantedPaths && blockRead.has(text) ? pos.wantedPaths(ps) : undefined;
      return wanted ? block.blockPositions(text, 198, wanted) : undefined;
    };
    return {
      build: (text, ps) => (full ? undefined : limited(text, ps)) ?? json.jsonPositions(text, 198) ?? block.blockPositions(text, 198) ?? pos.positionTree(text, 198),
      offset: (text, t, p) => (Array.isArray(t.open) ? pos.blockOffsetOf(text, t, p) : pos.offsetOf(text, t, p)),
      nodes: (t) => (Array.isArray(t.open) ? t.open.length : count(t)),
    };
  }
  return { build: (text) => block.blockPositionTree(text, 198) ?? pos.positionTree(text, 198), offset: pos.offsetOf, nodes: count };
}
const count = (n) => 1 + n.children.reduce((a, c) => a + count(c), 0);

// The findings of a scan of DIR (its JSON report), grouped by the document they are in.
const scan = spawnSync(process.execPath, [path.join(here, '..', 'bin', 'rampart.js'), 'scan', dir, '--no-config', '--no-render', '-o', 'json', '--fail-on', 'never'], { maxBuffer: 1 << 30, encoding: 'utf8' });
const report = JSON.parse(scan.stdout);
const { splitDocuments } = await import(pathToFileURL(path.join(here, '..', 'dist', 'input', 'kube-yaml.js')).href);
const texts = new Map();
const byDoc = new Map();
for (const f of report.findings) {
  const file = f.location.file;
  if (!file || !/\.(ya?ml|json)$/.test(file) || !(f.location.line > 0)) continue;
  let spans = texts.get(file);
  if (!spans) {
    const text = readFileSync(file, 'utf8');
    spans = splitDocuments(text).filter((s) => s.content >= 0).map((s) => ({ line: s.line, text: text.slice(s.start, s.end) }));
    texts.set(file, spans);
  }
  const span = spans.findLast((s) => s.line <= f.location.line);
  if (!span) continue;
  let list = byDoc.get(span);
  if (!list) byDoc.set(span, (list = []));
  list.push(f.location.path);
}
const docs = [...byDoc];
const { blockDocumentValue } = await import(pathToFileURL(path.join(here, '..', 'dist', 'input', 'kube-yaml-block.js')).href);
const blockRead = new Set(docs.filter(([s]) => blockDocumentValue(s.text, 198)).map(([s]) => s.text));
const chars = docs.reduce((a, [s]) => a + s.text.length, 0);
const pointers = docs.reduce((a, [, ps]) => a + ps.length, 0);
console.log(`${report.findings.length} findings; ${pointers} located in ${docs.length} documents (${(chars / 1e6).toFixed(2)} M characters)`);

function run(impl) {
  const held = [];
  const offsets = [];
  const t0 = process.cpuUsage();
  for (const [span, ps] of docs) {
    const t = impl.build(span.text, ps);
    held.push(t);
    for (const p of ps) offsets.push(t ? impl.offset(span.text, t, p) : undefined);
  }
  const u = process.cpuUsage(t0);
  return { ms: (u.user + u.system) / 1000, held, offsets };
}

function heapPerNode(impl) {
  globalThis.gc?.();
  const h0 = process.memoryUsage().heapUsed;
  const { held } = run(impl);
  globalThis.gc?.();
  const bytes = process.memoryUsage().heapUsed - h0;
  const nodes = held.reduce((a, t) => a + (t ? impl.nodes(t) : 0), 0);
  held.length = 0;
  return { nodes, perNode: bytes / nodes };
}

const impls = [['after', await pass(path.join(here, '..'))]];
if (against) impls.push(['before', await pass(path.resolve(against))]);
const times = new Map(impls.map(([n]) => [n, []]));
let ref;
for (let i = 0; i < passes; i++) {
  for (const [name, impl] of i % 2 ? [...impls].reverse() : impls) {
    const r = run(impl);
    times.get(name).push(r.ms);
    if (!ref) ref = r.offsets;
    else if (r.offsets.some((o, j) => o !== ref[j])) throw new Error(`${name}: offsets differ`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, impl] of impls) {
  const h = globalThis.gc ? heapPerNode(impl) : undefined;
  console.log(`${name.padEnd(6)} CPU per pass median ${median(times.get(name)).toFixed(1)} ms (${times.get(name).map((t) => t.toFixed(0)).join(' ')})${h ? `; ${h.nodes} nodes, ${h.perNode.toFixed(0)} heap bytes per node` : ''}`);
}
if (against) console.log(`after/before ${(median(times.get('after')) / median(times.get('before'))).toFixed(2)}; offsets identical for all ${pointers} pointers`);
