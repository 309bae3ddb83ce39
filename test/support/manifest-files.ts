// Manifest files of a corpus folder (recursively, sorted), for tests that compare loaders on real data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { looksLikeHelmTemplate } from '../../src/input/files.js';
import { splitDocuments } from '../../src/input/kube-yaml.js';
import { pointer } from '../../src/model/json.js';

export function manifestFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) manifestFiles(p, out);
    else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** Every document with content of the manifest files of `corpora` (Helm templates left out): its file, first line and text. */
export function* corpusDocuments(corpora: readonly string[]): Generator<{ file: string; line: number; text: string }> {
  for (const corpus of corpora) {
    for (const file of manifestFiles(corpus)) {
      const text = readFileSync(file, 'utf8');
      if (looksLikeHelmTemplate(text)) continue;
      for (const s of splitDocuments(text)) if (s.content >= 0) yield { file, line: s.line, text: text.slice(s.start, s.end) };
    }
  }
}

/** The JSON Pointer of every node of `v` (itself first), under `base`. */
export function valuePointers(v: unknown, base = '', out: string[] = []): string[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => valuePointers(x, base + pointer(i), out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) valuePointers(x, base + pointer(k), out);
  return out;
}
