// Position-aware YAML/JSON parsing. Values keep their file, line, column and JSON Pointer.
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { LineCounter, parseAllDocuments, type Tags, isMap, isSeq, isPair, isScalar, isAlias, type Document, type Node } from 'yaml';
import type { InputError, JsonValue, Location } from '../model/types.js';
import { parsePointer } from '../model/json.js';
import { fastDocumentValue, splitDocuments } from './kube-yaml.js';
import { blockOffsetOf, offsetOf, positionTree, lastWalkWhole, wantedCovers, wantedPaths, type BlockPositions, type PositionNode, type Wanted } from './kube-yaml-positions.js';
import { blockPositions, printableUtf8, textRead, type BlockValue, type SkimKinds } from './kube-yaml-block.js';
import { jsonPositions } from './json-positions.js';
import { readFd, sharedBuffer } from './read-fd.js';
import { droppedLarge } from './memory-guard.js';
import { zlib } from './lazy-builtins.js';

/**
 * Read scalars as kubectl does (the fast path in kube-yaml.ts applies the same rules). Its YAML decoder follows YAML 1.1: `yes`/`on`/`y` are booleans and
 * `0644` is octal (420), where YAML 1.2 would give the string "yes" and the number 644. Scanning with
 * 1.2 rules would judge a different object than the API server receives. Timestamps stay strings,
 * as they do after kubectl's YAML-to-JSON conversion.
 */
export const KUBERNETES_YAML_OPTIONS = {
  version: '1.1' as const,
  // go-yaml v2 has no base-60 numbers (`10:30` stays a string): drop them with timestamps.
  customTags: (tags: Tags) => tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
};

export interface ParseLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Aliases resolved per document before it is rejected (alias-bomb guard). */
  maxAliasCount: number;
  /** Deepest nesting of collections accepted. */
  maxDepth: number;
  /** Kinds whose bodies (all but apiVersion, kind, metadata) are checked but not built: a scan's plan (EarlyRules.skimKinds; see SkimKinds). */
  skim?: SkimKinds | undefined;
}

export const DEFAULT_LIMITS: ParseLimits = {
  // The YAML parser needs roughly 35x the input size in memory for one huge scalar; 32 MiB keeps a
  // hostile file under about 1 GiB while leaving room for the largest real bundles (CRD installs).
  maxBytes: 32 * 1024 * 1024,
  maxAliasCount: 1000,
  maxDepth: 200,
};

export interface ParsedDocument {
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  value: JsonValue | undefined;
  /** Locates a JSON Pointer inside this document. */
  locate(pointer: string): Location;
  /** Locator.willLocate for this document (pointers from the document's root). */
  willLocate?(pointers: readonly string[]): void;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  errors: InputError[];
}

/**
 * A file the text was read from, so positions can read it again instead of keeping the text: its
 * path, size, what fstat said of it and, unless it is settled, checksums of its bytes (a file changed
 * since is not used). A UTF-8 file is read again per document: locating a finding then reads that
 * document's bytes, not the whole file. `bytes` is kept only until the file's documents are split
 * (SourceText.pack), to take the checksums.
 */
export interface SourceFile extends TextFacts {
  path: string;
  size: number;
  /** fstat of the open file when it was read; read back only while it says the same. */
  stamp?: FileStamp | undefined;
  /**
   * The stamp's times are more than RACY_MS older than the read: any later write gives the file a
   * later change time (ctime, which no call sets back), so the stamp alone tells a change and no
   * checksum is taken. Else (a file written just before it was read, whose next write could share
   * its timestamp, git's "racy" case) every document keeps its checksum, as a file with no stamp does.
   */
  settled?: boolean;
  /** Checksum of the whole file, for a text read again whole (UTF-16); set when its documents are split. */
  crc?: number | undefined;
  bytes?: Uint8Array | undefined;
}

/** What decoding a file found out about its text, so that the text is not scanned for it again. */
export interface TextFacts {
  /** No CR and no character the block reader declines as unprintable, anywhere in the text (see printableUtf8). */
  printable?: boolean;
  /** The text's size in UTF-8 (a UTF-8 file's size less its byte-order mark). */
  utf8Bytes?: number;
}

/** What identifies a file's contents without reading them: a rewrite moves ctime (and mtime), a replacement the inode. */
export type FileStamp = Pick<Stats, 'dev' | 'ino' | 'mtimeMs' | 'ctimeMs'>;

/**
 * How much older than the read a file's times must be for a later write to be sure to change them:
 * timestamps are as coarse as 2 s on some file systems (FAT), and file times lag the clock a little.
 */
export const RACY_MS = 3000;

/**
 * The SourceFile of bytes just read from `path`, with what decodeManifest found about their text
 * and, when given, the open file's fstat (`now`: when it was read).
 */
export function sourceFile(path: string, bytes: Uint8Array, facts: TextFacts = {}, st?: FileStamp, now = Date.now()): SourceFile {
  const stamp = st && { dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
  const settled = stamp !== undefined && Math.max(stamp.mtimeMs, stamp.ctimeMs) < now - RACY_MS;
  return { path, size: bytes.length, bytes, printable: facts.printable, utf8Bytes: facts.utf8Bytes, stamp, settled };
}

/**
 * Node returns a latin1 decode this long or longer as an external string: held outside the heap
 * and freed only by a full collection, so a run's peak memory grew by ~20 MB at 4x the corpus.
 * Such files go through the decoder (a heap string), as before.
 */
const LATIN1_HEAP_LIMIT = 0xfbee9;

/**
 * Bytes to text as Kubernetes' YAML decoder reads them: UTF-8 (an optional BOM is dropped), or
 * UTF-16 with a byte-order mark. Invalid UTF-8 is an error naming the line: decoding it leniently
 * would scan replacement characters where the cluster would refuse the file. UTF-8 text comes
 * with its facts (TextFacts); an ASCII file is copied byte for byte, without a decoder.
 */
export function decodeManifest(bytes: Uint8Array): ({ text: string } & TextFacts) | { error: string; line: number } {
  // Most manifests are ASCII: a one-byte copy, no decoder (ASCII holds no byte-order mark either).
  if (bytes.length < LATIN1_HEAP_LIMIT && isAscii(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'), printable: printableUtf8(bytes, true), utf8Bytes: bytes.length };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    // Valid UTF-8 decodes without loss: the text is the file's bytes less a byte-order mark.
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { text, printable: printableUtf8(bytes.subarray(bom), false), utf8Bytes: bytes.length - bom };
  } catch {
    // Find the first bad sequence by decoding growing prefixes line by line.
    let line = 1;
    let start = 0;
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(start, i));
        } catch {
          return { error: `not valid UTF-8 (line ${line}); not evaluated`, line };
        }
        line++;
        start = i + 1;
      }
    }
    return { error: 'not valid UTF-8; not evaluated', line: 1 };
  }
}

/** Binary junk check: NUL bytes or a high share of control characters. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

interface Structure {
  /** Deepest collection nesting (stops counting past the limit). */
  depth: number;
  /** First key that appears twice in one mapping, with its offset. */
  duplicate?: { key: string; offset: number };
}

/**
 * One iterative walk over the AST (hostile depth cannot overflow the stack): nesting depth and
 * duplicate mapping keys. Kubernetes' YAML decoder rejects duplicate keys, and tools disagree on
 * which copy wins, so a scan that picked one copy could pass what the cluster would see differently.
 * A Set per mapping keeps this linear (the parser's own uniqueKeys check is quadratic).
 */
function inspectStructure(node: unknown, limit: number): Structure {
  const out: Structure = { depth: 0 };
  const stack: [unknown, number][] = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > out.depth) out.depth = d;
    if (out.depth > limit) return out;
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const pair of n.items) {
        const k = pair.key;
        const key = isScalar(k) ? String(k.value) : k === null || k === undefined ? '' : undefined;
        if (key !== undefined && !out.duplicate) {
          if (seen.has(key)) out.duplicate = { key, offset: (k as Node | null)?.range?.[0] ?? 0 };
          seen.add(key);
        }
        stack.push([pair.value, d + 1]);
      }
    } else if (isSeq(n)) {
      for (const it of n.items as unknown[]) stack.push([it, d + 1]);
    }
  }
  return out;
}

/**
 * Parses a YAML (or JSON) stream into document values. Values come from the fast path (kube-yaml.ts)
 * per document; a document the fast path cannot vouch for (syntax errors, anchors and aliases,
 * duplicate keys, tags, deep nesting) is read by the position-aware parser, which words the error
 * exactly. No parse tree is kept: `locate` re-parses the one document it is asked about.
 */
export function parseYaml(text: string, file: string, limits: ParseLimits = DEFAULT_LIMITS, origin?: SourceFile): ParsedFile {
  const errors: InputError[] = [];
  const documents: ParsedDocument[] = [];
  // What decoding the file found: its size in UTF-8, and whether any control character is there to find.
  const printable = origin?.printable === true;
  if ((origin?.utf8Bytes ?? Buffer.byteLength(text, 'utf8')) > limits.maxBytes) {
    errors.push({ file, message: `file is larger than the ${Math.round(limits.maxBytes / 1048576)} MiB limit; not evaluated` });
    return { documents, errors };
  }
  if (!printable && looksBinary(text)) {
    errors.push({ file, line: 1, message: 'file looks binary (control characters), not YAML or JSON; not evaluated' });
    return { documents, errors };
  }
  // Directives and a byte-order mark change how the whole stream reads: no splitting then.
  const source = new SourceText(text, origin);
  const whole = () => {
    const r = parseStream(text, source, file, limits, { start: 0, end: text.length, line: 1 }, 0) ?? { documents: [], errors: [] };
    source.pack([]);
    textRead();
    return r;
  };
  if (text.charCodeAt(0) === 0xfeff || text.charCodeAt(0) === 0x25 || hasDirective(text)) return whole();
  const spans = splitDocuments(text);
  // A UTF-8 file with a few non-ASCII characters decodes to a two-byte text, and every string read
  // from a slice of it would be two-byte too: its ASCII documents are read from their own bytes.
  const bytes = origin?.bytes;
  const offsets = bytes && origin.utf8Bytes !== undefined && bytes.length !== text.length ? new ByteOffsets(bytes, text, bytes.length - origin.utf8Bytes) : undefined;
  const asciiBytes = bytes !== undefined && origin?.utf8Bytes === bytes.length && bytes.length === text.length;
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    // An ASCII file's offsets are its bytes' (ASCII holds no byte-order mark).
    const from = offsets ? offsets.at(span.start) : asciiBytes ? span.start : undefined;
    const to = offsets ? offsets.at(span.end) : asciiBytes ? span.end : undefined;
    if (span.content < 0) {
      documents.push({ index, line: span.line, value: null, locate: slowLocator(source, span, 0, file), willLocate: undefined });
      continue;
    }
    // As many bytes as characters: every one of them ASCII.
    const own = from !== undefined && to !== undefined && to - from === span.end - span.start && to - from < LATIN1_HEAP_LIMIT;
    const docText = span.end === text.length && span.start === 0 ? text : own ? Buffer.from(bytes!.buffer, bytes!.byteOffset + from, to - from).toString('latin1') : text.slice(span.start, span.end);
    const fast = fastDocumentValue(docText, limits.maxDepth - 2, printable, limits.skim);
    if (fast) {
      const line = span.line + countNewlines(text, span.start, span.content);
      const depth = limits.maxDepth - 2;
      // Where the content starts is known without a parse (unless properties come first).
      const top = '!&'.includes(text[span.content]!) ? undefined : { file, line, column: span.content - (text.lastIndexOf('\n', span.content - 1) + 1) + 1, path: '' };
      // Documents the block reader read may get a position pass limited to what findings point into.
      const blockRead = (fast as Partial<BlockValue>).blockRead === true;
      documents.push({ index, line, value: fast.value, locate: fastLocator(source, span, depth, file, top), willLocate: blockRead ? willLocate(span) : undefined });
      continue;
    }
    const slow = parseStream(text, source, file, limits, span, index);
    // A span the position-aware parser does not read as exactly one document: read the whole stream its way.
    if (!slow || slow.documents.length + slow.errors.length !== 1) return whole();
    documents.push(...slow.documents);
    errors.push(...slow.errors);
  }
  source.pack(spans.map((sp) => sp.end), offsets);
  textRead();
  return { documents, errors };
}

/** Bytes isAscii checks at a time while looking for non-ASCII characters (ByteOffsets). */
const ASCII_CHUNK = 1024;
/** Non-ASCII characters ByteOffsets lists at most (two numbers each); a text with more is measured instead. */
const MAX_LISTED = 65536;

/**
 * Byte offsets in a UTF-8 file of offsets into its text (`bom` bytes before it). Such a file mostly
 * holds a few non-ASCII characters, so only their lead bytes are found (chunks isAscii passes are
 * skipped whole), each with the bytes it takes beyond one per UTF-16 unit: an offset's byte offset is
 * the offset plus the extra bytes of the characters before it. (Measuring each stretch between
 * offsets with Buffer.byteLength walked the two-byte text character by character, ~1% of a scan of
 * the real-world corpus; a pattern over the text, or a loop over every word, ran in cold code and
 * cost more.) A text of many non-ASCII characters (CJK prose) is measured that way still, stretch by
 * stretch, so the list never grows past MAX_LISTED. The bytes are valid UTF-8 (decodeManifest), so
 * lead bytes tell each character's width.
 */
export class ByteOffsets {
  /** Text offsets of the non-ASCII characters (a surrogate pair's first half), in order; undefined when measured instead. */
  private wide: number[] | undefined = [];
  /** Extra bytes of the characters up to and including wide[i]. */
  private readonly extra: number[] = [];
  // Measuring (asked in increasing order, each stretch between two offsets asked is measured once).
  private char = 0;
  private byte: number;
  private readonly known = new Map<number, number>();

  constructor(
    bytes: Uint8Array,
    private readonly text: string,
    private readonly bom: number,
  ) {
    this.byte = bom;
    for (let a = bom; a < bytes.length && this.wide; a += ASCII_CHUNK) {
      const b = Math.min(a + ASCII_CHUNK, bytes.length);
      if (!isAscii(bytes.subarray(a, b))) for (let i = a; i < b; i++) this.lead(bytes[i]!, i);
      if (this.extra.length > MAX_LISTED) {
        this.wide = undefined;
        this.extra.length = 0;
      }
    }
  }

  /** Byte `b` at `i`: if it starts a non-ASCII character, that character's text offset and extra bytes. */
  private lead(b: number, i: number): void {
    if (b < 0xc0) return; // ASCII, or a continuation byte
    const before = this.extra.length > 0 ? this.extra[this.extra.length - 1]! : 0;
    this.wide!.push(i - this.bom - before);
    // Two bytes for one unit: one extra; three for one, or four for a pair's two: two extra.
    this.extra.push(before + (b < 0xe0 ? 1 : 2));
  }

  at(offset: number): number {
    const wide = this.wide;
    if (!wide) return this.measured(offset);
    const before = countBelow(wide, offset); // non-ASCII characters that start before `offset`
    return this.bom + offset + (before > 0 ? this.extra[before - 1]! : 0);
  }

  private measured(offset: number): number {
    const known = this.known.get(offset);
    if (known !== undefined) return known;
    if (offset < this.char) return this.bom + Buffer.byteLength(this.text.slice(0, offset), 'utf8');
    this.byte += Buffer.byteLength(this.text.slice(this.char, offset), 'utf8');
    this.char = offset;
    this.known.set(offset, this.byte);
    return this.byte;
  }
}

/** A `%` at the start of a line after the first (a directive). `%` is rare, so finding each is cheaper than a pattern over the text. */
function hasDirective(text: string): boolean {
  for (let i = text.indexOf('%', 1); i >= 0; i = text.indexOf('%', i + 1)) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** Where one document's text lies in its file: offsets and the 1-based line of `start`. */
interface TextSpan {
  start: number;
  end: number;
  line: number;
}

const POSITION_OPTIONS = { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false, prettyErrors: false } as const;

/**
 * The position-aware parser over a span of the text (documents numbered from `firstIndex`). Every
 * error and position is shifted to file lines (a span starts at column 0, so columns hold).
 * `undefined` when the parser itself failed.
 */
function parseStream(text: string, source: SourceText, file: string, limits: ParseLimits, span: TextSpan, firstIndex: number): ParsedFile | undefined {
  const errors: InputError[] = [];
  const documents: ParsedDocument[] = [];
  const lineCounter = new LineCounter();
  const shift = span.line - 1;
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + shift, col: p.col };
  };
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(span.start === 0 && span.end === text.length ? text : text.slice(span.start, span.end), { ...POSITION_OPTIONS, lineCounter }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  } catch (e) {
    errors.push({ file, message: `YAML parser failed: ${describe(e)}` });
    return firstIndex === 0 && span.start === 0 ? { documents, errors } : undefined;
  }
  docs.forEach((doc, i) => {
    const index = firstIndex + i;
    // Where the document's content starts (after any `---` marker and leading comments).
    const startOffset = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const pos = at(startOffset);
    if (doc.errors.length > 0) {
      // One error per document: later ones are usually cascades of the first.
      const err = doc.errors[0]!;
      const p = err.linePos?.[0] ? { line: err.linePos[0].line + shift, col: err.linePos[0].col } : at(err.pos[0]);
      const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more parse errors in this document)` : '';
      errors.push({ file, line: p.line, column: p.col, message: yamlErrorMessage(err.message) + more });
      return;
    }
    const structure = inspectStructure(doc.contents, limits.maxDepth);
    if (structure.depth > limits.maxDepth) {
      errors.push({ file, line: pos.line, message: `document nests deeper than ${limits.maxDepth} levels; not evaluated` });
      return;
    }
    if (structure.duplicate) {
      const p = at(structure.duplicate.offset);
      const key = structure.duplicate.key.length > 60 ? structure.duplicate.key.slice(0, 60) + '…' : structure.duplicate.key;
      errors.push({ file, line: p.line, column: p.col, message: `duplicate key "${key}" in a mapping (Kubernetes rejects it, and tools disagree on which copy wins); document not evaluated` });
      return;
    }
    let value: JsonValue | undefined;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount }) as JsonValue | undefined;
    } catch (e) {
      errors.push({ file, line: pos.line, message: `document could not be read: ${firstLine(describe(e))}` });
      return;
    }
    documents.push({ index, line: pos.line, value, locate: slowLocator(source, span, i, file), willLocate: undefined });
  });
  return { documents, errors };
}

/** Position data of one document: its text, the trees made from it on demand, and what they hold. */
interface Located {
  docText: string;
  /** The block reader's positions, else js-yaml's tree (null: neither reads the document). */
  block?: BlockPositions;
  /** `block` records only these paths (a limited pass); a pointer off them gets the full pass. */
  wanted?: Wanted;
  tree?: PositionNode | null;
  lineStarts?: number[];
  docs?: Document.Parsed[];
  lineCounter?: LineCounter;
  /** Estimated heap bytes of all the above (see LOCATED_COST). */
  bytes: number;
}

/**
 * Position data of the documents asked about last, bounded by an estimate of the heap it holds.
 * The engine locates findings document by document, but cross-object analyses (attack paths) ask
 * for positions across the whole input: a small cache keeps those from re-reading a document per
 * question. Counting text alone let the trees made from it hold 4-7x the budget.
 */
const LOCATED_BUDGET = 4 * 1024 * 1024;
/**
 * Heap bytes per unit, measured on the real-world corpus (heap after a full GC, all documents held):
 * text ~1.1 per character (one-byte strings), block reader positions ~49 per node (flat arrays,
 * bench/locate.mjs), js-yaml listener tree ~214 per node (it keeps scalar values), `yaml`
 * Documents ~8.3 per character of their text, line starts 8 per line.
 */
const LOCATED_COST = { char: 1, blockNode: 50, jsNode: 210, yamlChar: 9, line: 8 } as const;
const located = new Map<TextSpan, Located>();
let locatedBytes = 0;
// Locators are made here, not inline, so that their closures hold only what they name (a closure
// inside parseYaml would keep the whole text, and inside parseStream the parse tree, alive).
function fastLocator(source: SourceText, span: TextSpan, maxDepth: number, file: string, top: Location | undefined): (pointer: string) => Location {
  return (pointer) => (pointer === '' && top ? { ...top } : locateFast(source, span, maxDepth, file, pointer));
}

/**
 * The pointers the engine will locate next in one block-read document (Locator.willLocate): its
 * position pass, when it is made, records only their paths (sibling subtrees no finding points into
 * are passed over by indentation). Any other pointer asked later gets the full pass.
 */
let upcoming: { span: TextSpan; pointers: readonly string[] } | undefined;

function willLocate(span: TextSpan): (pointers: readonly string[]) => void {
  return (pointers) => {
    upcoming = { span, pointers };
  };
}

function slowLocator(source: SourceText, span: TextSpan, docInSpan: number, file: string): (pointer: string) => Location {
  return (pointer) => locateIn(source, span, docInSpan, file, pointer);
}

/** Drops the cached position data (the engine calls it once a world's findings are located). */
export function releasePositions(): void {
  located.clear();
  locatedBytes = 0;
  newest = undefined;
  upcoming = undefined;
  SourceText.release();
}

/** The entry used last (the last in `located`): a document's findings ask one after another. */
let newest: { span: TextSpan; c: Located } | undefined;

function cachedFor(source: SourceText, span: TextSpan): Located | undefined {
  if (newest?.span === span) return newest.c;
  let c = located.get(span);
  if (c) {
    newest = { span, c };
    // Most recently used last.
    located.delete(span);
    located.set(span, c);
    return c;
  }
  const docText = source.slice(span.start, span.end);
  if (docText === undefined) return undefined;
  // Every field from the start (filled as the document is located): one shape for all entries, so
  // locateFast's reads of them do not go polymorphic as entries gain fields in different orders.
  c = { docText, block: undefined, wanted: undefined, tree: undefined, lineStarts: undefined, docs: undefined, lineCounter: undefined, bytes: 0 };
  located.set(span, c);
  newest = { span, c };
  charge(span, c, docText.length * LOCATED_COST.char);
  return c;
}

/** Counts `bytes` more held for `span`'s entry, then drops the entries used longest ago to stay within the budget (never `span`'s). */
function charge(span: TextSpan, c: Located, bytes: number): void {
  c.bytes += bytes;
  locatedBytes += bytes;
  if (locatedBytes <= LOCATED_BUDGET) return;
  for (const [k, v] of located) {
    if (locatedBytes <= LOCATED_BUDGET || k === span) break;
    located.delete(k);
    locatedBytes -= v.bytes;
    // Building the entry left ~2x its estimate as garbage too (heap growth measured on a dump of 10 MB documents).
    if (v.bytes >= LARGE_TRANSIENT) droppedLarge(3 * v.bytes);
  }
}

/**
 * A file's text or a document's position data this large (estimated heap bytes) is counted when
 * dropped (memory-guard's droppedLarge). Smaller ones V8 collects in time by itself: at 1 MB the
 * real-world corpus at 4x (files up to 3.8 MB) took two forced collections, +1.3% CPU, for nothing.
 */
export const LARGE_TRANSIENT = 4 * 1024 * 1024;

function nodeCount(n: PositionNode): number {
  let count = 1;
  for (const child of n.children) count += nodeCount(child);
  return count;
}

/** A copy of a string that shares no memory with it (a slice would keep its whole parent alive). */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

interface PackedChunk {
  start: number;
  end: number;
  bytes: Buffer;
}

/**
 * A file's text once its documents are read: positions need it only for the documents with
 * findings, and the values no longer point into it. A file read from disk is read again when asked
 * (checked against its size and checksum); other text (stdin, rendered charts) is kept deflated in
 * chunks of whole documents, so locating one document inflates its chunk, not the file. The texts
 * read or inflated last stay (up to a budget), as cross-object analyses ask across many documents.
 */
class SourceText {
  private static cache = new Map<object, string>();
  private static cachedChars = 0;
  private static readonly CACHE_BUDGET = 4 * 1024 * 1024;
  /** Text below this size per chunk is joined with the next document's (deflate needs some context). */
  private static readonly CHUNK = 32 * 1024;
  private raw: string | undefined;
  private chunks: PackedChunk[] = [];
  /** For an ASCII file read from disk: where its documents lie and their checksums. */
  private pieces: CheckedPieces | undefined;

  constructor(
    text: string,
    private readonly origin?: SourceFile,
  ) {
    this.raw = text;
  }

  /** Drops the text (deflating it in chunks that end only at `cuts`, document ends, unless it can be read again). Small texts stay as they are. */
  pack(cuts: readonly number[], offsets?: ByteOffsets): void {
    const raw = this.raw;
    const bytes = this.origin?.bytes;
    if (this.origin) this.origin.bytes = undefined;
    if (raw === undefined || raw.length < 1024) return;
    this.raw = undefined;
    if (this.origin) {
      // A checksum per piece between cuts, so one document is read again, not the file.
      if (bytes) {
        const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
        const sums = this.origin.settled !== true;
        if (utf16) this.origin.crc = sums ? zlib().crc32(bytes) : undefined;
        else this.pieces = checkedPieces(bytes, raw, cuts, this.origin.utf8Bytes, offsets, sums);
      }
      return;
    }
    let start = 0;
    for (const cut of [...cuts, raw.length]) {
      if (cut - start < SourceText.CHUNK && cut < raw.length) continue;
      if (cut <= start) continue;
      this.chunks.push({ start, end: cut, bytes: zlib().deflateRawSync(raw.slice(start, cut), { level: 1 }) });
      start = cut;
    }
  }

  /** The text in [start, end), sharing no memory with the file's text; undefined when the file changed since it was read. */
  slice(start: number, end: number): string | undefined {
    if (this.raw !== undefined) return start === 0 && end === this.raw.length ? this.raw : detached(this.raw.slice(start, end));
    const piece = this.pieces?.covering(start, end);
    if (this.origin && piece) {
      const text = SourceText.cached(piece, () => readPiece(this.origin!, piece, this.pieces!.ascii));
      if (text === undefined) return undefined;
      return start === piece.start && end === piece.end ? text : detached(text.slice(start - piece.start, end - piece.start));
    }
    if (this.origin) {
      const text = SourceText.cached(this, () => readAgain(this.origin!, this.pieces));
      if (text === undefined) return undefined;
      return start === 0 && end === text.length ? text : detached(text.slice(start, end));
    }
    const parts: string[] = [];
    for (const ch of this.chunks) {
      if (ch.end <= start || ch.start >= end) continue;
      const text = SourceText.cached(ch, () => zlib().inflateRawSync(ch.bytes).toString('utf8'))!;
      parts.push(ch.start >= start && ch.end <= end ? text : text.slice(Math.max(start, ch.start) - ch.start, Math.min(end, ch.end) - ch.start));
    }
    return parts.length === 1 && parts[0]!.length === end - start && this.chunks.some((c) => c.start === start && c.end === end) ? parts[0]! : detached(parts.join(''));
  }

  private static cached(key: object, make: () => string | undefined): string | undefined {
    const cache = SourceText.cache;
    let text = cache.get(key);
    if (text !== undefined) {
      cache.delete(key);
      cache.set(key, text);
      return text;
    }
    text = make();
    if (text === undefined) return undefined;
    cache.set(key, text);
    SourceText.cachedChars += text.length;
    for (const [k, v] of cache) {
      if (SourceText.cachedChars <= SourceText.CACHE_BUDGET || k === key) break;
      cache.delete(k);
      SourceText.cachedChars -= v.length;
    }
    return text;
  }

  static release(): void {
    SourceText.cache.clear();
    SourceText.cachedChars = 0;
  }
}

/**
 * `size` bytes from `from` of the file read before, or undefined when it is gone, no longer a
 * regular file or not of the size it had (non-blocking open: the path may have been swapped).
 */
function readBack(origin: SourceFile, from: number, size: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(origin.path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== origin.size) return undefined;
    const was = origin.stamp;
    if (was && (st.ctimeMs !== was.ctimeMs || st.mtimeMs !== was.mtimeMs || st.ino !== was.ino || st.dev !== was.dev)) return undefined;
    // Through the buffer files are read into (checked and decoded at once, never kept; no file is read while findings are located).
    const bytes = readFd(fd, size, from, sharedBuffer(size));
    return bytes.length === size ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file's text read again, or undefined when it is no longer the file that was read (or not a file). */
function readAgain(origin: SourceFile, pieces: CheckedPieces | undefined): string | undefined {
  const bytes = readBack(origin, 0, origin.size);
  if (!bytes || !(pieces ? pieces.match(bytes) : origin.settled === true || zlib().crc32(bytes) === origin.crc)) return undefined;
  const decoded = decodeManifest(bytes);
  return 'text' in decoded ? decoded.text : undefined;
}

/** A range of a UTF-8 file's text between cuts (document ends): where it lies in the text and in the bytes, and its checksum. */
interface Piece {
  start: number;
  end: number;
  byteStart: number;
  byteEnd: number;
  /** Undefined for a settled file (SourceFile.settled: its stamp tells a change). */
  crc: number | undefined;
}

/** A file's pieces, in order, covering it. */
class CheckedPieces {
  constructor(
    private readonly pieces: readonly Piece[],
    /** Every character one byte (no decoding needed when read again). */
    readonly ascii: boolean,
  ) {}

  /** Whether `bytes` (the whole file) hold every piece as it was read. */
  match(bytes: Uint8Array): boolean {
    return this.pieces.every((p) => p.crc === undefined || zlib().crc32(bytes.subarray(p.byteStart, p.byteEnd)) === p.crc);
  }

  /** The one piece holding [start, end) of the text, or undefined when the range crosses pieces (then the whole file is read and checked). */
  covering(start: number, end: number): Piece | undefined {
    const ps = this.pieces;
    let lo = 0;
    let hi = ps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ps[mid]!.start <= start) lo = mid;
      else hi = mid - 1;
    }
    const p = ps[lo];
    return p && start >= p.start && end <= p.end ? p : undefined;
  }
}

/** Pieces of `text`, read from UTF-8 `bytes` (an optional byte-order mark dropped), between `cuts`. */
function checkedPieces(bytes: Uint8Array, text: string, cuts: readonly number[], utf8Bytes = Buffer.byteLength(text, 'utf8'), offsets: ByteOffsets | undefined, sums: boolean): CheckedPieces {
  // Equal lengths only when every character is ASCII: text offsets are then byte offsets.
  const ascii = bytes.length === text.length;
  const pieces: Piece[] = [];
  let start = 0;
  let byteStart = bytes.length - utf8Bytes; // 3 after a byte-order mark, else 0
  const at = ascii ? undefined : (offsets ?? new ByteOffsets(bytes, text, byteStart));
  for (const cut of [...cuts, text.length]) {
    if (cut <= start || cut > text.length) continue;
    const byteEnd = at ? at.at(cut) : cut;
    pieces.push({ start, end: cut, byteStart, byteEnd, crc: sums ? zlib().crc32(bytes.subarray(byteStart, byteEnd)) : undefined });
    start = cut;
    byteStart = byteEnd;
  }
  return new CheckedPieces(pieces, ascii);
}

/** Strict UTF-8 for pieces read back (one decoder: a call without `stream` keeps no state between calls). */
const PIECE_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One piece of a file read again, or undefined when those bytes are no longer the ones read (or the file is gone or resized). */
function readPiece(origin: SourceFile, piece: Piece, ascii: boolean): string | undefined {
  const bytes = readBack(origin, piece.byteStart, piece.byteEnd - piece.byteStart);
  if (!bytes || (piece.crc !== undefined && zlib().crc32(bytes) !== piece.crc)) return undefined;
  try {
    const text = ascii ? bytes.toString('latin1') : PIECE_DECODER.decode(bytes);
    return text.length === piece.end - piece.start ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Where a document starts, for a finding whose file changed after it was read (no finer position is known). */
function documentStart(span: TextSpan, file: string, pointer: string): Location {
  return { file, line: span.line, column: 1, path: pointer };
}

/** Fast-path documents: offsets from the block reader's or js-yaml's node tree, else from the position-aware parser. */
function locateFast(source: SourceText, span: TextSpan, maxDepth: number, file: string, pointer: string): Location {
  const c = cachedFor(source, span);
  if (!c) return documentStart(span, file, pointer);
  // The JSON or block reader's own pass where it reads the document (~3x cheaper), else js-yaml's listener.
  if (c.block === undefined && c.tree === undefined) {
    const wanted = upcoming?.span === span ? wantedPaths(upcoming.pointers) : undefined;
    if (wanted !== undefined && (c.block = blockPositions(c.docText, maxDepth, wanted)) !== undefined) c.wanted = wanted;
    else c.block = jsonPositions(c.docText, maxDepth) ?? blockPositions(c.docText, maxDepth);
    if (c.block) charge(span, c, c.block.open.length * LOCATED_COST.blockNode);
    else {
      c.tree = positionTree(c.docText, maxDepth) ?? null;
      if (c.tree) charge(span, c, nodeCount(c.tree) * LOCATED_COST.jsNode);
    }
  }
  const offset = c.block ? blockOffsetOf(c.docText, c.block, pointer) : c.tree ? offsetOf(c.docText, c.tree, pointer) : undefined;
  // A limited pass answers as the full one wherever the walk found every segment, or the pointer is
  // on the recorded paths (what it did not find is then missing); elsewhere the full pass replaces it.
  if (c.wanted !== undefined && !lastWalkWhole() && !wantedCovers(c.wanted, pointer)) {
    const bytes = c.block!.open.length * LOCATED_COST.blockNode;
    c.bytes -= bytes;
    locatedBytes -= bytes;
    c.wanted = undefined;
    c.block = undefined;
    upcoming = undefined;
    return locateFast(source, span, maxDepth, file, pointer);
  }
  if (offset === undefined) return locateIn(source, span, 0, file, pointer);
  if (!c.lineStarts) {
    c.lineStarts = lineStarts(c.docText);
    charge(span, c, c.lineStarts.length * LOCATED_COST.line);
  }
  const starts = c.lineStarts;
  const lo = Math.max(0, countBelow(starts, offset + 1) - 1); // the last line starting at or before `offset`
  return { file, line: span.line + lo, column: offset - starts[lo]! + 1, path: pointer };
}

/** How many entries of the increasing `sorted` are below `x` (binary search). */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function locateIn(source: SourceText, span: TextSpan, docInSpan: number, file: string, pointer: string): Location {
  const c = cachedFor(source, span);
  if (!c) return documentStart(span, file, pointer);
  if (!c.docs) {
    const lineCounter = new LineCounter();
    try {
      const docs = parseAllDocuments(c.docText, { ...POSITION_OPTIONS, lineCounter }) as Document.Parsed[];
      c.docs = Array.isArray(docs) ? docs : [];
    } catch {
      c.docs = [];
    }
    c.lineCounter = lineCounter;
    charge(span, c, c.docText.length * LOCATED_COST.yamlChar);
  }
  const doc = c.docs[docInSpan];
  if (!doc) return { file, line: span.line, column: 1, path: pointer };
  const loc = locateInDocument(doc, c.lineCounter!, file, pointer);
  loc.line += span.line - 1;
  return loc;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}


function describe(e: unknown): string {
  if (e instanceof RangeError) return 'input too deeply nested or too large';
  return e instanceof Error ? e.message : String(e);
}

/** The parser reports its own stack overflow on hostile nesting as a YAML error; say what it means. */
function yamlErrorMessage(message: string): string {
  if (/Maximum call stack size exceeded/i.test(message)) return 'document nests too deeply to parse; not evaluated';
  return `invalid YAML: ${firstLine(message)}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/**
 * Walks the YAML AST along a JSON Pointer. Points at the key of the last map entry found (so the
 * editor lands on `privileged:`), or at the sequence item; stops at the deepest existing node.
 */
export function locateInDocument(doc: Document, lc: LineCounter, file: string, pointer: string): Location {
  let offset = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  let node: unknown = doc.contents;
  for (const seg of parsePointer(pointer)) {
    while (isAlias(node)) node = (node as { resolve(d: Document): Node | undefined }).resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) ? String(p.key.value) === seg : String(p.key) === seg);
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node)) {
      const i = Number(seg);
      const item = Number.isInteger(i) ? (node.items[i] as Node | undefined) : undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  const p = lc.linePos(offset);
  return { file, line: p.line, column: p.col, path: pointer };
}
