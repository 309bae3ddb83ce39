// Minimal byte-range edits on YAML/JSON source text, from the parser's node offsets. Nothing is
// re-serialised: every byte outside the edited ranges stays as written (comments, quoting, flow
// style, octal/hex literals, CRLF, indentation, big integers), JSON stays JSON in its own layout.
// Each edited document is parsed again and must equal the original object plus exactly the ops;
// otherwise its edits are dropped and the ops reported as not applied.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq, Scalar } from 'yaml';
import type { JsonValue } from '../model/types.js';
import { isObject } from '../model/json.js';
import { KUBERNETES_YAML_OPTIONS } from '../input/yaml.js';
import { applyOps, jsonEqual, nest, type JsonOp } from './json-patch.js';

/** Replace `[start, end)` with `text`; `rank` orders insertions at the same offset (lower first). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  rank?: number;
}

/** An op on one document: `path` is the full JSON Pointer inside the document. */
export interface DocOp extends JsonOp {
  docIndex: number;
}

export interface EditOutcome {
  text: string;
  /** The byte ranges replaced in the original text (everything else is kept). */
  edits: TextEdit[];
  applied: DocOp[];
  failed: { op: DocOp; reason: string }[];
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || (a.rank ?? 0) - (b.rank ?? 0));
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return false; // two insertions at one point: ordered by rank
  return a.start < b.end && b.start < a.end;
}

interface Style {
  json: boolean;
  eol: string;
  step: number;
}

const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;

/** A string as a plain scalar when YAML (1.1 and 1.2) reads it back as the same string; else double-quoted. */
function formatString(s: string, json: boolean): string {
  if (json) return JSON.stringify(s);
  const plain = /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !YAML11_SPECIAL.test(s) && !/^[0-9+.-]/.test(s);
  return plain ? s : JSON.stringify(s);
}

function formatScalar(v: JsonValue, json: boolean, like?: Scalar): string {
  if (typeof v === 'string') {
    if (!json && like?.type === Scalar.QUOTE_SINGLE) return `'${v.replace(/'/g, "''")}'`;
    if (!json && like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(v);
    return formatString(v, json);
  }
  return JSON.stringify(v);
}

/** Flow rendering (`{a: [b]}`), JSON when the file is JSON. */
function formatFlow(v: JsonValue, json: boolean): string {
  if (Array.isArray(v)) return `[${v.map((x) => formatFlow(x, json)).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${formatString(k, json)}: ${formatFlow(x, json)}`).join(', ')}}`;
  return formatScalar(v, json);
}

/** Block lines for new keys at `indent`; lists and scalars stay on the key's line. */
function blockLines(obj: Record<string, JsonValue>, indent: number, style: Style): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (isObject(v) && Object.keys(v).length > 0) out.push(`${pad}${formatString(k, false)}:`, ...blockLines(v, indent + style.step, style));
    else out.push(`${pad}${formatString(k, false)}: ${formatFlow(v, false)}`);
  }
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Where a line can be inserted after the node ending at `end`: the start of the following line. */
function afterLine(text: string, end: number): { at: number; prefix: string } {
  if (end > 0 && text[end - 1] === '\n') return { at: end, prefix: '' };
  const nl = text.indexOf('\n', end);
  return nl < 0 ? { at: text.length, prefix: '\n' } : { at: nl + 1, prefix: '' };
}

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Indentation step of the document: the smallest indent increase between a key and its first child. */
function indentStep(text: string): number {
  const m = /^( *)[^\s#-][^\n]*:\s*\r?\n( +)[^\s#]/m.exec(text);
  const step = m ? m[2]!.length - m[1]!.length : 2;
  return step > 0 && step <= 8 ? step : 2;
}


/** Anchors that some alias in the document refers to: nodes behind them are shared and not edited. */
function aliasedAnchors(doc: Document): Set<string> {
  const names = new Set<string>();
  visit(doc, {
    Alias(_k, n) {
      names.add(n.source);
    },
  });
  return names;
}

function pairFor(map: YAMLMap<unknown, unknown>, seg: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) === seg : p.key === null ? seg === '' : String(p.key) === seg));
}

interface Walk {
  /** Deepest node reached and how many segments it stands for. */
  node: unknown;
  depth: number;
  /** The pair holding `node` when it is a map value. */
  pair?: Pair<unknown, unknown>;
  parent?: unknown;
  error?: string;
}

function walk(doc: Document, segs: string[], shared: Set<string>): Walk {
  let node: unknown = doc.contents;
  let pair: Pair<unknown, unknown> | undefined;
  let parent: unknown;
  for (let i = 0; i < segs.length; i++) {
    if (isAlias(node)) return { node, depth: i, error: 'the field is behind a YAML alias' };
    if ((isMap(node) || isSeq(node)) && node.anchor && shared.has(node.anchor)) return { node, depth: i, error: `the field is inside anchor &${node.anchor}, shared through aliases` };
    if (isMap(node)) {
      if (node.items.some((p) => isScalar(p.key) && p.key.value === '<<')) return { node, depth: i, error: 'the mapping uses a << merge key' };
      const p = pairFor(node, segs[i]!);
      if (!p) return { node, depth: i, ...(pair ? { pair } : {}), parent };
      parent = node;
      pair = p;
      node = p.value;
    } else if (isSeq(node)) {
      const k = /^\d+$/.test(segs[i]!) ? Number(segs[i]) : -1;
      if (k < 0 || k >= node.items.length) return { node, depth: i, parent, error: `list item ${segs[i]} does not exist` };
      parent = node;
      pair = undefined;
      node = node.items[k];
    } else return { node, depth: i, ...(pair ? { pair } : {}), parent };
  }
  if (isAlias(node)) return { node, depth: segs.length, error: 'the field is a YAML alias' };
  return { node, depth: segs.length, ...(pair ? { pair } : {}), parent };
}

/** A null value (`key:`, `key: ~`, `key: null`) that a new subtree replaces. */
function isNullScalar(n: unknown): n is Scalar {
  return isScalar(n) && n.value === null;
}

class DocEditor {
  readonly edits: TextEdit[] = [];
  /** New subtrees per existing map (or null value), merged before rendering. */
  private readonly inserts = new Map<Node, { tree: Record<string, JsonValue>; depth: number }>();

  constructor(
    private readonly text: string,
    private readonly doc: Document,
    private readonly style: Style,
    private readonly shared: Set<string>,
  ) {}

  /** Plans one op; returns why it cannot be done, or undefined. */
  add(op: JsonOp, segs: string[]): string | undefined {
    const w = walk(this.doc, segs, this.shared);
    if (w.error) return w.error;
    if (op.op === 'remove') return w.depth < segs.length ? undefined : this.remove(w, segs);
    const value = op.value ?? null;
    if (w.depth === segs.length) return this.replace(w.node, value);
    const rest = segs.slice(w.depth);
    const target = w.node;
    if (isMap(target) || isNullScalar(target)) {
      const key = target as Node;
      const entry = this.inserts.get(key) ?? { tree: {}, depth: w.depth };
      merge(entry.tree, rest, value);
      this.inserts.set(key, entry);
      return undefined;
    }
    if (target === null || target === undefined) return 'the document is empty';
    return `${isSeq(target) ? 'a list' : 'a scalar'} stands where a mapping is needed`;
  }

  private replace(node: unknown, value: JsonValue): string | undefined {
    if (isScalar(node) && node.range) {
      if (jsonEqual(node.toJSON() as JsonValue, value)) return undefined;
      const isNull = node.value === null;
      const [start, end] = node.range;
      const text = isObject(value) || Array.isArray(value) ? formatFlow(value, this.style.json) : formatScalar(value, this.style.json, isNull ? undefined : node);
      // `key:` with nothing after it: the value goes after one space.
      this.edits.push({ start, end, text: start === end && this.text[start - 1] === ':' ? ` ${text}` : text });
      return undefined;
    }
    if (isSeq(node) && node.range && Array.isArray(value)) {
      const old = node.toJSON() as JsonValue[];
      if (jsonEqual(old, value)) return undefined;
      if (old.length > 0 && old.length < value.length && old.every((x, i) => jsonEqual(x, value[i]))) return this.append(node, value.slice(old.length));
    }
    if ((isSeq(node) || isMap(node)) && node.range) {
      // A whole collection replaced: written in flow style where the old one stood.
      const [start, end] = node.range;
      let stop = end;
      while (stop > start && /\s/.test(this.text[stop - 1]!)) stop--;
      this.edits.push({ start, end: stop, text: formatFlow(value, this.style.json) });
      return undefined;
    }
    return 'the field has no source position';
  }

  /** New items at the end of a list, in its own style. */
  private append(seq: YAMLSeq<unknown>, items: JsonValue[]): string | undefined {
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (!last?.range || !seq.range) return 'the list has no source position';
    if (seq.flow) {
      this.edits.push({ start: last.range[1], end: last.range[1], text: items.map((x) => `, ${formatFlow(x, this.style.json)}`).join('') });
      return undefined;
    }
    const firstItem = seq.items[0] as Node;
    const dash = this.text.lastIndexOf('-', firstItem.range![0]);
    const col = dash - lineStart(this.text, dash);
    const { at, prefix } = afterLine(this.text, last.range[1]);
    const lines = items.map((x) => `${' '.repeat(col)}- ${formatFlow(x, false)}${this.style.eol}`).join('');
    this.edits.push({ start: at, end: at, text: prefix ? prefix + lines.slice(0, -this.style.eol.length) : lines, rank: -col });
    return undefined;
  }

  private remove(w: Walk, segs: string[]): string | undefined {
    const map = w.parent;
    const pair = w.pair;
    if (!isMap(map) || !pair) return 'only a mapping key can be removed';
    const key = pair.key as Node | null;
    const val = pair.value as Node | null;
    if (!key?.range) return 'the key has no source position';
    const valueEnd = val?.range?.[1] ?? key.range[1];
    if (map.flow) {
      const i = map.items.indexOf(pair);
      if (map.items.length === 1) {
        this.edits.push({ start: key.range[0], end: valueEnd, text: '' });
      } else if (i < map.items.length - 1) {
        const next = map.items[i + 1]!.key as Node;
        this.edits.push({ start: key.range[0], end: next.range![0], text: '' });
      } else {
        const prev = map.items[i - 1]!;
        const prevEnd = (prev.value as Node | null)?.range?.[1] ?? (prev.key as Node).range![1];
        this.edits.push({ start: prevEnd, end: valueEnd, text: '' });
      }
      return undefined;
    }
    if (map.items.length === 1) return `removing ${segs[segs.length - 1]} would leave an empty mapping; fix it by hand`;
    const start = lineStart(this.text, key.range[0]);
    if (this.text.slice(start, key.range[0]).trim() !== '') return 'the key does not start its line';
    // The pair's lines, with its trailing comment, up to the next key (or the end of the mapping).
    const i = map.items.indexOf(pair);
    const next = map.items[i + 1]?.key as Node | undefined;
    const end = next?.range ? lineStart(this.text, next.range[0]) : afterLine(this.text, val?.range?.[1] ?? key.range[1]).at;
    this.edits.push({ start, end, text: '' });
    return undefined;
  }

  /** Renders the merged subtrees: block lines at the map's key column, or flow items before `}`. */
  finish(): string | undefined {
    for (const [node, { tree, depth }] of this.inserts) {
      if (isNullScalar(node)) {
        const err = this.replace(node, tree);
        if (err) return err;
        continue;
      }
      const map = node as YAMLMap<unknown, unknown>;
      if (!map.range) return 'the mapping has no source position';
      if (map.flow) {
        const close = this.text.lastIndexOf('}', map.range[1]);
        if (close < map.range[0]) return 'the flow mapping has no closing brace';
        const json = this.style.json || map.items.some((p) => isScalar(p.key) && p.key.type === Scalar.QUOTE_DOUBLE);
        const items = Object.entries(tree).map(([k, v]) => `${formatString(k, json)}: ${formatFlow(v, json)}`);
        const last = map.items[map.items.length - 1];
        if (!last) {
          this.edits.push({ start: close, end: close, text: items.join(', '), rank: -depth });
          continue;
        }
        const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
        const between = this.text.slice(lastEnd, close);
        let sep = ', ';
        if (between.includes('\n')) {
          const k = (last.key as Node).range![0];
          sep = `,${this.style.eol}${' '.repeat(k - lineStart(this.text, k))}`;
        }
        this.edits.push({ start: lastEnd, end: lastEnd, text: items.map((x) => sep + x).join(''), rank: -depth });
        continue;
      }
      const firstKey = map.items[0]?.key as Node | undefined;
      if (!firstKey?.range) return 'the mapping has no keys to align with';
      const col = firstKey.range[0] - lineStart(this.text, firstKey.range[0]);
      const lastPair = map.items[map.items.length - 1]!;
      const end = (lastPair.value as Node | null)?.range?.[1] ?? (lastPair.key as Node).range![1];
      const { at, prefix } = afterLine(this.text, end);
      const lines = blockLines(tree, col, this.style);
      const eol = this.style.eol;
      this.edits.push({ start: at, end: at, text: prefix ? prefix.replace('\n', eol) + lines.join(eol) : lines.join(eol) + eol, rank: -col });
    }
    for (let i = 0; i < this.edits.length; i++) for (let j = 0; j < i; j++) if (overlaps(this.edits[i]!, this.edits[j]!)) return 'two edits overlap';
    return undefined;
  }
}

function merge(tree: Record<string, JsonValue>, segs: string[], value: JsonValue): void {
  const [head, ...rest] = segs;
  if (rest.length === 0) {
    tree[head!] = value;
    return;
  }
  const sub = tree[head!];
  if (isObject(sub)) merge(sub, rest, value);
  else tree[head!] = nest(rest, value);
}

function parseDocs(text: string) {
  return parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, keepSourceTokens: false });
}

function docValues(docs: ReturnType<typeof parseDocs>): (JsonValue | undefined)[] | undefined {
  const list = Array.isArray(docs) ? docs : [docs];
  try {
    if (list.some((d) => d.errors.length > 0)) return undefined;
    return list.map((d) => d.toJS({ maxAliasCount: 1000 }) as JsonValue | undefined);
  } catch {
    return undefined;
  }
}

/**
 * Applies ops (grouped by document) as minimal text edits. `json`: write new content as JSON
 * (a `.json` file). Ops that cannot be done faithfully are returned in `failed`, never guessed.
 */
export function editSource(text: string, ops: readonly DocOp[], opts: { json?: boolean } = {}): EditOutcome {
  const parsed = parseDocs(text);
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const before = docValues(parsed);
  const failed: EditOutcome['failed'] = [];
  if (!before) return { text, edits: [], applied: [], failed: ops.map((op) => ({ op, reason: 'the file does not parse as YAML' })) };
  const style: Style = { json: opts.json === true, eol: eolOf(text), step: indentStep(text) };
  const byDoc = new Map<number, DocOp[]>();
  for (const op of ops) byDoc.set(op.docIndex, [...(byDoc.get(op.docIndex) ?? []), op]);
  const docEdits = new Map<number, { edits: TextEdit[]; ops: DocOp[] }>();
  for (const [index, list] of byDoc) {
    const doc = docs[index];
    if (!doc) {
      for (const op of list) failed.push({ op, reason: `document ${index + 1} is not in the file` });
      continue;
    }
    const editor = new DocEditor(text, doc, style, aliasedAnchors(doc));
    const okOps: DocOp[] = [];
    for (const op of list) {
      let segs: string[];
      try {
        segs = op.path === '' ? [] : op.path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      } catch {
        segs = [];
      }
      const err = segs.length === 0 ? 'a fix cannot replace a whole document' : editor.add(op, segs);
      if (err) failed.push({ op, reason: err });
      else okOps.push(op);
    }
    const err = editor.finish();
    if (err) {
      for (const op of okOps) failed.push({ op, reason: err });
      continue;
    }
    docEdits.set(index, { edits: editor.edits, ops: okOps });
  }
  // Each document must read back as the original plus exactly its ops; a document that does not is left alone.
  for (;;) {
    const edits = [...docEdits.values()].flatMap((d) => d.edits);
    const out = applyTextEdits(text, edits);
    const after = docValues(parseDocs(out));
    const wrong: number[] = [];
    if (!after || after.length !== before.length) wrong.push(...docEdits.keys());
    else
      for (const [index, d] of docEdits) {
        let expected: JsonValue | undefined;
        try {
          expected = applyOps(before[index] ?? null, d.ops);
        } catch {
          expected = undefined;
        }
        if (expected === undefined || !jsonEqual(after[index], expected)) wrong.push(index);
      }
    if (after && after.length === before.length)
      for (let i = 0; i < before.length; i++) if (!docEdits.has(i) && !jsonEqual(before[i], after[i])) wrong.push(...docEdits.keys());
    if (wrong.length === 0) return { text: out, edits, applied: [...docEdits.values()].flatMap((d) => d.ops), failed };
    for (const index of new Set(wrong)) {
      for (const op of docEdits.get(index)!.ops) failed.push({ op, reason: 'the edited document would not read back as the planned object (anchors, merge keys or unusual layout); fix it by hand' });
      docEdits.delete(index);
    }
  }
}
