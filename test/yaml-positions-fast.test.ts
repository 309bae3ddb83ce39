// Positions from the fast path's node listener against the position-aware parser, for every key and
// item of every corpus document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { manifestFiles } from './support/manifest-files.js';
import { looksLikeHelmTemplate } from '../src/input/files.js';
import { splitDocuments, fastDocumentValue } from '../src/input/kube-yaml.js';
import { positionTree, offsetOf, blockOffsetOf } from '../src/input/kube-yaml-positions.js';
import { blockDocumentValue, blockPositions } from '../src/input/kube-yaml-block.js';
import { KUBERNETES_YAML_OPTIONS, locateInDocument } from '../src/input/yaml.js';
import { pointer } from '../src/model/json.js';

const CORPORA = ['../shared/corpus/real-world', '../shared/corpus/checks', '../shared/corpus/kustomize'];

function pointers(v: unknown, base: string, out: string[]): string[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => pointers(x, base + pointer(i), out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pointers(x, base + pointer(k), out);
  return out;
}

test('fast positions: every key and item of every corpus document is where the position-aware parser puts it', (t) => {
  const present = CORPORA.filter((c) => existsSync(c));
  if (present.length === 0) return t.skip('no corpus');
  let checked = 0;
  let declined = 0;
  let blockChecked = 0;
  let blockValues = 0;
  let blockLocated = 0;
  const wrong: string[] = [];
  for (const corpus of present) {
    for (const f of manifestFiles(corpus)) {
      const text = readFileSync(f, 'utf8');
      if (looksLikeHelmTemplate(text)) continue;
      for (const s of splitDocuments(text)) {
        if (s.content < 0) continue;
        const docText = text.slice(s.start, s.end);
        const v = fastDocumentValue(docText, 198);
        if (!v) continue;
        const lc = new LineCounter();
        const doc = parseAllDocuments(docText, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc })[0]!;
        if (doc.errors.length) continue;
        const tree = positionTree(docText, 198);
        const block = blockPositions(docText, 198);
        // The position pass builds no values (nor checks duplicate keys): it must never read a document the value pass declines.
        const blockValue = blockDocumentValue(docText, 198);
        if (blockValue) blockValues++;
        if (block) blockLocated++;
        if (block && !blockValue) wrong.push(`block reader: ${f}:${s.line}: positions read, the value pass declines`);
        for (const p of pointers(v.value, '', []).flatMap((x) => [x, x + '/no~1such', x + '/99'])) {
          const want = locateInDocument(doc, lc, f, p);
          // The block reader's own tree, where it reads the document, must agree too.
          const blockOff = block && blockOffsetOf(docText, block, p);
          if (blockOff !== undefined && block) {
            blockChecked++;
            const got = lc.linePos(blockOff);
            if (got.line !== want.line || got.col !== want.column) wrong.push(`block reader: ${f}:${s.line} ${p}: ${got.line}:${got.col}, want ${want.line}:${want.column}`);
          }
          const off = tree && offsetOf(docText, tree, p);
          if (off === undefined) {
            declined++;
            continue;
          }
          checked++;
          const got = lc.linePos(off);
          if (got.line !== want.line || got.col !== want.column) wrong.push(`${f}:${s.line} ${p}: ${got.line}:${got.col}, want ${want.line}:${want.column}`);
        }
      }
    }
  }
  console.log(`fast positions: ${checked} pointers agree-checked (${blockChecked} also from the block reader's positions), ${declined} declined, ${wrong.length} wrong; block reader: ${blockValues} documents' values, ${blockLocated} located`);
  assert.ok(blockChecked > checked / 2, 'the block reader locates most pointers');
  assert.deepEqual(wrong.slice(0, 15), []);
});

test('block reader positions: unusual block shapes land where the position-aware parser puts them', () => {
  const docs = [
    'a:\n- x\n-\n  - p\n  - q\n- # c\n  k: v\n- |\n  lit\n- >-\n  fold\n- "q"\n- plain\n  more\n- [1, {b: 2, c: [3]}]\n- {}\n',
    'list:\n  - name: a\n    ports: [{containerPort: 80}, {containerPort: 81}]\n  -   name: b\n      v: ~\nempty:\nquoted "k": 1\n"q k": {x: y}\n',
    '- a\n- b: c\n  d:\n  - e\n',
    'a:\n  {}\nb:\n    [x, {c: 1}] # c\nd:\n-\n  []\n- :path\ne: :x:y\n',
  ];
  let checked = 0;
  for (const docText of docs) {
    const lc = new LineCounter();
    const doc = parseAllDocuments(docText, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc })[0]!;
    assert.deepEqual(doc.errors, []);
    const tree = blockPositions(docText, 198);
    assert.ok(tree, `the block reader reads ${JSON.stringify(docText)}`);
    for (const p of pointers(doc.toJS(), '', []).flatMap((x) => [x, x + '/no~1such', x + '/99'])) {
      const want = locateInDocument(doc, lc, 'f', p);
      const off = blockOffsetOf(docText, tree, p);
      assert.notEqual(off, undefined, p);
      const got = lc.linePos(off!);
      assert.deepEqual([got.line, got.col], [want.line, want.column], `${JSON.stringify(docText)} ${p}`);
      checked++;
    }
  }
  console.log(`block reader positions on unusual shapes: ${checked} pointers, all agree`);
  // An empty item sits just after its dash, which a node's start cannot express: left to js-yaml's tree.
  assert.equal(blockPositions('a:\n- x\n-\n- y\n', 198), undefined);
});

test('block reader positions: pointer segments read in place (escapes, odd indexes, empty segments) land where the position-aware parser puts them', () => {
  const docText = 'a:\n- x\n- yy:\n    zz: 1\n"k/~": 1\n"": e\nb:\n  "": f\n  c: [p, q]\n';
  const lc = new LineCounter();
  const doc = parseAllDocuments(docText, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc })[0]!;
  const tree = blockPositions(docText, 198)!;
  assert.ok(tree);
  const odd = ['', '/', '/a/01', '/a/-0', '/a/1.0', '/a/ 1', '/a/1e0', '/a/0x1', '/a/', '/a/-1', '/a/1/yy/zz', '/a/1/yy/zz/deeper', '/a/2', '/k~1~0', '/k~0~1', '/k~2', '/b/', '/b//x', '/b/c/1', '/b/c/1/x', '/nope/a'];
  for (const p of odd) {
    const want = locateInDocument(doc, lc, 'f', p);
    const got = lc.linePos(blockOffsetOf(docText, tree, p)!);
    assert.deepEqual([got.line, got.col], [want.line, want.column], p);
  }
  // An invalid pointer is refused as the parser's walk refuses it.
  assert.throws(() => blockOffsetOf(docText, tree, 'a/0'), /invalid JSON Pointer/);
  console.log(`block reader positions: ${odd.length} odd pointers agree with the position-aware parser`);
});
