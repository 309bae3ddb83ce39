// The fast value path (document splitting + js-yaml with kubectl's rules) against the
// position-aware parser on every document of the real corpora: same documents, same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { manifestFiles } from './support/manifest-files.js';
import { looksLikeHelmTemplate } from '../src/input/files.js';
import { fastDocumentValue, jsonDocumentValue, splitDocuments } from '../src/input/kube-yaml.js';
import { blockDocumentValue } from '../src/input/kube-yaml-block.js';
import { DEFAULT_LIMITS, KUBERNETES_YAML_OPTIONS, locateInDocument, parseYaml, releasePositions, sourceFile, type ParsedDocument } from '../src/input/yaml.js';

const CORPORA = ['../shared/corpus/real-world', '../shared/corpus/checks', '../shared/corpus/netpol', '../shared/corpus/kustomize'];

/** The reference: the position-aware parser with kubectl's options, one entry per document. */
function reference(text: string): { ok: boolean; value?: unknown; line: number }[] {
  const docs = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false });
  return (Array.isArray(docs) ? docs : [docs]).map((d) => {
    const line = text.slice(0, d.contents?.range?.[0] ?? d.range?.[0] ?? 0).split('\n').length;
    if (d.errors.length) return { ok: false, line };
    return { ok: true, value: d.toJS({ maxAliasCount: 1000 }), line };
  });
}

test('fast path: every corpus document gives the value of the position-aware parser', (t) => {
  const present = CORPORA.filter((c) => existsSync(c));
  if (present.length < CORPORA.length) console.warn(`\n!!! SKIPPED corpora (absent): ${CORPORA.filter((c) => !present.includes(c)).join(', ')} !!!\n`);
  if (present.length === 0) return t.skip('no corpus');
  let files = 0;
  let docs = 0;
  let fast = 0;
  let declined = 0;
  let refRejectedFastAccepted = 0;
  let block = 0;
  const differences: string[] = [];
  for (const corpus of present) {
    for (const f of manifestFiles(corpus)) {
      const text = readFileSync(f, 'utf8');
      if (looksLikeHelmTemplate(text)) continue; // Helm template sources
      files++;
      const ref = reference(text);
      const spans = splitDocuments(text);
      if (spans.length !== ref.length) {
        differences.push(`${f}: ${spans.length} documents split, ${ref.length} parsed`);
        continue;
      }
      spans.forEach((s, i) => {
        docs++;
        const r = ref[i]!;
        const v = s.content < 0 ? { value: null } : fastDocumentValue(text.slice(s.start, s.end), DEFAULT_LIMITS.maxDepth - 2);
        const b = s.content < 0 ? undefined : blockDocumentValue(text.slice(s.start, s.end), DEFAULT_LIMITS.maxDepth - 2);
        if (b) {
          block++;
          if (!r.ok) refRejectedFastAccepted++;
          else if (!isDeepStrictEqual(b.value, r.value ?? null)) differences.push(`${f} document ${i}: block reader value differs`);
        }
        if (!v) {
          declined++;
          return;
        }
        fast++;
        if (!r.ok) {
          refRejectedFastAccepted++;
          return;
        }
        try {
          assert.deepStrictEqual(v.value, r.value ?? null);
        } catch {
          differences.push(`${f} document ${i}: values differ`);
        }
      });
      // The public parser agrees with the reference on values and document lines.
      const parsed = parseYaml(text, f);
      for (const d of parsed.documents) {
        const r = ref[d.index];
        if (!r?.ok) continue;
        if (d.value !== null && d.line !== r.line) differences.push(`${f} document ${d.index}: line ${d.line}, reference ${r.line}`);
      }
    }
  }
  console.log(`fast path: ${files} files, ${docs} documents; ${fast} read by the fast path (${block} of them by the block reader; ${refRejectedFastAccepted} accepted but rejected by the position-aware parser), ${declined} handed to it; ${differences.length} differences`);
  assert.equal(refRejectedFastAccepted, 0);
  assert.deepEqual(differences.slice(0, 20), []);
  assert.ok(fast > docs * 0.9, 'the fast path reads nearly every real document');
});

test('document splitting follows the YAML stream rules', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['# only a comment\n', 0],
    ['# c\n---\na: 1\n', 1],
    ['a: 1\n---\n', 2],
    ['---\n', 1],
    ['a: 1\n...\n# c\n---\nb: 2\n', 2],
    ['a: 1\n...\nb: 2\n', 2],
    ['\n\n---\n# x\n\n---\na: 1', 2],
    ['--- |\n x\n', 1],
    ['a: 1\n--- \n---\n', 3],
    ['a: "x\n---\ny"\n', 2],
    ['a: 1\n----\nb: 2\n', 1],
  ];
  for (const [text, n] of cases) {
    const docs = parseAllDocuments(text);
    assert.equal(splitDocuments(text).length, n, JSON.stringify(text));
    assert.equal((Array.isArray(docs) ? docs : [docs]).length, n, `reference ${JSON.stringify(text)}`);
  }
});

test('JSON documents read by JSON.parse give the position-aware parser\'s value; what JSON.parse would read otherwise is left to the YAML path', () => {
  // Generated JSON texts (a fixed seed): keys and strings with YAML's special words, escapes,
  // non-ASCII, colons and quotes; numbers in every JSON form; duplicate keys; line breaks and CRLF.
  let seed = 20261201;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const chars = ['a', ' ', ':', '#', '"', '\\', '/', '\n', 'é', '😀', '\u2028', '-', '{', ']', ',', '\u0085', '\u00a0', '0', 'y'];
  const str = () => (rnd() < 0.2 ? pick(['yes', 'on', '0644', '1e3', '~', 'null', '.inf', '<<', '__proto__', '']) : Array.from({ length: Math.floor(rnd() * 6) }, () => pick(chars)).join(''));
  const ws = () => pick(['', ' ', '\n', '\r\n', ' \n  ']);
  const value = (d: number): string => {
    const r = rnd();
    if (d > 4 || r < 0.3) return rnd() < 0.5 ? JSON.stringify(str()) : pick(['0', '-1', '1.5', '1e3', '1E-2', '-2.5e+10', '12345678901234567890', 'true', 'false', 'null']);
    const n = Math.floor(rnd() * 4);
    if (r < 0.65) {
      const keys: string[] = [];
      for (let i = 0; i < n; i++) keys.push(rnd() < 0.1 && keys.length ? pick(keys) : str());
      return `{${ws()}${keys.map((k) => `${JSON.stringify(k)}:${ws()}${value(d + 1)}`).join(`,${ws()}`)}${ws()}}`;
    }
    return `[${ws()}${Array.from({ length: n }, () => value(d + 1)).join(`,${ws()}`)}${ws()}]`;
  };
  let read = 0;
  let left = 0;
  for (let i = 0; i < 3000; i++) {
    const text = `${pick(['', '---\n'])}{"k": ${value(0)}}\n`;
    const ref = reference(text)[0]!;
    const json = jsonDocumentValue(text, DEFAULT_LIMITS.maxDepth - 2);
    if (json) {
      read++;
      assert.ok(ref.ok, `JSON.parse read what the reference refuses: ${JSON.stringify(text)}`);
      assert.ok(isDeepStrictEqual(json.value, ref.value), JSON.stringify(text));
      assert.equal(JSON.stringify(json.value), JSON.stringify(ref.value), `key order: ${JSON.stringify(text)}`);
    } else left++;
    const fast = fastDocumentValue(text, DEFAULT_LIMITS.maxDepth - 2);
    if (fast && ref.ok) assert.ok(isDeepStrictEqual(fast.value, ref.value), JSON.stringify(text));
  }
  console.log(`JSON.parse: ${read} of 3000 generated JSON documents read, ${left} left to the YAML path (duplicate keys)`);
  assert.ok(read > 2000);
  // Left to the YAML path: duplicate keys, -0, a number past a double, a line break before a colon,
  // tabs, nesting at the limit, YAML syntax, characters YAML does not print.
  const deep = '['.repeat(DEFAULT_LIMITS.maxDepth - 3) + ']'.repeat(DEFAULT_LIMITS.maxDepth - 3);
  for (const text of ['{"a": 1, "a": 2}', '{"a": {"b": 1, "b": 1}}', '{"a": -0}', '{"a": 1e400}', '{"a"\n: 1}', '{\n\t"a": 1\n}', deep, '{"a": 1} # note', '{a: 1}', '{"a": "\u0080"}']) {
    assert.equal(jsonDocumentValue(text, DEFAULT_LIMITS.maxDepth - 2), undefined, JSON.stringify(text).slice(0, 80));
  }
  // A duplicate key is still an error naming its line, as kubectl refuses it.
  const dup = parseYaml('{\n  "kind": "Pod",\n  "kind": "Pod"\n}\n', 'd.json');
  assert.equal(dup.errors.length, 1);
  assert.equal(dup.errors[0]!.line, 3);
});

test('fast path declines what it cannot vouch for; the position-aware parser then words the error', () => {
  for (const text of ['a: &x 1\nb: *x\n', 'a: 1\na: 2\n', 'a: !!binary aGVsbG8=\n', 'a: [\n', 'a:\n\tb: 1\n']) {
    assert.equal(fastDocumentValue(text, 100), undefined, text);
  }
  const dup = parseYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nx: 1\nx: 2\n', 'd.yaml');
  assert.deepEqual(dup.errors.map((e) => [e.line, e.column]), [[6, 1]]);
  assert.equal(dup.documents.length, 1);
  // Base-60 numbers are YAML 1.1 but not go-yaml v2: kubectl keeps `10:30` a string, on both paths.
  assert.deepEqual(parseYaml('t: 10:30\n', 't.yaml').documents[0]!.value, { t: '10:30' });
  assert.deepEqual(parseYaml('t: 10:30\nu: &a 1\n', 't.yaml').documents[0]!.value, { t: '10:30', u: 1 });
});

test('a quoted scalar continued on a less indented line loads as kubectl loads it (go-yaml accepts it)', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kafka}\ndata:\n  server.properties: "listeners=PLAINTEXT://:9092\nlog.dirs=/var/lib/kafka"\n';
  const parsed = parseYaml(text, 'k.yaml');
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual((parsed.documents[0]!.value as { data: unknown }).data, { 'server.properties': 'listeners=PLAINTEXT://:9092 log.dirs=/var/lib/kafka' });
  // Positions still resolve (from the position-aware parser's partial tree) without throwing.
  assert.equal(parsed.documents[0]!.locate('/metadata/name').line, 3);
});

test('positions from deflated chunks: documents located across many files, in any order, land where the position-aware parser puts them', (t) => {
  const corpus = '../shared/corpus/real-world';
  if (!existsSync(corpus)) {
    console.warn(`\n!!! SKIPPED: ${corpus} is absent !!!\n`);
    return t.skip('no corpus');
  }
  // Files of several chunks first: locating must inflate the right chunk, and texts spanning chunks must join.
  const asks: { file: string; doc: ParsedDocument; ref: Document.Parsed; lc: LineCounter; pointer: string }[] = [];
  let multiChunk = 0;
  let fileNo = 0;
  let reread = 0;
  for (const f of manifestFiles(corpus)) {
    const bytes = readFileSync(f);
    const text = bytes.toString('utf8');
    if (looksLikeHelmTemplate(text)) continue;
    const lc = new LineCounter();
    const refs = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, lineCounter: lc });
    const refDocs = Array.isArray(refs) ? refs : [refs];
    // Every other file is read again from disk when located (as `scan` does), the rest is kept deflated (as stdin is).
    const origin = fileNo++ % 2 === 0 && !text.startsWith('\ufeff') ? sourceFile(path.resolve(f), bytes) : undefined;
    if (origin) reread++;
    const parsed = parseYaml(text, f, DEFAULT_LIMITS, origin);
    if (text.length > 64 * 1024 && parsed.documents.length > 2) multiChunk++;
    for (const d of parsed.documents) {
      const ref = refDocs[d.index];
      if (!ref || ref.errors.length || d.value === null) continue;
      for (const pointer of ['', '/metadata/name', '/spec', '/kind']) asks.push({ file: f, doc: d, ref, lc, pointer });
    }
  }
  // A strided order interleaves files, so the chunk and position caches evict.
  const order = asks.map((_, i) => i).sort((a, b) => ((a * 7919) % asks.length) - ((b * 7919) % asks.length));
  let wrong = 0;
  for (const i of order) {
    const a = asks[i]!;
    const want = locateInDocument(a.ref, a.lc, a.file, a.pointer);
    const got = a.doc.locate(a.pointer);
    if (got.line !== want.line || got.column !== want.column) wrong++;
  }
  releasePositions();
  console.log(`positions after packing: ${asks.length} pointers in ${multiChunk} large multi-document files and the rest (${reread} files read again from disk, ${fileNo - reread} kept deflated), located in scrambled order; ${wrong} wrong`);
  assert.equal(wrong, 0);
  assert.ok(multiChunk > 0, 'the corpus has large multi-document files');
});

test('block reader: the shapes it reads equal the position-aware parser; the rest it declines', () => {
  const ref = (text: string) => reference(text)[0]!;
  const read = [
    'a: 1\nb: -0\nc: 0o7\nd: 0644\ne: 0x1F\nf: 1_000\ng: 1e3\nh: .5\ni: ~\nj: null\nk: yes\nl: Off\nm: 10:30\nnn: 2020-01-01\n',
    'a:\n- x\n- yy: 1\n  z: 2\n-\n- "q": 1\n',
    'a: |\n  x\n   y\n\n  z\n\n# c\nb: |-\n  q\nc: |+\n  r\n\n\nd: >\n  f\n  g\n\n  h\ne: >-\n  i\n',
    'a: "x\\ty\\u00e9\\\\ \\"q\\"" # c\nb: \'it\'\'s\'\n"c d": 1\n\'e\': [a, "b c", \'d\', 1, true]\nf: []\ng: {}\n',
    '---\n# c\nmetadata:\n  name: x # y\n  labels:\n    app.kubernetes.io/name: a#b\n  url: http://x:80/y\n...\n',
    'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
    'a: x\n  y\n\n   z\n\n\n  w 1\nb:\n- p\n  q\n- r # c\nc: 1\n  2\nd: "x \n  y\\t\n\n  z"\ne: \'p\n   q \'\'r\'\' \'\n',
    'spec:\n  containers:\n  - name: a\n    args: ["--x=1", "--y"]\n    env:\n    - name: A\n      value: "1"\n',
    'a: {b: 1, "c": [x, {d: yes, e: \'f\'}], g: {}, h: []}\nb: [b, [c], {}]\n- ignored\n'.replace('- ignored\n', ''),
    // Scalars that start on the line below their key or dash (CRD descriptions), plain and quoted.
    'a:\n  x y\n  z\nb:\n  "q\n  r"\nc:\n  \'s\'\nd:\n- \n  p\n-\n  "q: 1"\ne:\n  yes\nf:\n  # c\n  10\n',
    // Continuation lines of a plain scalar may start with indicators (only the first line is restricted).
    'a: x\n  && y\n  || z\n  !w *v >u |t @s `r` %q ,p ]o }n\nb:\n  m\n  & l\n',
    // Keys whose hashes collide (`Aa`, `BB`) and keys read before with other neighbours: the key cache keeps them apart.
    'Aa: 1\nBB: 2\nAaBB: {Aa: x, BB: y}\nBBAa:\n  BB: 3\n  Aa: 4\nAa2: 5\nA: 6\nAaa: 7\nkey : 8\n',
    // A plain scalar may start with `:` followed by a non-blank (header names, recording rules).
    'a: :path\nb: :x:y # c\nc:\n  :z\nd:\n- name: :authority\n  v: 1\n',
    // A flow collection alone on the line below its key or dash (Helm output).
    'a:\n  {}\nb:\n    [x, {c: 1}] # c\nd:\n-\n  []\ne: 1\n',
  ];
  for (const text of read) {
    const b = blockDocumentValue(text, 100);
    assert.ok(b, `read: ${JSON.stringify(text)}`);
    assert.deepStrictEqual(b.value, ref(text).value ?? null, JSON.stringify(text));
  }
  const declined = [
    'a: &x 1\nb: *x\n', // anchors and aliases
    'a: !!str 1\n', // tags
    'a: x\n  y\n  - z\n', // a continuation line starting with an indicator that could mean something
    'a: x\n  ? y\n', // (the same)
    'a:\n  "x\n', // a quoted scalar that does not close
    'a:\n  [b,\n  c]\n', // a flow collection over several lines, below its key
    'a: "x\\\n  y"\n', // an escaped line break
    'a:\n\tb: 1\n', // tab indentation
    'a: 1\r\nb: 2\r\n', // CR line ends
    'a: 1\na: 2\n', // duplicate key
    'Aa: 1\nBB: 2\nAa: 3\n', // duplicate key after a key with the same hash
    'Aa: 1\nBB: 2\nBB: 3\n', // (the same, the other way)
    'no: 1\n', // a boolean key, also when a string key with its hash was read before
    'Off: 1\n',
    'y: 1\n', // a key kubectl reads as `true`
    '<<: {a: 1}\n', // merge key
    'a: .inf\n', // not representable in JSON
    'a: {b}\n', // a flow key without a value
    'a: [b: 1]\n', // an implicit single-pair mapping
    'a: [b, ]\n', // a trailing comma
    'a: {b: 1,\n  c: 2}\n', // a flow collection over several lines
    'a: |2\n   x\n', // indentation indicator
    'a: |\n  x', // no final line break
    '? a\n: b\n', // complex key
    'a: b: c\n', // not YAML
    'a: :\n', // a lone `:` (a key indicator)
    'a: x\n  :y\n', // a continuation line starting with `:`
    'a:\n  {}\n  b: 1\n', // content after a flow collection below its key
    'a:\n  [b,\n  c]\nd: 1\n', // a flow collection over several lines
    '- a\nb: 1\n', // not YAML
    'a:\n  b: 1\n c: 2\n', // bad indentation
    'just a scalar\n',
  ];
  for (const text of declined) assert.equal(blockDocumentValue(text, 100), undefined, `declined: ${JSON.stringify(text)}`);
});

test('a UTF-8 file is read again one document at a time: multi-byte text and a byte-order mark keep positions exact, a changed document is not used', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-reread-'));
  try {
    const f = path.join(dir, 'a.yaml');
    const doc = (n: string, note: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  annotations:\n    note: "${note}"\ndata:\n  k: "${'v'.repeat(1200)}"\n`;
    const write = (a: string, b: string) => writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${doc('one', a)}---\n${doc('two', b)}`, 'utf8')]));
    write('café — naïve 😀', 'ok');
    const bytes = readFileSync(f);
    const parsed = parseYaml(new TextDecoder().decode(bytes), 'a.yaml', DEFAULT_LIMITS, sourceFile(f, bytes));
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/data/k'), { file: 'a.yaml', line: 17, column: 3, path: '/data/k' });
    assert.deepEqual(parsed.documents[0]!.locate('/data/k'), { file: 'a.yaml', line: 8, column: 3, path: '/data/k' });
    // The first document changed, keeping the file's size: the second is still the one read, the first is not.
    write('naïve — café 😀', 'ok');
    assert.equal(readFileSync(f).length, bytes.length);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/metadata/name'), { file: 'a.yaml', line: 13, column: 3, path: '/metadata/name' });
    assert.deepEqual(parsed.documents[0]!.locate('/data/k'), { file: 'a.yaml', line: 1, column: 1, path: '/data/k' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file changed after it was read is not used for positions: findings point at their document', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-reread-'));
  try {
    const f = path.join(dir, 'a.yaml');
    const doc = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\ndata:\n  k: "${'v'.repeat(1200)}"\n`;
    writeFileSync(f, `${doc('one')}---\n${doc('two')}`);
    const bytes = readFileSync(f);
    const parsed = parseYaml(bytes.toString('utf8'), 'a.yaml', DEFAULT_LIMITS, sourceFile(f, bytes));
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/metadata/name'), { file: 'a.yaml', line: 11, column: 3, path: '/metadata/name' });
    // Same size, other content: the checksum tells, and the finding points at its document's start.
    writeFileSync(f, `${doc('uno')}---\n${doc('dos')}`);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/data/k'), { file: 'a.yaml', line: 7, column: 1, path: '/data/k' });
    rmSync(f);
    assert.equal(parsed.documents[0]!.locate('/data/k').line, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
