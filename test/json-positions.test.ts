// Positions of documents written as JSON (json-positions.ts) against js-yaml's listener tree (the
// locator they replace) and the position-aware parser, on the real-world corpus written as
// `kind: List` files and on generated JSON with escapes, unicode, nesting and odd keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { manifestFiles } from './support/manifest-files.js';
import { looksLikeHelmTemplate } from '../src/input/files.js';
import { splitDocuments, fastDocumentValue } from '../src/input/kube-yaml.js';
import { positionTree, offsetOf, blockOffsetOf } from '../src/input/kube-yaml-positions.js';
import { jsonPositions } from '../src/input/json-positions.js';
import { DEFAULT_LIMITS, KUBERNETES_YAML_OPTIONS, locateInDocument, parseYaml, releasePositions } from '../src/input/yaml.js';
import { pointer } from '../src/model/json.js';

const DEPTH = DEFAULT_LIMITS.maxDepth - 2;

function pointers(v: unknown, base: string, out: string[]): string[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => pointers(x, base + pointer(i), out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pointers(x, base + pointer(k), out);
  return out;
}

/** Every key and item of the one document in `text` (and a missing child of each), located three ways; differences listed. */
function compare(text: string, name: string, value: unknown, wrong: string[]): { checked: number; json: boolean } {
  const lc = new LineCounter();
  const doc = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc })[0]!;
  assert.deepEqual(doc.errors, [], name);
  const tree = positionTree(text, DEPTH);
  const parsed = parseYaml(text, name);
  assert.deepEqual(parsed.errors, [], name);
  const located = parsed.documents[0]!;
  let checked = 0;
  for (const p of pointers(value, '', []).flatMap((x) => [x, x + '/no~1such', x + '/99'])) {
    if (p === '') continue; // the document's start comes from the value pass, not a locator
    const got = located.locate(p);
    const want = locateInDocument(doc, lc, name, p);
    if (got.line !== want.line || got.column !== want.column) wrong.push(`${name} ${p}: ${got.line}:${got.column}, position-aware parser ${want.line}:${want.column}`);
    // The locator it replaces (js-yaml's tree), where that one vouches for the pointer.
    const before = tree && offsetOf(text, tree, p);
    if (before !== undefined) {
      const b = lc.linePos(before);
      if (got.line !== b.line || got.column !== b.col) wrong.push(`${name} ${p}: ${got.line}:${got.column}, js-yaml tree ${b.line}:${b.col}`);
    }
    checked++;
  }
  return { checked, json: jsonPositions(text, DEPTH) !== undefined };
}

test('JSON positions: the real-world corpus as `kind: List` files, every key and item where js-yaml and the position-aware parser put it', (t) => {
  const corpus = '../shared/corpus/real-world';
  if (!existsSync(corpus)) {
    console.warn(`\n!!! SKIPPED: ${corpus} is absent !!!\n`);
    return t.skip('no corpus');
  }
  let files = 0;
  let checked = 0;
  let read = 0;
  let layouts = 0;
  const wrong: string[] = [];
  for (const f of manifestFiles(corpus)) {
    const text = readFileSync(f, 'utf8');
    if (looksLikeHelmTemplate(text)) continue;
    const items: unknown[] = [];
    for (const s of splitDocuments(text)) {
      if (s.content < 0) continue;
      const v = fastDocumentValue(text.slice(s.start, s.end), DEPTH)?.value;
      if (v && typeof v === 'object' && !Array.isArray(v)) items.push(v);
    }
    if (items.length === 0) continue;
    files++;
    // kubectl's layout (4 spaces) for every file; a compact one-line document for every fifth (the
    // position-aware parser is slow on long lines, and the layouts differ only in white space).
    const list = { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
    const texts: [string, string][] = [['indented', JSON.stringify(list, null, 4) + '\n']];
    if (files % 5 === 1) texts.push(['compact', JSON.stringify(list)]);
    for (const [layout, json] of texts) {
      const r = compare(json, `${f} (${layout})`, list, wrong);
      checked += r.checked;
      layouts++;
      if (r.json) read++;
    }
    releasePositions();
  }
  console.log(`JSON positions: ${files} corpus files as List documents (${layouts - files} also compact), ${read} read by the JSON position pass, ${checked} pointers located, ${wrong.length} differ`);
  assert.equal(read, layouts);
  assert.deepEqual(wrong.slice(0, 15), []);
});

test('JSON positions: generated documents (escapes, unicode, nested and empty collections, `~` and `/` in keys, several layouts)', () => {
  let seed = 18;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const KEYS = ['a', 'b~c', 'd/e', '~1', '/~0/', '', ' ', 'é', '日本', '😀', 'q"uote', 'back\\slash', 'tab\there', 'nl\nx', 'u\u0001', 'x:y', '#h', '- d', '{b}', 'true', '12'];
  const SCALARS = [0, 1.5, -3, 1e21, true, false, null, '', 'plain', 'with "quotes"', 'a\\b', '\u00e9\u65e5\ud83d\ude00', '\u0007bell', 'line\nbreak', '/~'];
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 5 || r < 0.35) return pick(SCALARS);
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let n = Math.floor(rnd() * 5); n > 0; n--) o[pick(KEYS)] = value(depth + 1);
    return o;
  };
  // Layouts: JSON.stringify's, compact, CRLF, extra spaces around punctuation, a `---` marker.
  const layouts: ((v: unknown) => string)[] = [
    (v) => JSON.stringify(v, null, 2) + '\n',
    (v) => JSON.stringify(v),
    (v) => JSON.stringify(v, null, 4).replace(/\n/g, '\r\n'),
    (v) => JSON.stringify(v, null, 1).replace(/([,[{])\n/g, '$1\n\n  ').replace(/": /g, '"   :  '),
    (v) => '---\n' + JSON.stringify(v, null, 3),
  ];
  let checked = 0;
  let read = 0;
  let docs = 0;
  const wrong: string[] = [];
  for (let i = 0; i < 600; i++) {
    const v = { kind: 'Test', [pick(KEYS)]: value(0), [pick(KEYS)]: value(0), list: [value(1), [[value(2)], []], {}] };
    const text = pick(layouts)(v);
    docs++;
    const r = compare(text, `generated ${i}`, v, wrong);
    checked += r.checked;
    if (r.json) read++;
    releasePositions();
  }
  console.log(`JSON positions: ${docs} generated documents, ${read} read by the JSON position pass, ${checked} pointers located, ${wrong.length} differ`);
  assert.equal(read, docs);
  assert.deepEqual(wrong.slice(0, 15), []);
});

test('JSON positions: what is not strict JSON is left to the YAML passes', () => {
  for (const text of ['{a: 1}', '{"a": 1} # note', '{\n\t"a": 1\n}', '{"a"\n: 1}', '{"a": 1,}', '[1 2]', '{"a": tru}', '{"a": 01}', '{"a": "x', '{"a": 1}}', 'a: 1', '[' + '['.repeat(DEPTH) + ']'.repeat(DEPTH + 1)]) {
    assert.equal(jsonPositions(text, DEPTH), undefined, JSON.stringify(text).slice(0, 60));
  }
  // Pointer segments are read as blockOffsetOf reads them (escapes), on the JSON pass's arrays.
  const text = '{"a/b": {"c~d": [10, {"": 1}]}}';
  const at = jsonPositions(text, DEPTH)!;
  assert.equal(blockOffsetOf(text, at, '/a~1b/c~0d/1/'), text.indexOf('""'));
  assert.equal(blockOffsetOf(text, at, '/a~1b/c~0d/0/x'), text.indexOf('10'));
});
