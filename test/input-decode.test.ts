// Reading a file's bytes into text: the ASCII copy without a decoder, and the facts decoding finds
// (printable, size in UTF-8) that later steps trust instead of scanning the text again. Every
// file read from disk must load exactly as the same text loads without those facts. And the Helm
// template sniff, which looks only around each `{{`, finds what its pattern finds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manifestFiles } from './support/manifest-files.js';
import { displayPath, loadInputs, loadText, looksLikeHelmTemplate } from '../src/input/files.js';
import { blockDocumentValue, printableText, printableUtf8 } from '../src/input/kube-yaml-block.js';
import { ByteOffsets, decodeManifest } from '../src/input/yaml.js';
import { controlCheckKind, hasControlBytes } from '../src/input/control-bytes.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-decode-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** `bytes` copied to `offset` bytes past a word boundary (the check reads four bytes at a time). */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const buf = new Uint8Array(bytes.length + offset);
  buf.set(bytes, offset);
  return buf.subarray(offset);
}

// Every character class the block reader's check tells apart, and neighbours of each boundary.
const CHARS = [
  ...Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)),
  ...Array.from({ length: 0x22 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u00e9', '\u00ff', '\u0100', '\u2028', '\u2029', '\ufeff', '\ufefe', '\ufffd', '\ufffe', '\uffff', '\u{1f600}', '\u{10ffff}',
];

test('printableUtf8 on bytes agrees with the block reader\'s check on their text (every class, position and alignment)', () => {
  let cases = 0;
  let printable = 0;
  const check = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const want = printableText(text);
    for (let offset = 0; offset < 4; offset++) {
      assert.equal(printableUtf8(at(bytes, offset), false), want, `${JSON.stringify(text)} at offset ${offset}`);
      if (bytes.every((b) => b < 0x80)) assert.equal(printableUtf8(at(bytes, offset), true), want, `${JSON.stringify(text)} (ASCII) at offset ${offset}`);
      cases++;
    }
    if (want) printable++;
  };
  for (const ch of CHARS) for (const len of [0, 1, 2, 3, 4, 5, 7, 8, 9, 13]) for (let pos = 0; pos <= len; pos++) check('a: b\n'.repeat(3).slice(0, pos) + ch + 'x'.repeat(len - pos));
  // Random texts of mostly printable characters with a few of the rest.
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (let i = 0; i < 3000; i++) {
    let t = '';
    const n = rnd(40);
    for (let j = 0; j < n; j++) t += rnd(10) === 0 ? CHARS[rnd(CHARS.length)]! : 'key: value\n'[rnd(11)]!;
    check(t);
  }
  console.log(`printableUtf8: ${cases} byte arrays agree with the text check (${printable} of ${cases / 4} texts printable)`);
});

test('hasControlBytes: WebAssembly SIMD and the JavaScript word loop agree on every byte value, position, alignment and length (past a chunk too)', () => {
  // Node 20 on x64 and arm64 runs WebAssembly SIMD: without it the comparison below would test the word loop twice.
  assert.equal(controlCheckKind(), 'simd');
  let cases = 0;
  const both = (bytes: Uint8Array, label: string) => {
    const want = bytes.some((b) => (b < 0x20 ? b !== 0x09 && b !== 0x0a : b === 0x7f));
    assert.equal(hasControlBytes(bytes), want, `SIMD: ${label}`);
    assert.equal(hasControlBytes(bytes, false), want, `JavaScript: ${label}`);
    cases++;
  };
  for (let b = 0; b < 256; b++) {
    for (const len of [1, 2, 15, 16, 17, 31, 33, 64]) {
      for (const pos of [0, 1, len >> 1, len - 1]) {
        for (let offset = 0; offset < 4; offset++) {
          const bytes = at(new Uint8Array(len).fill(0x61), offset);
          bytes[pos] = b;
          both(bytes, `byte ${b} at ${pos} of ${len}, offset ${offset}`);
        }
      }
    }
  }
  // Longer than a chunk (256 KiB): a control in the last bytes, in the second chunk, or none.
  const big = new Uint8Array(600 * 1024 + 5).fill(0x20);
  both(big, 'large, clean');
  for (const pos of [0, 256 * 1024 - 1, 256 * 1024, 512 * 1024 + 3, big.length - 1]) {
    big[pos] = 0x0d;
    both(big, `large, CR at ${pos}`);
    big[pos] = 0x20;
  }
  both(new Uint8Array(0), 'empty');
  console.log(`hasControlBytes: ${cases} byte arrays, SIMD and JavaScript agree with the definition`);
});

test('decodeManifest: corpus files decode to the decoder\'s text, with facts equal to the text\'s', (t) => {
  const corpus = '../shared/corpus/real-world';
  if (!existsSync(corpus)) {
    console.warn('\n!!! SKIPPED: ../shared/corpus/real-world is absent !!!\n');
    return t.skip('no corpus');
  }
  let files = 0;
  let ascii = 0;
  let printable = 0;
  for (const f of manifestFiles(corpus)) {
    const bytes = readFileSync(f);
    const d = decodeManifest(bytes);
    assert.ok('text' in d, f);
    assert.equal(d.text, strict.decode(bytes), f);
    assert.equal(d.printable, printableText(d.text), f);
    assert.equal(d.utf8Bytes, Buffer.byteLength(d.text, 'utf8'), f);
    files++;
    if (bytes.every((b) => b < 0x80)) ascii++;
    if (d.printable) printable++;
  }
  console.log(`decodeManifest: ${files} corpus files, ${ascii} ASCII, ${printable} printable; texts and facts all agree`);
  assert.ok(files > 500 && printable > files / 2);
});

test('decodeManifest: the text (or the refusal) of a fatal UTF-8 decoder, for every kind of sequence, valid or not', () => {
  // ASCII stretches (some ending near 4 KiB edges) and every kind of byte sequence, valid or not, between them.
  const sequences = ['é', '€', '\u{1f600}', '\ufeff', '\u0085'].map((c) => Buffer.from(c, 'utf8'));
  const broken = [[0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xef, 0xbb]].map((b) => Buffer.from(b));
  let seed = 5;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  let texts = 0;
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const parts: Buffer[] = [];
    if (rnd(8) === 0) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
    const n = 1 + rnd(6);
    for (let j = 0; j < n; j++) {
      parts.push(Buffer.from('a: b\n'.repeat(rnd(3) === 0 ? 819 + rnd(3) : rnd(30)) + 'x'.repeat(rnd(6))));
      const pool = rnd(12) === 0 ? broken : sequences;
      parts.push(pool[rnd(pool.length)]!);
    }
    const bytes = Buffer.concat(parts);
    let want: string | undefined;
    try {
      want = strict.decode(bytes);
    } catch {
      want = undefined;
    }
    const got = decodeManifest(bytes);
    if (want === undefined) {
      assert.ok('error' in got, `refused: ${bytes.length} bytes`);
      refused++;
    } else {
      assert.ok('text' in got && got.text === want, `decoded: ${bytes.length} bytes`);
      assert.equal(got.utf8Bytes, Buffer.byteLength(want, 'utf8'));
    }
    texts++;
  }
  // ASCII over 1 MB (decoded by the decoder: Node would return a copy as an external string).
  const big = Buffer.from('k: v\n'.repeat(600_000));
  const bigText = decodeManifest(big);
  assert.ok('text' in bigText && bigText.text === strict.decode(big) && bigText.printable === true);
  console.log(`decodeManifest: ${texts} byte strings, ${refused} refused, every one as the fatal decoder does`);
});

/** What a load found, for comparing a file's load with its text's. */
const outcome = (l: ReturnType<typeof loadText>) => ({
  values: l.resources.map((r) => [r.kind, r.name, r.object, r.locator.locate('/data/b'), r.locator.locate('/data/a'), r.locator.locate('')]),
  errors: l.errors,
  skipped: l.skipped,
  bytes: l.bytes,
});

test('a file loads exactly as its text does without the facts: control characters, CR, binary junk, non-ASCII UTF-8', async () => {
  // Over 1 KiB, so that positions are found by reading the file's document again (checked pieces).
  const doc = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  f: ${'f'.repeat(1100)}\n  a: "${value}"\n  b: plain\n`;
  let seed = 3;
  const junk = Buffer.alloc(16 * 1024);
  for (let i = 0; i < junk.length; i++) junk[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0x7f; // ASCII, many control bytes
  const cases: [string, Buffer][] = [
    ['plain.yaml', Buffer.from(doc('x'))],
    ['soh-in-quotes.yaml', Buffer.from(doc('a\x01b'))],
    ['soh-plain.yaml', Buffer.from(doc('x') + 'c: a\x01b\n')],
    ['del.yaml', Buffer.from(doc('x') + 'c: a\x7fb\n')],
    ['escape-in-second-doc.yaml', Buffer.from(doc('x') + '---\n' + doc('\x1b[2J'))],
    ['crlf.yaml', Buffer.from(doc('x').replace(/\n/g, '\r\n'))],
    ['cr-in-one-doc.yaml', Buffer.from(doc('x') + '---\n' + doc('y').replace('b: plain\n', 'b: plain\r\n'))],
    ['nul.yaml', Buffer.from(doc('x') + 'c: "\x00"\n')],
    ['ascii-junk.yaml', junk],
    ['tab-indent.yaml', Buffer.from(doc('x') + 'e:\n\t- 1\n')],
    // UTF-8 whose bytes read as Latin-1 would be other characters ("cafÃ©"): the value is "café".
    ['latin1-looking-utf8.yaml', Buffer.from(doc('café Ã©'), 'utf8')],
    ['nel.yaml', Buffer.from(doc('a\u0085b'), 'utf8')],
    ['c1-control.yaml', Buffer.from(doc('a\u0080b'), 'utf8')],
    ['c1-9f.yaml', Buffer.from(doc('a\u009fb'), 'utf8')],
    ['bom-inside.yaml', Buffer.from(doc('a\ufeffb'), 'utf8')],
    ['bom-twice.yaml', Buffer.from('\ufeff\ufeff' + doc('x'), 'utf8')],
    ['bom.yaml', Buffer.from('\ufeff' + doc('x'), 'utf8')],
    ['fffe.yaml', Buffer.from(doc('a\ufffeb'), 'utf8')],
    ['ffff.yaml', Buffer.from(doc('a\uffffb'), 'utf8')],
    ['emoji.yaml', Buffer.from(doc('a\u{1f600}b'), 'utf8')],
    // Non-ASCII documents between ASCII ones (read from their own bytes), empty documents, `...`, a byte-order mark.
    ['mixed-docs.yaml', Buffer.from(`${doc('café')}---\n${doc('x')}---\n---\n${doc('y')}...\n# c\n---\n${doc('ü€\u{1f600}')}---\n${doc('z')}`, 'utf8')],
    ['mixed-docs-bom.yaml', Buffer.from(`\ufeff${doc('x')}---\n${doc('€')}---\n${doc('y')}`, 'utf8')],
    ['utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('é\x01'), 'utf16le')])],
  ];
  let declined = 0;
  for (const [name, bytes] of cases) {
    const f = path.join(dir, name);
    writeFileSync(f, bytes);
    const decoded = decodeManifest(bytes);
    assert.ok('text' in decoded, name);
    const load = await loadInputs([f], undefined, false);
    const bare = loadText(decoded.text, displayPath(f));
    assert.deepEqual(outcome(load), outcome(bare), name);
    if (!printableText(decoded.text)) {
      // Facts say the same, and the block reader still declines every document with such characters.
      assert.notEqual(decoded.printable, true, name);
      if (!name.startsWith('utf16') && !name.startsWith('ascii-junk')) assert.equal(blockDocumentValue(decoded.text, 100), undefined, name);
      declined++;
    }
  }
  const cafe = (await loadInputs([path.join(dir, 'latin1-looking-utf8.yaml')], undefined, false)).resources[0]!.object as { data: { a: string } };
  assert.equal(cafe.data.a, 'café Ã©');
  assert.equal((await loadInputs([path.join(dir, 'mixed-docs.yaml')], undefined, false)).resources.length, 5);
  assert.equal((await loadInputs([path.join(dir, 'mixed-docs-bom.yaml')], undefined, false)).resources.length, 3);
  const junkLoad = await loadInputs([path.join(dir, 'ascii-junk.yaml')], undefined, false);
  assert.match(junkLoad.errors[0]!.message, /looks binary/);
  console.log(`decode: ${cases.length} files load as their texts do (${declined} with characters the block reader declines)`);
});

/** The pattern looksLikeHelmTemplate stands for. */
const HELM_PATTERN = /^[ \t]*\{\{-?\s|:\s+\{\{[^}]*\}\}[ \t]*\r?$|^[ \t]*-\s+\{\{/m;

test('ByteOffsets: the UTF-8 byte offset of every line start and every character, as Buffer.byteLength measures the text before it (every alignment)', () => {
  // Random texts of ASCII lines with every width of character (1-4 bytes), after a BOM or not.
  const wide = ['\u00e9', '\u00b5', '\u07ff', '\u0800', '\u201d', '\u2028', '\ufeff', '\uffff', '\u{1f600}', '\u{10ffff}'];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  let asked = 0;
  for (let round = 0; round < 300; round++) {
    let text = '';
    const len = rnd(400);
    while (text.length < len) text += rnd(5) === 0 ? wide[rnd(wide.length)]! : rnd(8) === 0 ? '\n' : 'abc: x-'[rnd(7)]!;
    for (const bom of [0, 3]) {
      const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
      const offsets = new ByteOffsets(at(bytes, round % 4), text, bom);
      for (let i = 0; i <= text.length; i++) {
        const c = text.charCodeAt(i - 1);
        if (c >= 0xd800 && c <= 0xdbff) continue; // never asked between a pair's halves
        assert.equal(offsets.at(i), bom + Buffer.byteLength(text.slice(0, i), 'utf8'), `offset ${i} of ${JSON.stringify(text)}`);
        asked++;
      }
    }
  }
  // The corpus's non-ASCII files: every line start.
  const corpus = '../shared/corpus';
  if (!existsSync(corpus)) console.warn('\n!!! ByteOffsets: ../shared/corpus is absent, its files not checked !!!\n');
  let files = 0;
  for (const f of existsSync(corpus) ? manifestFiles(corpus) : []) {
    const bytes = readFileSync(f);
    const text = bytes.toString('utf8');
    if (text.length === bytes.length || text.includes('\ufffd')) continue;
    const bom = text.charCodeAt(0) === 0xfeff ? 3 : 0;
    const body = bom ? text.slice(1) : text;
    const offsets = new ByteOffsets(bytes, body, bom);
    let bytesBefore = bom;
    for (let start = 0, i = body.indexOf('\n'); i >= 0; start = i + 1, i = body.indexOf('\n', i + 1)) {
      bytesBefore += Buffer.byteLength(body.slice(start, i + 1), 'utf8');
      assert.equal(offsets.at(i + 1), bytesBefore, `${f} offset ${i + 1}`);
    }
    files++;
  }
  // A text of more non-ASCII characters than are listed (CJK prose): measured instead, the same answers.
  const dense = Array.from({ length: 90000 }, (_, i) => (i % 40 === 39 ? '\n' : i % 7 === 0 ? 'a' : i % 11 === 0 ? '\u{1f600}' : '\u4e2d')).join('');
  const denseOffsets = new ByteOffsets(Buffer.from(dense, 'utf8'), dense, 0);
  let bytesBefore = 0;
  for (let start = 0, i = dense.indexOf('\n'); i >= 0; start = i + 1, i = dense.indexOf('\n', i + 1)) {
    bytesBefore += Buffer.byteLength(dense.slice(start, i + 1), 'utf8');
    assert.equal(denseOffsets.at(i + 1), bytesBefore, `dense text, offset ${i + 1}`);
    asked++;
  }
  console.log(`ByteOffsets: ${asked} offsets in random texts and a dense non-ASCII text, and every line start of ${files} non-ASCII corpus files agree with Buffer.byteLength`);
});

test('Helm template sniff: the same answer as its pattern on random texts and on every corpus file, in linear time', () => {
  const alphabet = ['{', '{{', '}', '}}', ' ', '\t', '\n', '\r', '\r\n', ':', '-', 'a', '\u2028', '\u00a0', '\ufeff', '\v', '"', '{{ ', ': {{', '- {{'];
  let seed = 11;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  let found = 0;
  const texts = 50_000;
  for (let i = 0; i < texts; i++) {
    let t = '';
    const n = 1 + rnd(14);
    for (let j = 0; j < n; j++) t += alphabet[rnd(alphabet.length)];
    const want = HELM_PATTERN.test(t);
    assert.equal(looksLikeHelmTemplate(t), want, JSON.stringify(t));
    if (want) found++;
  }
  // Every character a pattern's `\s` matches, and its neighbours, in each place white space is read.
  const spaces: string[] = [];
  for (let c = 0; c < 0x10000; c++) if (/\s/.test(String.fromCharCode(c))) spaces.push(...[c - 1, c, c + 1].map((x) => String.fromCharCode(x)));
  for (const w of spaces) {
    for (const t of [`a:${w}{{x}}`, `a:${w}{{x}}${w}`, `${w}{{${w}`, `${w}{{-${w}`, `-${w}{{`, `${w}-${w}{{`, `x${w}{{ `, `{{ }}${w}`]) {
      assert.equal(looksLikeHelmTemplate(t), HELM_PATTERN.test(t), JSON.stringify(t));
    }
  }
  let files = 0;
  let helm = 0;
  for (const corpus of ['../shared/corpus/real-world', '../shared/corpus/kustomize', '../shared/corpus/charts']) {
    if (!existsSync(corpus)) {
      console.warn(`\n!!! SKIPPED: ${corpus} is absent !!!\n`);
      continue;
    }
    for (const f of manifestFiles(corpus)) {
      const text = readFileSync(f, 'utf8');
      assert.equal(looksLikeHelmTemplate(text), HELM_PATTERN.test(text), f);
      files++;
      if (HELM_PATTERN.test(text)) helm++;
    }
  }
  console.log(`helm sniff: ${texts} random texts (${found} templates) and ${files} corpus files (${helm} templates) answered as the pattern does`);
  // Hostile: many `key: {{` with no closing braces, or long blank stretches, stay linear (would be quadratic if each `{{` searched ahead anew).
  // (The pattern itself takes minutes on these.)
  assert.equal(looksLikeHelmTemplate(': {{ '.repeat(200_000)), false);
  assert.equal(looksLikeHelmTemplate(': {{}}' + ' '.repeat(1_000_000) + 'x' + ': {{ }}'.repeat(100_000) + ' '.repeat(1_000_000) + 'x'), false);
  assert.equal(looksLikeHelmTemplate('x' + ' \t'.repeat(500_000) + '{{'.repeat(100_000) + ' \t'.repeat(500_000) + '-{{ '), false);
  assert.equal(looksLikeHelmTemplate(': {{ '.repeat(200_000) + '}}\n'), true);
});
