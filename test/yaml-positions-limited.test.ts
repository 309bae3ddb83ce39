// The block reader's position pass limited to the paths findings point along (blockPositions with
// `wanted`, asked for through Locator.willLocate) against its full pass: every pointer of the paths
// lands at the same offset, on every block-read document of the corpora.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { corpusDocuments, valuePointers as pointers } from './support/manifest-files.js';
import { blockOffsetOf, lastWalkWhole, wantedCovers, wantedPaths } from '../src/input/kube-yaml-positions.js';
import { blockDocumentValue, blockPositions } from '../src/input/kube-yaml-block.js';
import { KUBERNETES_YAML_OPTIONS, locateInDocument, parseYaml, releasePositions } from '../src/input/yaml.js';
import { LineCounter, parseAllDocuments } from 'yaml';

const CORPORA = ['../shared/corpus/real-world', '../shared/corpus/checks', '../shared/corpus/kustomize', '../shared/corpus/pss', '../shared/corpus/rbac'];

/** A small deterministic generator (the groups below are the same in every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Groups of pointers a document's findings could ask together: one, a few, a whole subtree, and missing children. */
function groups(all: string[], rnd: () => number): string[][] {
  const pick = () => all[Math.floor(rnd() * all.length)]!;
  const out: string[][] = [[pick()], [pick(), pick(), pick() + '/no~1such', pick() + '/99']];
  const few: string[] = [];
  for (let i = 0; i < Math.max(3, all.length / 20); i++) few.push(pick());
  out.push(few);
  const top = pick().split('/').slice(0, 2).join('/');
  out.push(all.filter((p) => p.startsWith(top + '/') || p === top));
  return out;
}

test('limited position pass: every pointer of the wanted paths lands where the full pass puts it, on every corpus document', (t) => {
  const present = CORPORA.filter((c) => existsSync(c));
  if (present.length === 0) return t.skip('no corpus (../shared/corpus)');
  const rnd = random(18);
  let documents = 0;
  let checked = 0;
  let fullNodes = 0;
  let limitedNodes = 0;
  const wrong: string[] = [];
  for (const { file: f, line, text: docText } of corpusDocuments(present)) {
    const v = blockDocumentValue(docText, 198);
    if (!v) continue;
    const full = blockPositions(docText, 198);
    if (!full) {
      wrong.push(`${f}:${line}: the full pass declines a document the value pass read`);
      continue;
    }
    documents++;
    const all = pointers(v.value);
    for (const group of groups(all, rnd)) {
      const wanted = wantedPaths(group)!;
      const limited = blockPositions(docText, 198, wanted);
      if (!limited) {
        wrong.push(`${f}:${line}: the limited pass declines (${group.length} pointers)`);
        continue;
      }
      fullNodes += full.open.length;
      limitedNodes += limited.open.length;
      // Every pointer of the document the locator would answer from the limited pass: those on
      // the wanted paths, and those whose walk found every segment (on a node that was read).
      for (const p of all.concat(group)) {
        const b = blockOffsetOf(docText, limited, p);
        if (!lastWalkWhole() && !wantedCovers(wanted, p)) continue;
        checked++;
        const a = blockOffsetOf(docText, full, p);
        if (a !== b) wrong.push(`${f}:${line} ${p}: ${b}, full pass ${a}`);
      }
    }
  }
  console.log(`limited position pass: ${documents} documents, ${checked} pointers compared with the full pass, ${wrong.length} differ; nodes recorded ${limitedNodes} of the full passes' ${fullNodes} (${((100 * limitedNodes) / fullNodes).toFixed(1)}%)`);
  assert.ok(documents > 1000, 'the corpus has block-read documents');
  assert.deepEqual(wrong.slice(0, 15), []);
});

test('limited position pass: shapes that end a value (sequences at the key column, comments and blank lines, block and quoted scalars, flow collections, compact items)', () => {
  const docs = [
    'a:\n- x\n-\n  - p\n  - q\n- # c\n  k: v\n- >-\n  fold\n- plain\n  more\n- [1, {b: 2, c: [3]}]\n- {}\nz: 1\n',
    'a:\n- |\n  lit\n\n   # not a comment\n  more\n# a comment\nb: 1\n',
    'a:\n  k: "q\n   #r"\n  l: 1\nb: 2\n',
    "a: 'q\n  r'\nb: 1\n",
    'a:\n- k: "q\n    r"\n  l: 1\n- m: 2\n',
    'list:\n  - name: a\n    ports: [{containerPort: 80}, {containerPort: 81}]\n  -   name: b\n      v: ~\nempty:\nquoted "k": 1\n"q k": {x: y}\n',
    '- a\n- b: c\n  d:\n  - e\n  f: 1\n- g\n',
    'a:\n  {}\nb:\n    [x, {c: 1}] # c\nd:\n- x\n- :path\ne: :x:y\nf:\n  g:\n    h: |\n      #x\n        y\n    i: 2\n  j: 3\n',
  ];
  let checked = 0;
  for (const docText of docs) {
    const v = blockDocumentValue(docText, 198);
    // Some of these hold an empty item the full pass leaves to js-yaml; the limited pass must agree wherever both read.
    const full = blockPositions(docText, 198);
    assert.ok(v, `the block reader reads ${JSON.stringify(docText)}`);
    const all = pointers(v.value).flatMap((x) => [x, x + '/no~1such', x + '/99']);
    for (const p of all) {
      // Each pointer alone, so that everything around it is passed over.
      const limited = blockPositions(docText, 198, wantedPaths([p]));
      if (!full || !limited) continue;
      assert.equal(blockOffsetOf(docText, limited, p), blockOffsetOf(docText, full, p), `${JSON.stringify(docText)} ${p}`);
      checked++;
      // And every other pointer the locator would answer from this limited pass.
      for (const q of all) {
        const b = blockOffsetOf(docText, limited, q);
        if (!lastWalkWhole() && !wantedCovers(wantedPaths([p])!, q)) continue;
        assert.equal(b, blockOffsetOf(docText, full, q), `${JSON.stringify(docText)} ${q} (wanted ${p})`);
        checked++;
      }
    }
  }
  console.log(`limited position pass on unusual shapes: ${checked} pointers, each wanted alone, all agree with the full pass`);
  assert.ok(checked > 100);
  // Segments blockOffsetOf reads as an index without being one written plainly get the full pass.
  for (const p of ['/a/01', '/a/-0', '/a/', '/a/1.0', '/a/ 1', 'a']) assert.equal(wantedPaths([p]), undefined, p);
});

test('limited position pass through the locator: willLocate, then the same locations as without it, and pointers off the paths too', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n  labels:\n    a: b\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: x\n        securityContext:\n          privileged: true\n      - name: d\n        image: y\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  apiVersion: v1\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: e\n      image: z\n- kind: Pod\n  apiVersion: v1\n  metadata:\n    name: q\n';
  const asked = ['/spec/template/spec/containers/0/securityContext/privileged', '/spec/template/spec/containers/1/image', '/spec/template/spec/containers/1/resources', '/metadata/name'];
  const off = ['/metadata/labels/a', '/spec/template/spec/containers/0/image', '/kind', '/spec/template/spec/containers/7'];
  const plain = parseYaml(text, 'f.yaml').documents;
  const expected = [...asked, ...off].map((p) => plain[0]!.locate(p));
  const expectedItem = plain[1]!.locate('/items/0/spec/containers/0/image');
  releasePositions();
  const hinted = parseYaml(text, 'f.yaml').documents;
  assert.ok(hinted[0]!.willLocate, 'block-read documents take the hint');
  hinted[0]!.willLocate!(asked);
  assert.deepEqual([...asked, ...off].map((p) => hinted[0]!.locate(p)), expected);
  hinted[1]!.willLocate!(['/items/1/metadata/name']);
  assert.deepEqual(hinted[1]!.locate('/items/0/spec/containers/0/image'), expectedItem);
  // An empty item: the full pass leaves the document to js-yaml's tree, a limited pass that passes over it reads it.
  const empty = 'kind: A\napiVersion: v1\nmetadata:\n  name: e\na:\n- x\n-\n- y\nb: 1\n';
  const emptyAsked = ['/b', '/a/2', '/a/1', '/metadata/name/x'];
  const emptyPlain = parseYaml(empty, 'e.yaml').documents[0]!;
  const emptyExpected = emptyAsked.map((p) => emptyPlain.locate(p));
  releasePositions();
  const emptyHinted = parseYaml(empty, 'e.yaml').documents[0]!;
  emptyHinted.willLocate!(['/b', '/a/2']);
  assert.deepEqual(emptyAsked.map((p) => emptyHinted.locate(p)), emptyExpected);
  console.log(`locator with willLocate: ${asked.length + off.length + 1} locations equal to the full pass's (${off.length + 1} asked off the hinted paths)`);
  releasePositions();
});

test('an empty sequence item: items after it are located where the position-aware parser puts them (js-yaml composes no node for it)', () => {
  const texts = ['kind: A\napiVersion: v1\nmetadata:\n  name: e\na:\n- x\n-\n- y\nb: 1\n', 'kind: A\r\napiVersion: v1\r\na:\r\n- - p\r\n  -\r\n  - q\r\n- # c\r\n- z\r\n'];
  let checked = 0;
  for (const text of texts) {
    const lc = new LineCounter();
    const doc = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc })[0]!;
    assert.deepEqual(doc.errors, []);
    const parsed = parseYaml(text, 'e.yaml').documents[0]!;
    for (const p of pointers(doc.toJS())) {
      assert.deepEqual(parsed.locate(p), locateInDocument(doc, lc, 'e.yaml', p), p);
      checked++;
    }
    releasePositions();
  }
  console.log(`empty sequence items: ${checked} pointers located as the position-aware parser locates them`);
});

