// Source offsets of a document's keys and items, from one js-yaml pass with a node listener: the
// cheap way to locate findings (the position-aware parser costs ~9x more per document).
import { load } from 'js-yaml';
import { parsePointer } from '../model/json.js';
import { KUBERNETES_SCHEMA } from './kube-yaml.js';

/** One node as the loader composed it: where its composition began, and its children in order. */
export interface PositionNode {
  open: number;
  kind: string | null;
  /** Scalar value (for keys). */
  value?: unknown;
  children: PositionNode[];
}

/** What a node's value is, in BlockPositions. */
export const SCALAR = 0;
export const MAPPING = 1;
export const SEQUENCE = 2;
/** An item a limited pass recorded without reading it (its index counts; where it starts is not vouched for). */
export const SKIPPED = 3;

/**
 * A block-style document's nodes in reading order (pre-order), from the block reader's position
 * pass: a few numbers per node in flat arrays instead of an object and a children array each (the
 * documents of a large scan's findings are read again, and these are what their positions cost).
 * Node 0 is the document's value; a node's children follow it up to `end`.
 */
export interface BlockPositions {
  /** Where the node starts: a mapping entry at its key, an item where the text after its dash starts (blanks and comments skipped when used), the document at its first content. */
  open: number[];
  /** A mapping entry's key; null for items and the document. */
  key: (string | null)[];
  /** Index just past the node's subtree (its next sibling's). */
  end: number[];
  /** What the node's value is (SCALAR, MAPPING, SEQUENCE): entries and items hold their values' children. */
  kind: number[];
}

/** Whether the last blockOffsetOf found every segment of its pointer (then a limited pass's answer is the full pass's). */
let walkedWhole = false;
export function lastWalkWhole(): boolean {
  return walkedWhole;
}

/**
 * `offsetOf` over the block reader's positions: the same convention (key of the last map entry,
 * else the sequence item; the deepest existing node). Segments are read off the pointer in place.
 */
export function blockOffsetOf(text: string, at: BlockPositions, pointer: string): number | undefined {
  if (pointer !== '' && pointer.charCodeAt(0) !== 0x2f) parsePointer(pointer); // throws, as offsetOf does
  walkedWhole = false;
  let node = 0;
  let offset = skipBlank(text, at.open[0]!);
  for (let from = 1; from <= pointer.length; ) {
    let to = pointer.indexOf('/', from);
    if (to < 0) to = pointer.length;
    let seg = pointer.slice(from, to);
    if (seg.includes('~')) seg = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    from = to + 1;
    const kind = at.kind[node];
    const end = at.end[node]!;
    let child = node + 1;
    if (kind === MAPPING) {
      while (child < end && at.key[child] !== seg) child = at.end[child]!;
    } else if (kind === SEQUENCE) {
      const i = Number(seg);
      if (!Number.isInteger(i) || i < 0) break;
      for (let k = 0; k < i && child < end; k++) child = at.end[child]!;
    } else break;
    if (child >= end) break;
    offset = skipBlank(text, at.open[child]!);
    node = child;
    if (from > pointer.length && at.kind[child] !== SKIPPED) walkedWhole = true;
  }
  if (pointer === '') walkedWhole = true;
  const c = text[offset];
  // Properties (tags, anchors) before a node: the slow parser decides where the node starts.
  if (c === '!' || c === '&') return undefined;
  return offset;
}

/** A line holding a sequence item with nothing in it (`-`, `- - `, `- # note`). */
const EMPTY_ITEM = /^[ \t]*(?:-[ \t]+)*-[ \t]*(?:#.*)?\r?$/m;

/**
 * The node tree of one document, or undefined when the loader rejects it, or when the text may hold
 * an empty sequence item: the loader composes no node for it, so the items after it would take its
 * place (the position-aware parser decides then).
 */
export function positionTree(text: string, maxDepth: number): PositionNode | undefined {
  if (EMPTY_ITEM.test(text)) return undefined;
  const root: PositionNode = { open: 0, kind: null, children: [] };
  const stack: PositionNode[] = [root];
  const listener = (event: string, state: { position: number; kind: string | null; result: unknown }) => {
    if (event === 'open') {
      const n: PositionNode = { open: state.position, kind: null, children: [] };
      stack[stack.length - 1]!.children.push(n);
      stack.push(n);
    } else {
      const n = stack.pop()!;
      n.kind = state.kind;
      if (state.kind === 'scalar') n.value = state.result;
    }
  };
  try {
    load(text, { schema: KUBERNETES_SCHEMA, listener, maxDepth } as Parameters<typeof load>[1]);
  } catch {
    return undefined;
  }
  return root.children[0];
}

/** First offset at or after `from` that is not blank or a comment (where a node's content starts). */
function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return text.length;
      i = nl + 1;
    } else return i;
  }
}

/**
 * A node the loader composed twice (first as a possible block-mapping key, at the same place) is
 * one node. A real collection's only child never starts where the collection does (`-`, `[`, `{`
 * come first), and a real mapping has an even number of children.
 */
function unwrap(text: string, n: PositionNode): PositionNode {
  while (n.children.length === 1 && n.children[0]!.kind === n.kind && (n.kind !== 'sequence' || skipBlank(text, n.open) === skipBlank(text, n.children[0]!.open))) n = n.children[0]!;
  return n;
}

/**
 * Offset of the value (or its key) at `pointer`, or of the deepest existing ancestor, following the
 * position-aware parser's convention (key of the last map entry, else the sequence item); undefined
 * when the tree has a shape this walk does not vouch for (then the caller uses the slow parser).
 */
export function offsetOf(text: string, tree: PositionNode, pointer: string): number | undefined {
  let node = unwrap(text, tree);
  let offset = skipBlank(text, node.open);
  for (const seg of parsePointer(pointer)) {
    if (node.kind === 'mapping') {
      if (node.children.length % 2 !== 0) return undefined;
      let found = -1;
      for (let i = 0; i < node.children.length; i += 2) {
        const k = unwrap(text, node.children[i]!);
        if (k.kind !== 'scalar') return undefined;
        if (String(k.value) === seg) {
          found = i;
          break;
        }
      }
      if (found < 0) break;
      offset = skipBlank(text, node.children[found]!.open);
      node = unwrap(text, node.children[found + 1]!);
    } else if (node.kind === 'sequence') {
      const i = Number(seg);
      const item = Number.isInteger(i) && i >= 0 ? node.children[i] : undefined;
      if (!item) break;
      offset = skipBlank(text, item.open);
      node = unwrap(text, item);
    } else break;
  }
  const c = text[offset];
  // Properties (tags, anchors) before a node: the slow parser decides where the node starts.
  if (c === '!' || c === '&') return undefined;
  return offset;
}

/**
 * The paths a document's findings point along, segment by segment: what a limited position pass
 * (blockPositions with `wanted`) records. A leaf (size 0) is a node whose own position is wanted but
 * none below it. Children in small arrays searched in order: a node has a few (a Map per node cost
 * more to build than the lookups it saves).
 */
export class Wanted {
  private readonly segs: string[] = [];
  private readonly kids: Wanted[] = [];

  get size(): number {
    return this.segs.length;
  }

  get(seg: string): Wanted | undefined {
    const segs = this.segs;
    for (let i = 0; i < segs.length; i++) if (segs[i] === seg) return this.kids[i];
    return undefined;
  }

  /** The child for `seg`, added if absent. */
  child(seg: string): Wanted {
    let kid = this.get(seg);
    if (kid === undefined) {
      kid = new Wanted();
      this.segs.push(seg);
      this.kids.push(kid);
    }
    return kid;
  }
}

/** Nothing wanted below a node: what is under it is passed over. */
export const NOTHING_WANTED = new Wanted();

/**
 * The paths of `pointers`, or undefined when one of them is not read the way blockOffsetOf reads
 * it in place (not a pointer, or a segment that names a sequence item without being its index
 * written plainly, such as `01` or an empty segment): those get the full pass.
 */
export function wantedPaths(pointers: readonly string[]): Wanted | undefined {
  const root = new Wanted();
  for (let n = 0; n < pointers.length; n++) {
    const pointer = pointers[n]!;
    // Findings of one object come rule by rule: the same pointer often follows itself.
    if (pointer === '' || (n > 0 && pointer === pointers[n - 1])) continue;
    if (pointer.charCodeAt(0) !== 0x2f) return undefined;
    let node = root;
    for (let from = 1; from <= pointer.length; ) {
      let to = pointer.indexOf('/', from);
      if (to < 0) to = pointer.length;
      let seg = pointer.slice(from, to);
      const c = seg.charCodeAt(0);
      // Number() reads no segment that starts with a letter as an integer.
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) && oddIndex(seg)) return undefined;
      if (seg.includes('~')) seg = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      node = node.child(seg);
      from = to + 1;
    }
  }
  return root;
}

/** A segment blockOffsetOf takes for a sequence index that is not the index written plainly. */
function oddIndex(seg: string): boolean {
  const i = Number(seg);
  return Number.isInteger(i) && String(i) !== seg;
}

/** Whether every segment of `pointer` is on a path of `wanted` (then a limited pass locates it as the full one does). */
export function wantedCovers(wanted: Wanted, pointer: string): boolean {
  if (pointer === '') return true;
  if (pointer.charCodeAt(0) !== 0x2f) return false;
  const segs = pointer.split('/');
  let node: Wanted | undefined = wanted;
  for (let k = 1; k < segs.length && node !== undefined; k++) {
    const seg = segs[k]!;
    node = node.get(seg.includes('~') ? seg.replace(/~1/g, '/').replace(/~0/g, '~') : seg);
  }
  return node !== undefined;
}
