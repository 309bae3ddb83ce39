// The fastest value path: block-style YAML (what kubectl users and Helm write) read to values in
// one pass over the document. Strings are copied out of the text (no slices pinning the file),
// repeated ones shared, and arrays are allocated at their final size, so values are more compact
// than JSON.parse's. The same pass, in position mode, records where each key and item starts (for
// findings' lines) in flat arrays, and builds no values. It reads a strict subset and declines
// everything else (returns undefined), so js-yaml and then the position-aware parser read those
// documents exactly as before: anchors, aliases, tags, flow collections that span lines, complex
// keys, tabs in indentation, CR line ends, duplicate keys, non-finite numbers. (Multi-line plain,
// quoted and block scalars are read here.)
import type { JsonValue } from '../model/types.js';
import { hasControlBytes } from './control-bytes.js';
import { resolvePlainScalar, splitDocuments } from './kube-yaml.js';
import { MAPPING, NOTHING_WANTED, SCALAR, SEQUENCE, SKIPPED, wantedPaths, type BlockPositions, type Wanted } from './kube-yaml-positions.js';

/** Thrown (and caught in blockDocumentValue) when the document leaves the subset. */
class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

// Characters js-yaml rejects anywhere in a stream; such documents go to it so it words the error.
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Most documents are printable ASCII: one scan for anything else, the narrower ones only then. */
const NOT_ASCII = /[^\t\n -~]/;

/** One cheap character-class scan; only a document that has one of these gets the full check. */
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/**
 * Whether the text of valid UTF-8 `bytes` (no byte-order mark) has no CR and nothing NON_PRINTABLE
 * matches: then no document of it is declined for its characters, and readerFor need not look.
 * C0 controls, CR and DEL are single bytes (hasControlBytes). The rest are found by their first
 * byte: C1 controls are C2 80-84 and C2 86-9F, U+FEFF, U+FFFE and U+FFFF are EF BB BF, EF BF BE and
 * EF BF BF; valid UTF-8 holds no surrogate. `ascii`: no byte has bit 7 set (isAscii), so there is no
 * C2 or EF.
 */
export function printableUtf8(bytes: Uint8Array, ascii: boolean): boolean {
  if (!warmed && (passed += bytes.length) >= WARM_AFTER) warmUp();
  if (hasControlBytes(bytes)) return false;
  return ascii || !otherUnprintable(bytes);
}

/** C1 controls but NEL (C2 80-84, C2 86-9F), U+FEFF (EF BB BF), U+FFFE and U+FFFF (EF BF BE/BF) in UTF-8 `bytes`. */
function otherUnprintable(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xc2); i >= 0; i = bytes.indexOf(0xc2, i + 1)) {
    const b = bytes[i + 1]!;
    if (b >= 0x80 && b <= 0x9f && b !== 0x85) return true;
  }
  for (let i = bytes.indexOf(0xef); i >= 0; i = bytes.indexOf(0xef, i + 1)) {
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    if ((b === 0xbb && c === 0xbf) || (b === 0xbf && (c === 0xbe || c === 0xbf))) return true;
  }
  return false;
}

/** A lookup by character code (cheaper than `chars.includes(t[i])` in the per-line paths). */
function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}
/** Characters a plain scalar cannot start with here (! & * tags/anchors/aliases, | > block scalars, % @ ` reserved, , ] } ? : # need context). */
const PLAIN_FIRST_NOT = charSet('!&*%@`,]}?:#|>');
/** On a continuation line only ? : (and `- `, checked apart) could still mean something; # is a comment. */
const CONTINUED_FIRST_NOT = charSet('?:#');
/** Characters a plain key of the subset cannot start with. */
const KEY_FIRST_NOT = charSet('!&*%@`,[]{}?:#|>-\'"');

/**
 * Plain keys read so far, by their length and three of their characters (first, middle, last):
 * keys repeat (`name`, `type`, `description`...), and a key found here is not checked character by
 * character nor resolved again, and the values read share one copy of it. Bounded (a slot holds the
 * last key hashed to it), and holds internalized copies, never slices of a text.
 */
const KEY_SLOTS = 4096;
/** Longer keys are not kept (the cache lives as long as the process: at most 4,096 × 64 characters). */
const KEY_CACHED_CHARS = 64;
const keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined);

/**
 * `s` as V8's one copy of it, the string property names are (a property key comes back
 * internalized), for the key cache: a copy that pins no text; a key found in the cache is checked by
 * `slice === known`, which for an internalized `known` compares the characters in one native pass
 * (`startsWith` on a cached key V8 had turned into a ThinString at its first use as a property name
 * walked it a character at a time: ~750 instructions a key, 5% of a scan at 4x the corpus); and
 * objects built with it need no look-up in the string table.
 */
function internalized(s: string): string {
  // A null-prototype object is a dictionary to V8: adding a key to it makes no hidden-class
  // transition (an object literal with the key made one per distinct key from the empty object's
  // map: ~15x slower in isolation, -0.19 G instructions at 4x the corpus).
  const holder = Object.create(null) as Record<string, number>;
  holder[s] = 0;
  return Object.keys(holder)[0]!;
}

// The scans below are sticky runs of the characters that do not matter: after `test`, lastIndex is
// where the first one that matters is (or the text's end). A sticky run is one pass of irregexp's
// loop; a global search for the characters that matter restarts its match at every offset, ~3x the
// cost on a line of prose (session 24). A run always matches (maybe empty), unless lastIndex is past
// the text's end: callers never start one there.
/**
 * Up to what may end a plain scalar on its line or decline it: a comment's `#`, a colon, a tab, the
 * line break; past a line break, also the next line's indentation (so line() need not measure it).
 */
const PLAIN_RUN = /[^#:\t\n]*(?:\n *)?/y;

/** Up to what may end a key on its line: a colon, a comment's `#`, the line break. */
const KEY_RUN = /[^#:\n]*/y;
/** Up to what matters inside a quoted scalar on its line: the quote, an escape, the line break. */
const DOUBLE_QUOTED_RUN = /[^"\\\n]*/y;
const SINGLE_QUOTED_RUN = /[^'\n]*/y;

/** A run of ordinary characters in a quoted scalar read by quoted(). */
const QUOTED_RUN = /[^ \t\n"'\\]*/y;

/** A run of spaces where lastIndex is (matches always). */
const SPACES = / */y;

const SPACE_OR_TAB = (c: number): boolean => c === 0x20 || c === 0x09;

const SP = 0x20;
const NL = 0x0a;
const HASH = 0x23;

/**
 * The value of a block-style document, or undefined when it is outside the subset this reader
 * vouches for. Values equal js-yaml's with KUBERNETES_SCHEMA (checked on every corpus document).
 * `printable`: the caller knows the text holds no CR and no NON_PRINTABLE character (decodeManifest
 * checks a file's bytes with printableUtf8), so it is not scanned for them again.
 */
export function blockDocumentValue(text: string, maxDepth: number, printable = false, skim?: SkimKinds): BlockValue | undefined {
  if (!warmed && (passed += text.length) >= WARM_AFTER) warmUp();
  const reader = readerFor(text, maxDepth, false, printable);
  if (!reader) return undefined;
  reader.skimKinds = skim;
  let value = read(reader);
  // A skimmed body that holds what unknownPodTemplate reads: the document is read whole.
  if (value === UNSKIM) value = read(new BlockReader(text, maxDepth));
  return value === undefined ? undefined : { value: value as JsonValue, blockRead: true };
}

/** A value the block reader gave: `blockRead` says so to the locators (blockPositions with `wanted` is for such documents only). */
export interface BlockValue {
  value: JsonValue;
  blockRead: true;
}

/**
 * Kinds whose bodies may be skimmed: of a root mapping whose `kind` (read before them) is one of
 * these, every later key but apiVersion, kind and metadata is read in skim mode — checked exactly as
 * the value reader checks it (it declines the same documents: duplicate keys at any depth, tabs,
 * indentation, anchors, aliases, tags, escapes, flow collections) but built into no value, and left
 * out of the object. A scan's plan says which kinds no rule reads past their metadata
 * (EarlyRules.skimKinds).
 */
export interface SkimKinds {
  has(kind: string): boolean;
}

/** Keys of a skimmed object that are still read and kept. */
const KEPT_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * `spec.template` and `spec.jobTemplate` of an object of a kind Rampart does not know are read by
 * unknownPodTemplate (such an object is named as not evaluated): a skimmed body that has one is
 * read whole instead.
 */
const POD_TEMPLATE_KEYS = new Set(['template', 'jobTemplate']);

/** Returned by read() when skim mode met a body it must not skim. */
const UNSKIM = Symbol('read whole');
class Unskim extends Error {}

/** Mappings with more keys than this check duplicates in skim mode with a Set, not by a linear search. */
const SKIM_LINEAR_KEYS = 12;

/**
 * Where each key and item of a block-style document starts, from the same pass (what
 * `blockOffsetOf` walks); undefined when the document is outside the subset (js-yaml's tree is used
 * then). No values are built: only documents whose values the block reader gave are located this
 * way, so the duplicate keys the value pass declines cannot occur here (js-yaml rejects them too,
 * and such a document gets no fast locator).
 */
export function blockPositions(text: string, maxDepth: number, wanted?: Wanted): BlockPositions | undefined {
  if (!warmed && (passed += text.length) >= WARM_AFTER) warmUp();
  const at: BlockPositions = { open: [], key: [], end: [], kind: [] };
  // With `wanted`, the value pass read this text: it is known to be printable.
  const reader = readerFor(text, maxDepth, at, wanted !== undefined);
  if (reader) reader.wanted = wanted;
  return reader && read(reader) !== undefined ? at : undefined;
}

/**
 * The first line from `from` (a line start) with content at column <= `indent` that is not a
 * comment: `\n`, then at most `indent` spaces, then neither a space, a tab, a line break nor `#`.
 * Lines starting with a tab after their indentation are never structure in a document the value
 * pass read (it declines them), so they do not end a value.
 */
const dedentCache: RegExp[] = [];
function dedent(indent: number): RegExp {
  return (dedentCache[indent] ??= new RegExp(`\\n {0,${indent}}[^ \\t\\n#]`, 'g'));
}

/** Whether `text` has no CR and nothing NON_PRINTABLE matches (the block reader declines a document that has). */
export function printableText(text: string): boolean {
  return !text.includes('\r') && !(NOT_ASCII.test(text) && SUSPECT.test(text) && NON_PRINTABLE.test(text));
}

/** A reader of `text`, or undefined when it is not printable; `printable` when the caller already knows it is. */
function readerFor(text: string, maxDepth: number, at: BlockPositions | false, printable = false): BlockReader | undefined {
  if (!printable && !printableText(text)) return undefined;
  return new BlockReader(text, maxDepth, at || undefined);
}

function read(reader: BlockReader): JsonValue | undefined | typeof UNSKIM {
  try {
    return reader.document();
  } catch (e) {
    if (e instanceof Decline) return undefined;
    if (e instanceof Unskim) return UNSKIM;
    throw e;
  }
}

/**
 * Strings read so far, each kept once: manifests repeat values (labels, images, whole CRD
 * descriptions across projects), so shared copies hold less than JSON.parse's. Bounded; shared
 * across the files of one load (holdStrings), else emptied after each text (values keep their
 * strings; the pool only stops sharing them).
 */
const pool = new Map<string, string>();
let pooledChars = 0;
let holders = 0;
const POOL_ENTRIES = 50_000;
const POOL_CHARS = 8 * 1024 * 1024;

export function releaseStrings(): void {
  pool.clear();
  pooledChars = 0;
}

/** Keeps the pool across texts while a load of many files runs (`false` ends it; the last one empties the pool). */
export function holdStrings(hold: boolean): void {
  holders = Math.max(0, holders + (hold ? 1 : -1));
  if (holders === 0) releaseStrings();
}

/** After one text is read: the pool is emptied unless a load holds it. */
export function textRead(): void {
  if (holders === 0) releaseStrings();
}

/**
 * A string value that shares no memory with the text it was cut from. V8 copies slices shorter
 * than 13 characters; a longer slice (or a concatenation of slices) would keep the whole file
 * alive, so it is flattened into a fresh string (the concatenation forces the copy).
 */
function own(s: string): string {
  const v = pool.get(s);
  return v !== undefined ? v : pooled(unpinned(s));
}

/** own() for a string the reader built itself (a replace's result): it holds no text, so it is not copied. */
function ownFresh(s: string): string {
  const v = pool.get(s);
  return v !== undefined ? v : pooled(s);
}

function pooled(v: string): string {
  if (pool.size >= POOL_ENTRIES || pooledChars + v.length > POOL_CHARS) releaseStrings();
  pool.set(v, v);
  pooledChars += v.length;
  return v;
}

/** `s` if it is already a copy (V8 copies slices shorter than 13 characters), else a flat copy. */
function unpinned(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Sets a key as JSON.parse does: `__proto__` is an own property like any other. */
function setKey(obj: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

class BlockReader {
  /** Items of the sequences being read, nested ones above their parents; copied out at their final size. */
  private items: JsonValue[] = [];
  /** The value of the last flow collection read. */
  private flowResult: JsonValue = null;
  /** Whether the quoted scalar closingQuote() measured last holds an escape (`\\` in double quotes, `''` in single). */
  private escaped = false;
  /** Offset of the colon after the last key read. */
  private colon = -1;
  /** Where keyAhead last found a plain key, and its colon: key() there does not search for the colon again. */
  private aheadKey = -1;
  private aheadColon = -1;
  /** In position mode, what the last value read was (SCALAR, MAPPING, SEQUENCE). */
  private kind = SCALAR;
  /** Start of the current line. */
  private pos = 0;
  /** The line measured last by line(): its start, end and first non-blank offset. */
  private lineStart = -1;
  private lineEnd = -2;
  private lineFirst = 0;
  /** The first non-blank offset of the line starting at `nextStart`, found by plainEnd's run past a line break. */
  private nextStart = -1;
  private nextFirst = 0;
  /** Kinds whose bodies are skimmed (see SkimKinds). */
  skimKinds: SkimKinds | undefined;
  /** Skim mode: reading a skimmed body (values checked, none built). */
  private skim = false;
  /** No value is wanted: position mode, or skim mode. */
  private bare: boolean;
  /**
   * Whether the root key whose value is being skimmed is `spec`: compared once per root key, not in
   * skimMapping (key strings come flat, sliced or thin, and that compare deoptimised it on a kind it had not met).
   */
  private skimSpec = false;
  /** In skim mode, the keys of the mappings being read (nested ones above their parents, up to keyTop), for the duplicate check. */
  private keys: string[] = [];
  private keyTop = 0;
  /**
   * Position mode limited to these pointers' paths (`Wanted`): entries whose keys no pointer names
   * are skipped unrecorded, items no pointer names are recorded without their content. Undefined:
   * everything is recorded. Only for documents the value pass read, so that what is skipped is known
   * to be well formed: a value ends at the first content line at most as indented as its collection.
   */
  wanted: Wanted | undefined;

  private readonly text: string;

  constructor(
    text: string,
    private readonly maxDepth: number,
    /** Position mode: where keys and items start is recorded here, and no values are built. */
    private readonly at?: BlockPositions,
  ) {
    this.bare = at !== undefined;
    // A document span ends after its `...` end marker, if it has one: read what comes before.
    const last = text.lastIndexOf('\n', text.length - 2) + 1;
    this.text = text.startsWith('...', last) && /^\.\.\.[ ]*(?:#.*)?\n?$/.test(text.slice(last)) ? text.slice(0, last) : text;
  }

  document(): JsonValue | undefined {
    const t = this.text;
    if (t.startsWith('---')) {
      // `---` alone (or with a comment) on its line; content after the marker is left to js-yaml.
      const eol = this.eol(0);
      const rest = this.skipSpaces(3, eol);
      if (rest < eol && t.charCodeAt(rest) !== HASH) return undefined;
      this.pos = Math.min(eol + 1, t.length);
    }
    const indent = this.nextContent();
    if (indent < 0) return undefined;
    if (indent !== 0) return undefined;
    const root = this.at ? this.enter(this.pos, null) : -1;
    const value = this.isSequenceLine(this.pos) ? this.sequence(0, 1) : this.mapping(0, this.pos, 1);
    if (this.at) this.leave(root);
    if (this.nextContent() >= 0) decline();
    return value;
  }

  /**
   * End of the line holding `p`. A line is looked at several times (its indentation by the value
   * before it, to see whether a scalar continues, then by nextContent, then for its key), so the
   * last line measured from its start is remembered with its first non-blank offset.
   */
  private eol(p: number): number {
    if (p >= this.lineStart && p <= this.lineEnd) return this.lineEnd;
    const nl = this.text.indexOf('\n', p);
    return nl < 0 ? this.text.length : nl;
  }

  /** Measures the line starting at `p` (lineEnd, lineFirst), unless it is the one measured last. */
  private line(p: number): void {
    if (p === this.lineStart) return;
    const t = this.text;
    const nl = t.indexOf('\n', p);
    const e = nl < 0 ? t.length : nl;
    let q = this.nextFirst;
    if (p !== this.nextStart) {
      // The indentation (27 spaces a line on average in the corpus) found in native code.
      const spaces = SPACES;
      spaces.lastIndex = p;
      spaces.test(t);
      q = spaces.lastIndex;
    }
    this.lineStart = p;
    this.lineEnd = e;
    this.lineFirst = q;
  }

  private skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === SP) p++;
    return p;
  }

  /** Moves to the next line with content (not blank, not a comment): its indent, or -1 at the end. */
  private nextContent(): number {
    const t = this.text;
    while (this.pos < t.length) {
      if (this.pos !== this.lineStart) this.line(this.pos); // most often the line measured last (no call then)
      const eol = this.lineEnd;
      const p = this.lineFirst;
      const c = t.charCodeAt(p);
      if (c === 0x09) decline();
      if (p < eol && c !== HASH) return p - this.pos;
      this.pos = eol + 1;
    }
    this.pos = t.length;
    return -1;
  }

  private isSequenceLine(p: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(p + 1);
    return t.charCodeAt(p) === 0x2d && (c === SP || c === NL || p + 1 >= t.length);
  }

  /** A block node starting on the current content line at `indent`. */
  private node(indent: number, depth: number): JsonValue {
    if (depth > this.maxDepth) decline();
    const p = this.pos + indent;
    return this.text.charCodeAt(p) === 0x2d && this.isSequenceLine(p) ? this.sequence(indent, depth) : this.mapping(indent, p, depth);
  }

  /** Position mode: a node starting at `open` (a mapping entry's key, else null), its subtree to follow. */
  private enter(open: number, key: string | null): number {
    const at = this.at!;
    at.open.push(open);
    at.key.push(key);
    at.end.push(0);
    at.kind.push(SCALAR);
    return at.open.length - 1;
  }

  /** Position mode: node `i`'s subtree is read; its value was of kind `kind`. */
  private leave(i: number): void {
    const at = this.at!;
    at.end[i] = at.open.length;
    at.kind[i] = this.kind;
  }

  /** A block mapping whose entries start at column `indent`; the first key is at offset `first`. */
  private mapping(indent: number, first: number, depth: number): JsonValue {
    if (this.skim) return this.skimMapping(indent, first, depth);
    const t = this.text;
    const at = this.at;
    const obj: Record<string, JsonValue> | undefined = at ? undefined : {};
    /** At the root, once `kind` names a skimmed kind: the keys of the body, read in skim mode. */
    let skimmed: string[] | undefined;
    let p = first;
    for (;;) {
      const eol = this.eol(p);
      const key = this.key(p, eol);
      if (key === undefined) decline();
      if (obj) {
        if (Object.hasOwn(obj, key!) || (skimmed !== undefined && skimmed.includes(key!))) decline();
        if (skimmed !== undefined && !KEPT_KEYS.has(key!)) {
          skimmed.push(key!);
          this.skimValue(key!, eol, indent, depth);
        } else {
          const v = this.value(this.colon + 1, eol, indent, depth, true);
          setKey(obj, key!, v);
          // The value just read, not `obj.kind`: root objects have many shapes (a load there deoptimised mapping()).
          if (depth === 1 && key === 'kind' && typeof v === 'string' && this.skimKinds !== undefined && this.skimKinds.has(v)) skimmed = [];
        }
      } else {
        const w = this.wanted;
        const sub = w === undefined ? undefined : w.get(key!);
        if (w === undefined) {
          const i = this.enter(p, key!);
          this.value(this.colon + 1, eol, indent, depth, true);
          this.leave(i);
        } else if (sub === undefined) this.skipValue(eol, indent, true);
        else {
          const i = this.enter(p, key!);
          if (sub.size === 0) this.skipValue(eol, indent, true);
          else {
            this.wanted = sub;
            this.value(this.colon + 1, eol, indent, depth, true);
            this.wanted = w;
          }
          this.leave(i);
        }
      }
      const next = this.nextContent();
      if (next < indent) break;
      if (next > indent || (t.charCodeAt(this.pos + indent) === 0x2d && this.isSequenceLine(this.pos + indent))) decline();
      p = this.pos + indent;
    }
    this.kind = MAPPING;
    return obj ?? null;
  }

  /** The value of root key `key` in skim mode: read as value() reads it, nothing built. */
  private skimValue(key: string, eol: number, indent: number, depth: number): void {
    this.skim = true;
    this.bare = true;
    this.skimSpec = key === 'spec';
    try {
      this.value(this.colon + 1, eol, indent, depth, true);
    } finally {
      this.skim = false;
      this.bare = false;
    }
  }

  /** mapping() in skim mode: the same checks (duplicate keys on a stack of keys), no object. */
  private skimMapping(indent: number, first: number, depth: number): JsonValue {
    const t = this.text;
    const keys = this.keys;
    const from = this.keyTop;
    let seen: Set<string> | undefined;
    // What unknownPodTemplate reads: `spec.template`, `spec.jobTemplate`.
    const podTemplate = depth === 2 && this.skimSpec;
    let p = first;
    for (;;) {
      const eol = this.eol(p);
      const key = this.key(p, eol);
      if (key === undefined) decline();
      if (podTemplate && POD_TEMPLATE_KEYS.has(key!)) throw new Unskim();
      if (seen !== undefined) {
        if (seen.has(key!)) decline();
        seen.add(key!);
      } else {
        const top = this.keyTop;
        for (let j = from; j < top; j++) if (keys[j] === key) decline();
        keys[top] = key!;
        this.keyTop = top + 1;
        if (top + 1 - from > SKIM_LINEAR_KEYS) seen = new Set(keys.slice(from, top + 1));
      }
      this.value(this.colon + 1, eol, indent, depth, true);
      const next = this.nextContent();
      if (next < indent) break;
      if (next > indent || (t.charCodeAt(this.pos + indent) === 0x2d && this.isSequenceLine(this.pos + indent))) decline();
      p = this.pos + indent;
    }
    this.keyTop = from;
    this.kind = MAPPING;
    return null;
  }

  /** A block sequence whose `-` indicators are at column `indent` (the current line is the first item). */
  private sequence(indent: number, depth: number): JsonValue {
    const t = this.text;
    const items = this.items;
    const from = items.length;
    const at = this.at;
    let index = 0;
    for (;;) {
      const dash = this.pos + indent;
      const eol = this.eol(dash);
      const p = this.skipSpaces(dash + 1, eol);
      const c = t.charCodeAt(p);
      const w = this.wanted;
      const named = w === undefined ? undefined : w.get(String(index++));
      const sub = w !== undefined && named === undefined ? NOTHING_WANTED : named;
      if (sub !== undefined && sub.size === 0 && p < eol && c !== HASH) {
        // An item no pointer goes into (its index counts), or one wanted itself: its content is passed
        // over. An item with nothing after its dash is read (the full pass declines an empty one).
        const i = this.enter(this.keyAhead(p, eol) ? p : dash + 1, null);
        this.skipValue(eol, indent, false);
        if (named === undefined) this.kind = SKIPPED;
        this.leave(i);
      } else if (p < eol && c !== HASH && this.keyAhead(p, eol)) {
        if (depth + 1 > this.maxDepth) decline();
        // A compact mapping (`- name: x`): its entries align with the first key.
        const i = at ? this.enter(p, null) : -1;
        this.wanted = sub;
        const v = this.mapping(p - this.pos, p, depth + 1);
        this.wanted = w;
        if (at) this.leave(i);
        else if (!this.skim) items.push(v);
      } else {
        // An item starts where its content does (found from just after the dash).
        const i = at ? this.enter(dash + 1, null) : -1;
        this.wanted = sub;
        const v = this.value(dash + 1, eol, indent, depth, false);
        this.wanted = w;
        if (at) this.leave(i);
        else if (!this.skim) items.push(v);
        const next = this.nextContent();
        if (next >= 0 && next > indent) decline();
      }
      if (this.pos >= t.length) break;
      const next = this.nextContent();
      if (next !== indent || !this.isSequenceLine(this.pos + indent)) {
        if (next > indent) decline();
        break;
      }
    }
    this.kind = SEQUENCE;
    if (at || this.skim) return null;
    const seq = items.slice(from);
    items.length = from;
    return seq;
  }

  /**
   * Limited position mode: passes over the value of an entry or item of a collection at `indent`
   * whose key or dash is on the line ending at `eol`, leaving `pos` at the first line after it (as
   * value() does). The value pass read this document, so every line of the value is blank, a
   * comment, or indented past `indent`, or (`inMapping`) a sequence at the key's own column.
   */
  private skipValue(eol: number, indent: number, inMapping: boolean): void {
    const t = this.text;
    const re = dedent(indent);
    let from = eol;
    for (;;) {
      re.lastIndex = from;
      if (!re.test(t)) {
        this.pos = t.length;
        break;
      }
      const q = re.lastIndex - 1;
      const start = t.lastIndexOf('\n', q - 1) + 1;
      if (inMapping && q - start === indent && this.isSequenceLine(q)) {
        from = q;
        continue;
      }
      this.pos = start;
      break;
    }
    this.kind = SCALAR;
  }

  /**
   * The value after a key's colon or an item's dash, from `p` to the line end `eol`, for a node of a
   * collection at `indent`. Leaves `pos` at the line after the value.
   */
  private value(p: number, eol: number, indent: number, depth: number, inMapping: boolean): JsonValue {
    const t = this.text;
    // skipSpaces and leaf written out here: value() runs for every entry and item, and the scan's
    // optimising compiler inlines no calls (--no-turbo-inlining).
    let start = p;
    while (start < eol && t.charCodeAt(start) === SP) start++;
    if (start < eol && start === p) decline(); // `key:value` is not a mapping entry (keyAhead guards this)
    const c = t.charCodeAt(start);
    if (start >= eol || c === HASH) {
      // The value is on the lines below: a scalar, a nested node, a sequence at the key's own column, or null.
      this.pos = Math.min(eol + 1, t.length);
      const next = this.nextContent();
      if (next > indent) {
        const q = this.pos + next;
        const e = this.eol(q);
        const d = t.charCodeAt(q);
        if (d === 0x5b || d === 0x7b) {
          // A flow collection alone on the line below (Helm writes `emptyDir:\n  {}`); one over several lines declines.
          this.pos = Math.min(e + 1, t.length);
          this.afterScalar(this.flow(q, e, depth + 1), e);
          return this.flowResult;
        }
        if (!this.scalarAhead(q, e)) return this.node(next, depth + 1);
        this.pos = Math.min(e + 1, t.length);
        this.kind = SCALAR;
        return d === 0x22 || d === 0x27 ? this.own(this.quotedScalar(q, e, indent)) : this.plain(this.plainLines(q, e, indent));
      }
      if (inMapping && next === indent && this.isSequenceLine(this.pos + indent)) return this.sequence(indent, depth + 1);
      // An empty item is placed just after its dash, which the tree's offsets cannot say: js-yaml's tree decides.
      if (this.at && !inMapping) decline();
      this.kind = SCALAR;
      return null;
    }
    this.pos = Math.min(eol + 1, t.length);
    this.kind = SCALAR;
    switch (c) {
      case 0x7c: // |
      case 0x3e: // >
        return this.blockScalar(start, eol, indent);
      case 0x22: // "
      case 0x27: // '
        return this.own(this.quotedScalar(start, eol, indent));
      case 0x5b: // [
      case 0x7b: {
        // {
        const end = this.flow(start, eol, depth + 1);
        this.afterScalar(end, eol);
        return this.flowResult;
      }
    }
    return this.plain(this.plainLines(start, eol, indent));
  }

  /** The value of plain scalar `s`; '' is what plainLines gives when no value is wanted and none can be declined (no scalar is empty). */
  private plain(s: string): JsonValue {
    return s === '' ? null : this.scalar(resolvePlainScalar(s));
  }

  /**
   * A plain scalar from `start` and its continuation lines (indented past `indent`), folded as YAML
   * folds them: one line break becomes a space, n empty lines become n line breaks.
   */
  private plainLines(start: number, eol: number, indent: number): string {
    const t = this.text;
    const end = this.plainEnd(start, eol);
    // A comment ends it. (Bounded by eol: reading past the text's end deoptimised this function.)
    const after = end < eol ? this.skipSpaces(end, eol) : eol;
    if (after < eol && t.charCodeAt(after) === HASH) return this.plainCut(start, end);
    // Continuation lines are checked in place; the scalar is then cut once and its line breaks
    // folded by one replace (a fresh string), not built a line at a time.
    let last = end;
    let empties = 0;
    let blank = false;
    for (let p = this.pos; p < t.length; ) {
      this.line(p);
      const e = this.lineEnd;
      const q = this.lineFirst;
      if (q === e) {
        empties++;
        p = e + 1;
        continue;
      }
      if (q - p <= indent || t.charCodeAt(q) === HASH) break;
      if (e === t.length) decline(); // a last line without a line break: rare, js-yaml decides
      if (t.charCodeAt(q) === 0x09) decline(); // a tab at the start of a continuation line: js-yaml decides
      const le = this.plainEnd(q, e, true);
      if (le < e && t.charCodeAt(this.skipSpaces(le, e)) === HASH) decline();
      if (empties > 0) blank = true;
      empties = 0;
      last = le;
      p = e + 1;
      this.pos = p;
    }
    if (last === end) return this.plainCut(start, end);
    // No value wanted: a scalar over several lines is a string (it holds a blank), never declined.
    if (this.bare) return '';
    // Between two lines' contents there are only spaces and line breaks (tabs and comments declined).
    return blank ? t.slice(start, last).replace(FOLD_BREAKS, foldBreaks) : this.fresh(t.slice(start, last).replace(ONE_BREAK, ' '));
  }

  /**
   * A plain scalar on one line. When no value is wanted only what scalar() declines matters, a
   * non-finite number (`.inf`, `-.Inf`, `.nan`, `1e999`, an integer too long for a double): a scalar
   * that cannot start a number is not cut from the text.
   */
  private plainCut(start: number, end: number): string {
    if (this.bare) {
      const c = this.text.charCodeAt(start);
      if (!((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d)) return '';
    }
    return this.text.slice(start, end);
  }

  /**
   * End of a plain scalar on one line (`:` and ` #` rules of block context), trailing spaces
   * excluded; declines indicators.
   */
  private plainEnd(start: number, eol: number, continued = false): number {
    const t = this.text;
    const c = t.charCodeAt(start);
    // ! & * tags/anchors/aliases, | > handled by the caller, % @ ` reserved, , ] } ? : - need context.
    // On a continuation line only ? : and `- ` could still mean something (YAML restricts the first
    // character of a plain scalar, not of its later lines); those are declined.
    // A first `:` followed by a non-blank starts a plain scalar in YAML (`name: :path`, recording
    // rules' `record: :node_memory:sum`); go-yaml, js-yaml and `yaml` all read it as a string.
    if ((continued ? CONTINUED_FIRST_NOT : PLAIN_FIRST_NOT)[c] === 1 && !(c === 0x3a && !continued && start + 1 < eol && !SPACE_OR_TAB(t.charCodeAt(start + 1)))) decline();
    if (c === 0x2d && (t.charCodeAt(start + 1) === SP || start + 1 === eol)) decline();
    // To ` #` (a comment) or the line end; `: ` or a final `:` (a key) and tabs decline. The regular
    // expression finds the next character that matters (most values have none before the line
    // break): a scan in native code, where a loop over every character runs interpreted in a cold scan.
    let end = eol;
    const run = PLAIN_RUN;
    for (let i = start; i < eol; ) {
      run.lastIndex = i;
      run.test(t);
      const s = run.lastIndex;
      if (s > eol) {
        // Past the line break and the next line's indentation: line() takes it from here.
        this.nextStart = eol + 1;
        this.nextFirst = s;
        break;
      }
      if (s >= eol) break;
      const d = t.charCodeAt(s);
      if (d === HASH) {
        if (t.charCodeAt(s - 1) === SP) {
          end = s;
          break;
        }
      } else if (d === 0x3a) {
        if (s + 1 === eol || t.charCodeAt(s + 1) === SP) decline();
      } else decline(); // a tab
      i = s + 1;
    }
    while (end > start && t.charCodeAt(end - 1) === SP) end--;
    return end;
  }

  /** A string value, copied out of the text; when only positions are wanted the value is dropped, so no copy. */
  private own(s: string): string {
    return this.bare ? s : own(s);
  }

  /** A string the reader built (no slice of the text): pooled without a copy. */
  private fresh(s: string): string {
    return this.bare ? s : ownFresh(s);
  }

  /** A scalar is read (its start is where its key or item was entered). */
  private leaf(): void {
    this.kind = SCALAR;
  }

  private scalar(v: JsonValue): JsonValue {
    if (typeof v === 'string') return this.own(v);
    if (typeof v === 'number' && !Number.isFinite(v)) decline();
    return v;
  }

  /** Only blanks or a comment may follow a scalar on its line. */
  private afterScalar(p: number, eol: number): void {
    const q = this.skipSpaces(p, eol);
    if (q < eol && !(this.text.charCodeAt(q) === HASH && q > p)) decline();
  }

  /**
   * A quoted scalar from `start` (line end `eol`): most close on their line with no escape (no `\`
   * in double quotes, no `''` in single quotes), and are the text between the quotes; the rest are
   * read by quoted().
   */
  private quotedScalar(start: number, eol: number, indent: number): string {
    const t = this.text;
    const close = this.closingQuote(start, eol);
    if (close > 0 && !this.escaped) {
      this.pos = Math.min(eol + 1, t.length);
      this.afterScalar(close + 1, eol);
      return this.bare ? '' : t.slice(start + 1, close);
    }
    return this.quoted(start, indent);
  }

  /**
   * A quoted scalar from `start`, possibly over several lines (continuation lines indented past
   * `indent`): white space around a line break is dropped, one break folds to a space and n empty
   * lines to n line breaks; in double quotes a `\` before the break joins the lines. Leaves `pos` at
   * the line after the closing quote.
   */
  private quoted(start: number, indent: number): string {
    const t = this.text;
    const dq = t.charCodeAt(start) === 0x22;
    let s = '';
    let ws = ''; // literal blanks, kept only if more content follows on the line
    for (let i = start + 1; ; i++) {
      if (i >= t.length) decline();
      const c = t.charCodeAt(i);
      if (c === SP || c === 0x09) {
        ws += t[i];
        continue;
      }
      if (c === NL) {
        ws = '';
        // Empty lines, then the continuation line's indentation.
        let empties = 0;
        let p = i + 1;
        for (;;) {
          const e = this.eol(p);
          let q = p;
          while (q < e && (t.charCodeAt(q) === SP || t.charCodeAt(q) === 0x09)) q++;
          if (q < e || e >= t.length) {
            if (e >= t.length && q >= e) decline();
            if (t.charCodeAt(p + indent) === 0x09 || this.skipSpaces(p, e) - p <= indent) decline();
            i = q - 1;
            break;
          }
          empties++;
          p = e + 1;
        }
        s += empties > 0 ? '\n'.repeat(empties) : ' ';
        continue;
      }
      s += ws;
      ws = '';
      if (dq && c === 0x22) {
        this.pos = Math.min(this.eol(i) + 1, t.length);
        this.afterScalar(i + 1, this.eol(i));
        return s;
      }
      if (!dq && c === 0x27) {
        if (t.charCodeAt(i + 1) === 0x27) {
          s += "'";
          i++;
          continue;
        }
        this.pos = Math.min(this.eol(i) + 1, t.length);
        this.afterScalar(i + 1, this.eol(i));
        return s;
      }
      if (dq && c === 0x5c) {
        const e = t[i + 1];
        if (e === '\n') decline(); // an escaped line break: rare, js-yaml decides
        const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          s += simple;
          i++;
          continue;
        }
        const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        const hex = t.slice(i + 2, i + 2 + len);
        if (len === 0 || hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) decline();
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) decline();
        s += String.fromCodePoint(cp);
        i += 1 + len;
        continue;
      }
      // An ordinary character, and those after it up to the next one that matters: one slice.
      const run = QUOTED_RUN;
      run.lastIndex = i + 1;
      run.test(t);
      const k = run.lastIndex;
      s += t.slice(i, k);
      i = k - 1;
    }
  }

  /**
   * A flow collection on one line (`[a, "b"]`, `{name: x, ports: [{containerPort: 80}]}`), from
   * its opening bracket at `p`; returns the offset after its closing bracket and leaves the
   * collection in `flowResult`. Keys need `: `; implicit single-pair mappings, missing values,
   * trailing commas and comments are declined.
   */
  private flow(p: number, eol: number, depth: number): number {
    if (depth > this.maxDepth) decline();
    const t = this.text;
    const isMap = t.charCodeAt(p) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const at = this.at;
    const obj: Record<string, JsonValue> | undefined = isMap && !at ? {} : undefined;
    const items = this.items;
    const from = items.length;
    p = this.skipSpaces(p + 1, eol);
    if (t.charCodeAt(p) !== close) {
      for (;;) {
        p = this.skipSpaces(p, eol);
        let key = '';
        let node = -1;
        if (isMap) {
          const keyAt = p;
          const c = t.charCodeAt(p);
          if (c === 0x22 || c === 0x27) {
            const q = this.quotedEnd(p, eol);
            key = c === 0x22 ? this.doubleQuotedIn(p, q) : t.slice(p + 1, q).replace(/''/g, "'");
            p = this.skipSpaces(q + 1, eol);
          } else {
            let e = p;
            while (e < eol && !',[]{}#:'.includes(t[e]!)) e++;
            let k = e;
            while (k > p && t.charCodeAt(k - 1) === SP) k--;
            key = t.slice(p, k);
            if (key === '' || '!&*%@`?-|>\'"\t'.includes(key[0]!) || key.includes('\t') || key === '<<' || typeof resolvePlainScalar(key) !== 'string') decline();
            p = e;
          }
          if (t.charCodeAt(p) !== 0x3a || t.charCodeAt(p + 1) !== SP) decline();
          if (obj && Object.hasOwn(obj, key)) decline();
          p = this.skipSpaces(p + 2, eol);
          if (at) node = this.enter(keyAt, key);
        } else if (at) node = this.enter(p, null);
        p = this.flowItem(p, eol, depth);
        if (at) this.leave(node);
        else if (obj) setKey(obj, key, this.flowResult);
        else items.push(this.flowResult);
        p = this.skipSpaces(p, eol);
        const d = t.charCodeAt(p);
        if (d === 0x2c) {
          p++;
          if (t.charCodeAt(this.skipSpaces(p, eol)) === close) decline(); // a trailing comma
          continue;
        }
        if (d !== close) decline();
        break;
      }
    }
    this.kind = isMap ? MAPPING : SEQUENCE;
    if (at) this.flowResult = null;
    else if (obj) this.flowResult = obj;
    else {
      this.flowResult = items.slice(from);
      items.length = from;
    }
    return p + 1;
  }

  /** One value inside a flow collection, left in `flowResult`; returns the offset after it. */
  private flowItem(p: number, eol: number, depth: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 0x5b || c === 0x7b) return this.flow(p, eol, depth + 1);
    this.leaf();
    if (c === 0x22 || c === 0x27) {
      const q = this.quotedEnd(p, eol);
      this.flowResult = this.own(c === 0x22 ? this.doubleQuotedIn(p, q) : t.slice(p + 1, q).replace(/''/g, "'"));
      const after = this.skipSpaces(q + 1, eol);
      if (t.charCodeAt(after) === 0x3a) decline(); // an implicit single-pair mapping
      return q + 1;
    }
    let end = p;
    while (end < eol && !',[]{}#:'.includes(t[end]!)) end++;
    if (t.charCodeAt(end) === 0x3a || t.charCodeAt(end) === HASH) decline();
    let e = end;
    while (e > p && t.charCodeAt(e - 1) === SP) e--;
    const s = t.slice(p, e);
    if (s === '' || '!&*%@`?-|>\'"'.includes(s[0]!) || s.includes('\t')) decline();
    this.flowResult = this.scalar(resolvePlainScalar(s));
    return end;
  }

  /** Offset of the closing quote of a quoted scalar starting at `p`, on this line. */
  private quotedEnd(p: number, eol: number): number {
    const q = this.closingQuote(p, eol);
    return q < 0 ? decline() : q;
  }

  /** Offset of the closing quote of a quoted scalar starting at `p` if it closes on this line, else -1. */
  private closingQuote(p: number, eol: number): number {
    const t = this.text;
    const dq = t.charCodeAt(p) === 0x22;
    const run = dq ? DOUBLE_QUOTED_RUN : SINGLE_QUOTED_RUN;
    this.escaped = false;
    for (let i = p + 1; ; ) {
      if (i >= eol) return -1;
      run.lastIndex = i;
      run.test(t);
      const s = run.lastIndex;
      if (s >= eol) return -1;
      const c = t.charCodeAt(s);
      if (dq ? c === 0x5c : t.charCodeAt(s + 1) === 0x27) {
        i = s + 2; // an escape, or `''`
        this.escaped = true;
      } else return s;
    }
  }

  /** A double-quoted scalar between `p` and its closing quote `close`. */
  private doubleQuotedIn(p: number, close: number): string {
    const t = this.text;
    const s = t.slice(p + 1, close);
    if (!s.includes('\\')) return s;
    // The scalar reader on a copy that ends at the quote (one line, so no indentation applies).
    return new BlockReader(t.slice(p, close + 1), this.maxDepth).quoted(0, -1);
  }

  /**
   * A key at `p`: a plain scalar up to `: ` (or `:` at the line end) or a one-line quoted scalar
   * followed by `:`; undefined when the line holds no key of the subset. The colon's offset is left in `colon`.
   */
  private key(p: number, eol: number): string | undefined {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 0x22 || c === 0x27) {
      const close = this.quotedEnd(p, eol);
      const colon = this.skipSpaces(close + 1, eol);
      if (!this.colonAt(colon, eol)) return undefined;
      const after = t.charCodeAt(colon + 1);
      if (!(colon + 1 === eol || after === SP)) return undefined;
      this.colon = colon;
      return c === 0x22 ? this.doubleQuotedIn(p, close) : t.slice(p + 1, close).replace(/''/g, "'");
    }
    if (KEY_FIRST_NOT[c] === 1) return undefined;
    // The first `: ` (or final `:`) on the line, found in native code; what comes before it is
    // checked a character at a time only for a key not in the cache.
    let i = p === this.aheadKey ? this.aheadColon : t.indexOf(':', p);
    while (i >= 0 && i < eol && !(i + 1 === eol || t.charCodeAt(i + 1) === SP)) i = t.indexOf(':', i + 1);
    if (i < 0 || i >= eol) return undefined;
    const n = i - p;
    // A cached key has no blank before its colon, no tab and no ` #`: equal characters pass the checks below.
    const slot = (((n * 31 + c) * 31 + t.charCodeAt(p + (n >> 1))) * 31 + t.charCodeAt(i - 1)) & (KEY_SLOTS - 1);
    const known = keyCache[slot];
    if (known !== undefined && known.length === n && t.slice(p, i) === known) {
      this.colon = i;
      return known;
    }
    for (let j = p; j < i; j++) {
      const d = t.charCodeAt(j);
      if (d === 0x09 || (d === HASH && t.charCodeAt(j - 1) === SP)) return undefined;
    }
    let e = i;
    while (e > p && t.charCodeAt(e - 1) === SP) e--;
    this.colon = i;
    const key = t.slice(p, e);
    // Keys that resolve to null, booleans or numbers (and merge keys) are left to js-yaml.
    if (key === '<<' || typeof resolvePlainScalar(key) !== 'string') return undefined;
    if (e === i && n <= KEY_CACHED_CHARS) return (keyCache[slot] = internalized(key));
    return key;
  }

  /**
   * Whether the content at `p`, on a line below a key or a dash, is a scalar (plain or quoted,
   * possibly over several lines) rather than a mapping entry or a sequence item.
   */
  private scalarAhead(p: number, eol: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 0x2d && this.isSequenceLine(p)) return false;
    if (c === 0x22 || c === 0x27) {
      // A quoted key closes on its line and is followed by `:`; anything else is a quoted scalar.
      const close = this.closingQuote(p, eol);
      return close < 0 || !this.colonAt(this.skipSpaces(close + 1, eol), eol);
    }
    // Block scalar headers and flow collections on their own line are left to the node reader (which declines them).
    if (c === 0x7c || c === 0x3e || c === 0x5b || c === 0x7b) return false;
    return !this.keyAhead(p, eol);
  }

  /** Whether a colon is at `q`, before the line end (a text's last line may have no line break: no read past its end, which deoptimised keyAhead). */
  private colonAt(q: number, eol: number): boolean {
    return q < eol && this.text.charCodeAt(q) === 0x3a;
  }

  /** Whether the item text at `p` is a mapping entry (`- key: value`). */
  private keyAhead(p: number, eol: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 0x22 || c === 0x27) {
      // A quoted scalar item, or a quoted key: decided by what follows the closing quote.
      const close = this.quotedEnd(p, eol);
      return this.colonAt(this.skipSpaces(close + 1, eol), eol);
    }
    if (c === 0x5b || c === 0x7b || c === 0x7c || c === 0x3e) return false;
    const run = KEY_RUN;
    for (let i = p; ; ) {
      if (i >= eol) return false;
      run.lastIndex = i;
      run.test(t);
      const s = run.lastIndex;
      if (s >= eol) return false;
      if (t.charCodeAt(s) === HASH) {
        if (t.charCodeAt(s - 1) === SP) return false;
      } else if (s + 1 === eol || t.charCodeAt(s + 1) === SP) {
        // The first `: ` (or final `:`), where key() would find it: the mapping read next starts here.
        this.aheadKey = p;
        this.aheadColon = s;
        return true;
      }
      i = s + 1;
    }
  }

  /** `|` or `>` with an optional chomping indicator; content lines indented past `indent`. */
  private blockScalar(start: number, eol: number, indent: number): string {
    const t = this.text;
    const folded = t.charCodeAt(start) === 0x3e;
    let h = start + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    if (t[h] === '-') (chomp = 'strip'), h++;
    else if (t[h] === '+') (chomp = 'keep'), h++;
    this.afterScalar(h, eol);
    // Content: lines until one with content indented at most `indent`. A literal scalar is cut from
    // the text once (its indentation dropped by one replace); a folded one is built from its lines.
    const lines: string[] | undefined = folded ? [] : undefined;
    let m = -1;
    const first = this.pos;
    let p = first;
    let leadingMax = 0;
    /** End of the last line that is not empty in the value, and how many empty ones follow it. */
    let lastEnd = -1;
    let trailing = 0;
    for (;;) {
      if (p >= t.length) break;
      this.line(p);
      const e = this.lineEnd;
      const s = this.lineFirst;
      const ind = s - p;
      // A content line without a final line break: chomping reads it differently; js-yaml decides.
      if (e === t.length && (s === e || m < 0 ? ind > indent : ind >= m)) decline();
      if (s === e) {
        // A blank line: content spaces beyond the block's indent, else empty.
        if (m < 0) leadingMax = Math.max(leadingMax, ind);
        const spaces = m >= 0 && ind > m;
        lines?.push(spaces ? t.slice(p + m, e) : '');
        if (spaces) {
          lastEnd = e;
          trailing = 0;
        } else trailing++;
        p = e + 1;
        continue;
      }
      if (m < 0) {
        if (ind <= indent) break;
        m = ind;
        if (leadingMax > m) decline();
      } else if (ind < m) break;
      lines?.push(t.slice(p + m, e));
      lastEnd = e;
      trailing = 0;
      p = e + 1;
    }
    this.pos = p;
    if (m < 0) decline(); // an empty block scalar: rare, js-yaml decides
    if (!lines) {
      if (this.bare) return '';
      // Every line break of the value is followed by its line's indentation, at most m spaces (lastEnd
      // is a line break: a last line without one declined above).
      const cut = t.slice(first, chomp === 'strip' ? lastEnd : lastEnd + 1).replace(indentation(m), '$1');
      return chomp === 'keep' ? this.own(cut + '\n'.repeat(trailing)) : this.fresh(cut);
    }
    const body = lines.slice(0, lines.length - trailing);
    if (body.some((l) => l.charCodeAt(0) === SP || l.charCodeAt(0) === 0x09) || body[0] === '') decline();
    let s = '';
    let empties = 0;
    for (let i = 0; i < body.length; i++) {
      const l = body[i]!;
      if (l === '') {
        empties++;
        continue;
      }
      if (i > 0) s += empties > 0 ? '\n'.repeat(empties) : ' ';
      s += l;
      empties = 0;
    }
    if (chomp === 'clip') s += '\n';
    else if (chomp === 'keep') s += '\n' + '\n'.repeat(trailing);
    return this.own(s);
  }
}

/** The indentation of a literal block scalar's lines, up to `m` spaces, after a line break or at the start. */
const INDENTATION: RegExp[] = [];
function indentation(m: number): RegExp {
  // The line break first: an empty match at the start would step over a first line break (a value starting with an empty line).
  return (INDENTATION[m] ??= new RegExp(`(?:(\n)|^) {0,${m}}`, 'g'));
}

/** The line breaks of a plain scalar over several lines with no empty line between them: each folds to a space. */
const ONE_BREAK = / *\n */g;
/** Line breaks with empty lines between: one folds to a space, n + 1 to n line breaks. */
const FOLD_BREAKS = / *\n[ \n]*/g;
function foldBreaks(gap: string): string {
  let n = 0;
  for (let i = 0; i < gap.length; i++) if (gap.charCodeAt(i) === NL) n++;
  return n === 1 ? ' ' : '\n'.repeat(n - 1);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * A small document with the shapes the corpus has but a large first document may not reach before
 * V8 optimises the reader's functions mid-way (the end of a document, escapes, block scalars, flow
 * collections, a sequence at its key's column, a declined line): each site met in optimised code
 * with no type feedback deoptimised its function and cost one more compile. Read a few times in
 * each mode (V8 gives a function its feedback only after it ran a while) once the input is large enough for
 * optimised code (WARM_AFTER); the file checks and splitDocuments too.
 */
const WARM_UP = `apiVersion: v1
kind: Warm
metadata:
  name: warm-up
  labels: {app: "w", tier: 'x', k: 1}
spec:
  a: plain value
  b: "double \\\\ \\" \\x41 \\u00e9 \\n"
  c: 'single ''quoted'''
  d: |
    literal

    text
  e: |-
    stripped
  f: >
    folded
    text
  g: >+
    kept

  h:
    - one
    - 2
    - name: x
      value: 0x1F
    - [a, "b", {c: d}]
    -
      - nested
  i:
  - at the key's column
  - 1.5e3
  j: multi-line
    plain

    scalar
  fold: a plain scalar
    over two lines
  k: "multi-line
    quoted"
  'quoted key': ~
  "q2": null
  l:
    {}
  m: true
  q: 0644
  o: :path
  p: -12 # comment
  r:
  s:
    "quoted key below": 1
  t:
    "quoted scalar below"
  below:
    plain scalar below
  below2:
    'single-quoted below'
  u:
    - "quoted item"
    - "quoted": key
    - a#b # comment
  v: |+
    kept literal

  a_key_longer_than_the_cache_keeps_so_it_is_sliced_each_time_it_is_read: 1
  spaced : a blank before its colon
  w: [yes, ~, 1_000, 0o17, +1, 0b101, '12:30', 2020-01-01]
  neg: -.5
  x: é non-ASCII
  z:
  - é
  - 1e3
# a comment line
status: {}
...
`;
/** Documents that end without a line break, a root sequence. */
const WARM_ENDS = ['a: b', 'a:\n- b', 'a:\n  - "c"', 'a: 1', 'a:', '- a\n- b: c\n'];
/** Documents that leave the subset at different places (each is declined). */
const WARM_DECLINED = ['a: |\n  x', 'a: b\nc\n', 'on: x\n', 'a: .inf\n', 'a:\n  - b\n  c: d\n', 'a: b\nc: [d,\n  e]\n', 'a: &x b\n', 'a:\n\t- b\n', 'a: b\na: c\n', 'kind: Warm\nspec:\n  x: 1\n  x: 2\n', 'a: "\\q"\n', 'a: b\n  c: d\n', 'a: |\n  x\n  y', 'a: |\nb: c\n'];
/** Places in WARM_UP a limited position pass records (items and keys passed over around them). */
const WARM_WANTED = ['/metadata/name', '/spec/h/2/name', '/spec/h/3', '/spec/i/1', '/spec/u/1/quoted', '/spec/s'];
/** The warm-up's documents, for the test that checks each takes the path it is there to warm. */
export const WARM_UP_DOCUMENTS = { read: WARM_UP, ends: WARM_ENDS, declined: WARM_DECLINED, wanted: WARM_WANTED };
let warmed = false;
/**
 * Characters and bytes that passed through the reader and the byte check so far: the warm-up runs
 * once this many did (a small input's functions are never optimised, and its scan's start-up is
 * not charged for the warm-up, ~9 ms CPU, most of it compiling bytecode the scan compiles anyway).
 */
let passed = 0;
const WARM_AFTER = 64 * 1024;
/** Rounds of the warm-up: 3 gave the same compile and deopt counts as 10, at ~9 ms CPU against ~20. */
const WARM_ROUNDS = 3;
function warmUp(): void {
  warmed = true;
  const bytes = new TextEncoder().encode(WARM_UP);
  for (let i = 0; i < WARM_ROUNDS; i++) {
    printableUtf8(bytes, false);
    splitDocuments(`a: b\n---\n${WARM_DECLINED[i % WARM_DECLINED.length]!}\n...\n# c\n--- \nd: e`);
  }
  const skim: SkimKinds = { has: (k) => k === 'Warm' };
  const wanted = wantedPaths(WARM_WANTED);
  for (let i = 0; i < WARM_ROUNDS; i++) {
    read(new BlockReader(WARM_UP, 64));
    const skimming = new BlockReader(WARM_UP, 64);
    skimming.skimKinds = skim;
    read(skimming);
    read(new BlockReader(WARM_UP, 64, { open: [], key: [], end: [], kind: [] }));
    // The limited position pass, as locating findings runs it (sites met only with `wanted` deoptimised mapping and sequence).
    const limited = new BlockReader(WARM_UP, 64, { open: [], key: [], end: [], kind: [] });
    limited.wanted = wanted;
    read(limited);
    for (const d of WARM_ENDS) {
      read(new BlockReader(d, 64));
      read(new BlockReader(d, 64, { open: [], key: [], end: [], kind: [] }));
    }
    for (const d of WARM_DECLINED) read(new BlockReader(d, 64));
  }
  textRead(); // a load that holds the pool keeps what it shared so far
}
