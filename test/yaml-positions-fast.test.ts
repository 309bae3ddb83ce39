// Positions from the fast path's node listener against the position-aware parser, for every key and
// item of every corpus document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { manifestFiles } from './support/manifest-files.js';
import { looksLikeHelmTemplate } from '../src/input/files.js';
import { splitDocuments, fastDocumentValue } from '../src/input/kube-yaml.js';
import { positionTree, offsetOf } from '../src/input/kube-yaml-positions.js';
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
        for (const p of pointers(v.value, '', []).flatMap((x) => [x, x + '/no~1such', x + '/99'])) {
          const want = locateInDocument(doc, lc, f, p);
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
  console.log(`fast positions: ${checked} pointers agree-checked, ${declined} declined, ${wrong.length} wrong`);
  assert.deepEqual(wrong.slice(0, 15), []);
});
