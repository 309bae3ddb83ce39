// The fast value path for YAML: document splitting, the block reader (kube-yaml-block.ts) and
// js-yaml with kubectl's scalar rules for what it declines. Positions are not computed here: yaml.ts
// reads one document again only when a finding in it is reported.
import { load, Schema, Type, FAILSAFE_SCHEMA, type LoadOptions } from 'js-yaml';
import type { JsonValue } from '../model/types.js';
import { blockDocumentValue, type SkimKinds } from './kube-yaml-block.js';

/**
 * kubectl's YAML decoder (sigs.k8s.io/yaml on go-yaml v2) resolves plain scalars by YAML 1.1 rules:
 * `yes/no/on/off/y/n` booleans, `0644` octal, `0x`/`0b` with `_` separators, `.inf/.nan`, `~` null.
 * Timestamps stay strings (kubectl converts to JSON), and go-yaml v2 has no base-60 numbers
 * (`10:30` is a string). The same rules are applied to the position-aware parser in yaml.ts
 * (KUBERNETES_YAML_OPTIONS), so both paths give one value.
 */
const TRUE_RE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE_RE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_FORMS: [RegExp, number, number][] = [
  // [pattern, prefix length after the sign, radix], in the 1.1 schema's order of precedence.
  [/^[-+]?0b[0-1_]+$/, 2, 2],
  [/^[-+]?0[0-7_]+$/, 1, 8],
  [/^[-+]?[0-9][0-9_]*$/, 0, 10],
  [/^[-+]?0x[0-9a-fA-F_]+$/, 2, 16],
];
const NAN_INF_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

function parseInteger(s: string): number | undefined {
  for (const [re, prefix, radix] of INT_FORMS) {
    if (!re.test(s)) continue;
    const sign = s[0];
    const digits = s.substring(prefix + (sign === '-' || sign === '+' ? 1 : 0)).replace(/_/g, '');
    const n = parseInt(digits, radix);
    return sign === '-' ? -1 * n : n;
  }
  return undefined;
}

function parseFloating(s: string): number | undefined {
  if (NAN_INF_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s.replace(/_/g, ''));
  return undefined;
}

// Cheap first-character gates keep the common case (ordinary words) to one comparison per type.
const numberStart = (c: string | undefined) => c !== undefined && '0123456789+-.'.includes(c);

const isNull = (s: string) => s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL';
/** The YAML 1.1 booleans, exactly the spellings of TRUE_RE and FALSE_RE (a lookup is cheaper than the patterns for every key and word). */
const BOOLEANS = new Map<string, boolean>([
  ...['Y', 'y', 'Yes', 'yes', 'YES', 'True', 'true', 'TRUE', 'On', 'on', 'ON'].map((w) => [w, true] as const),
  ...['N', 'n', 'No', 'no', 'NO', 'False', 'false', 'FALSE', 'Off', 'off', 'OFF'].map((w) => [w, false] as const),
]);
const isBool = (s: string) => s.length <= 5 && BOOLEANS.has(s);
/** 1 at the character codes a null (other than `~`) or a boolean can start with. */
const NULL_OR_BOOL_START = new Uint8Array(128);
for (const w of ['null', ...BOOLEANS.keys()]) NULL_OR_BOOL_START[w.charCodeAt(0)] = 1;
NULL_OR_BOOL_START[0x4e] = 1; // `Null`, `NULL`

/**
 * A plain scalar's value by the same rules and precedence as KUBERNETES_SCHEMA (null, bool, int,
 * float, else string). It runs for every key and plain value the block reader reads, so the first
 * character decides which rules can apply: nulls and booleans start with one of `~nNyYtTfFoO`,
 * numbers with a digit, a sign or a dot.
 */
export function resolvePlainScalar(s: string): JsonValue {
  const c = s.charCodeAt(0);
  if (s.length <= 5 && (s.length === 0 || c === 0x7e || NULL_OR_BOOL_START[c] === 1)) {
    if (isNull(s)) return null;
    const b = BOOLEANS.get(s);
    if (b !== undefined) return b;
  }
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
    const i = parseInteger(s);
    if (i !== undefined) return i;
    const f = parseFloating(s);
    if (f !== undefined) return f;
  }
  return s;
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string | null) => s === null || isNull(s),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && isBool(s),
  construct: (s: string) => TRUE_RE.test(s),
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && numberStart(s[0]) && parseInteger(s) !== undefined,
  construct: (s: string) => parseInteger(s),
});
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && numberStart(s[0]) && parseFloating(s) !== undefined,
  construct: (s: string) => parseFloating(s),
});
const mergeType = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (s: string | null) => s === '<<' });

export const KUBERNETES_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType, mergeType] });

export interface DocumentSpan {
  /** Offset of the first character of the document's text (its `---` line, if any). */
  start: number;
  /** Offset just past its text. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** Offset where its content starts (after the marker, blank lines and comments); -1 when empty. */
  content: number;
}

/** A `---` or `...` at column 0, followed by a blank or the end of the line. */
function markerAt(text: string, i: number): '---' | '...' | undefined {
  const c = text.charCodeAt(i);
  // Offsets past the end are tested, not read (a read past the end deoptimised this function).
  if ((c !== 0x2d && c !== 0x2e) || i + 2 >= text.length) return undefined;
  if (text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return undefined;
  const n = i + 3 < text.length ? text.charCodeAt(i + 3) : 0x0a;
  if (!(n === 0x20 || n === 0x09 || n === 0x0a || n === 0x0d)) return undefined;
  return c === 0x2d ? '---' : '...';
}

/** First offset in [from, to) that is neither blank nor a comment; -1 when there is none. */
function contentStart(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl >= to ? to : nl + 1;
    } else return i;
  }
  return -1;
}

/**
 * Splits a YAML stream into documents as the YAML parsers do: `---` and `...` at column 0 are always
 * document markers (even inside scalars), text before the first `---` or after a `...` is a document
 * only when it has content, and every `---` starts one (possibly empty).
 */
export function splitDocuments(text: string): DocumentSpan[] {
  const spans: DocumentSpan[] = [];
  let start = 0;
  let startLine = 1;
  let explicit = false; // the current span began with `---`
  let line = 1;
  let pos = 0;
  while (pos <= text.length) {
    // Most lines start with neither '-' nor '.': no call for them (the compiler does not inline here).
    const c = pos < text.length ? text.charCodeAt(pos) : 0;
    const m = c === 0x2d || c === 0x2e ? markerAt(text, pos) : undefined;
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length + 1 : nl + 1;
    if (m === '---') {
      if (pos > start || explicit) closeSpan(spans, text, start, pos, startLine, explicit);
      start = pos;
      startLine = line;
      explicit = true;
    } else if (m === '...') {
      // The `...` line belongs to the document it ends.
      const end = Math.min(next, text.length);
      closeSpan(spans, text, start, end, startLine, explicit);
      start = end;
      startLine = line + 1;
      explicit = false;
    }
    if (nl < 0) break;
    pos = next;
    line++;
  }
  if (start < text.length || explicit) closeSpan(spans, text, start, text.length, startLine, explicit);
  return spans;
}

/** The span from `start` to `end`, if it is a document. A function of its own, not a closure per call: optimised code called each file's new closure as a wrong target. */
function closeSpan(spans: DocumentSpan[], text: string, start: number, end: number, line: number, explicit: boolean): void {
  const content = contentStart(text, explicit ? start + 3 : start, end);
  if (explicit || content >= 0) spans.push({ start, end, line, content });
}

const NON_FINITE = /\.(?:inf|Inf|INF|nan|NaN|NAN)\b/;

/** Anchor or alias syntax where a node can start: only then is the loader asked whether it saw anchors. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:])[&*][^\s,[\]{}]/;

/**
 * The value of one document's text by the fast path, or `undefined` when this path cannot vouch
 * for it: a syntax error (the position-aware parser words it with line and column), a duplicate
 * key, an unknown tag, anchors or aliases (the position-aware parser enforces the alias-bomb
 * limit), or nesting deeper than `maxDepth`. `printable`, `skim`: as for blockDocumentValue (what
 * js-yaml reads is never skimmed).
 */
export function fastDocumentValue(text: string, maxDepth: number, printable = false, skim?: SkimKinds): { value: JsonValue } | undefined {
  const block = blockDocumentValue(text, maxDepth, printable, skim);
  if (block) return block;
  const json = jsonDocumentValue(text, maxDepth, printable);
  if (json) return json;
  const opts: LoadOptions & { maxDepth: number } = { schema: KUBERNETES_SCHEMA, maxDepth };
  let loader: { anchorMap?: object } | undefined;
  // `*` and `&` are common in prose (CRD descriptions); the loader's own anchor table decides.
  if (ANCHOR_OR_ALIAS.test(text)) opts.listener = (_e, state) => (loader = state as unknown as { anchorMap?: object });
  try {
    const value = load(text, opts) as JsonValue | undefined;
    if (loader?.anchorMap && Object.keys(loader.anchorMap).length > 0) return undefined;
    if (value === undefined || value === null || typeof value !== 'object') return { value: value ?? null };
    // Rebuilt by JSON.parse, the same value takes about a third of the memory (shared key strings,
    // compact objects, no slices pinning the file text). JSON has no NaN or infinities: keep those as read.
    return { value: NON_FINITE.test(text) ? value : (JSON.parse(JSON.stringify(value)) as JsonValue) };
  } catch {
    return undefined;
  }
}

/** What js-yaml refuses as non-printable (its own pattern); JSON.parse takes some of it inside strings. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/**
 * JSON strings and runs of spaces (in valid JSON, scanning from the start finds each whole string),
 * replaced by `$1`: a string by its closing quote, spaces by nothing.
 */
const JSON_STRINGS_AND_SPACES = /"[^"\\]*(?:\\.[^"\\]*)*(")| +/g;
/** What is not a colon. */
const NOT_COLONS = /[^:]+/g;
/** A colon on a line after its key's (in the text without strings and spaces); js-yaml refuses it. */
const COLON_AFTER_BREAK = /[\r\n]:/;

/**
 * A document written as JSON (the `kubectl get -o json` of a cluster dump, a `.json` manifest) by
 * JSON.parse, ~20× faster than js-yaml's flow reader, when JSON.parse's value is the one the
 * YAML path would give: the same value for every JSON text except duplicate keys (JSON.parse keeps
 * the last; kubectl refuses them), -0 and numbers past a double's range (the YAML path's value is
 * rebuilt by JSON.stringify, which writes 0 and null), a key that ends its line before its colon, characters
 * YAML does not print, tabs (white space to JSON, not always to YAML), and nesting at the depth
 * limit. Any of those, or text JSON.parse refuses (comments, YAML syntax), is left to the YAML
 * path as before. `undefined` then.
 */
export function jsonDocumentValue(text: string, maxDepth: number, printable = false): { value: JsonValue } | undefined {
  let start = 0;
  // A `---` marker line may come first (document spans start at their marker).
  if (text.startsWith('---')) start = 3;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start++;
  const c = text.charCodeAt(start);
  if (c !== 0x7b && c !== 0x5b) return undefined;
  if (text.includes('\t', start) || (!printable && NON_PRINTABLE.test(text))) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(start === 0 ? text : text.slice(start)) as JsonValue;
  } catch {
    return undefined;
  }
  // Every member of the text (a colon outside strings) is a key that JSON.parse kept, unless two
  // of one object share a name. Strings (but a quote) and spaces are taken out natively (tabs
  // were refused above), then the colons counted the same way.
  const bare = text.replace(JSON_STRINGS_AND_SPACES, '$1');
  if (COLON_AFTER_BREAK.test(bare)) return undefined;
  const members = bare.replace(NOT_COLONS, '').length;
  return jsonMembers(value, maxDepth) === members ? { value } : undefined;
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Whether a JSON number is one the YAML path writes otherwise: -0 (as 0) and past a double's range (as null). */
const rewrittenNumber = (v: unknown) => typeof v === 'number' && ((v === 0 && 1 / v < 0) || !Number.isFinite(v));

/**
 * The keys of every object in `value`, or -1 when it nests `maxDepth` - 1 deep or holds a number
 * the YAML path writes otherwise (rewrittenNumber). Iterative (depth cannot overflow the stack),
 * collections and their depths on two stacks.
 */
function jsonMembers(value: JsonValue, maxDepth: number): number {
  if (typeof value !== 'object' || value === null) return rewrittenNumber(value) ? -1 : 0;
  let keys = 0;
  const open: (JsonValue[] | { [k: string]: JsonValue })[] = [value];
  const depths = [1];
  while (open.length) {
    const v = open.pop()!;
    const depth = depths.pop()!;
    if (depth >= maxDepth - 1) return -1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (typeof item === 'object' && item !== null) {
          open.push(item);
          depths.push(depth + 1);
        } else if (rewrittenNumber(item)) return -1;
      }
      continue;
    }
    for (const k in v) {
      keys++;
      const item = v[k];
      if (typeof item === 'object' && item !== null) {
        open.push(item);
        depths.push(depth + 1);
      } else if (rewrittenNumber(item)) return -1;
    }
  }
  return keys;
}
