// Positions of a document written as JSON (a `kubectl get -o json` dump, a `.json` manifest): one
// linear scan of its text into the block reader's flat arrays (BlockPositions), no values built.
// js-yaml's listener over the same text kept a node object per key and value (the dump's 11 MB
// documents cost ~1.3 s and most of the scan's peak memory); this keeps four numbers-or-keys a node.
import { MAPPING, SCALAR, SEQUENCE, type BlockPositions } from './kube-yaml-positions.js';

/**
 * Key and item offsets of a strict-JSON document, read by `blockOffsetOf`; undefined for anything
 * else (YAML syntax, comments, tabs, a line break between a key and its colon, nesting at
 * `maxDepth`, text after the value), which is then left to the YAML position passes as before.
 * Duplicate keys are not looked for: documents that have them never reach the fast locator.
 */
export function jsonPositions(text: string, maxDepth: number): BlockPositions | undefined {
  let i = text.startsWith('---') ? 3 : 0;
  i = skipSpace(text, i);
  const first = text.charCodeAt(i);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  // Tabs are white space to JSON, not always to YAML: those documents keep the YAML passes.
  if (text.includes('\t', i)) return undefined;
  const at: BlockPositions = { open: [i], key: [null], end: [0], kind: [SCALAR] };
  // Open collections: their node index; kinds are read off `at.kind`.
  const stack: number[] = [];
  // `i` is at a value (the node `node` was pushed for it).
  let node = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= maxDepth - 2) return undefined;
      at.kind[node] = c === 0x7b ? MAPPING : SEQUENCE;
      stack.push(node);
      i = skipSpace(text, i + 1);
      const close = text.charCodeAt(i);
      if (close === (c === 0x7b ? 0x7d : 0x5d)) {
        i++;
        stack.pop();
        at.end[node] = at.open.length;
      } else {
        const next = member(text, i, c === 0x7b, at);
        if (next < 0) return undefined;
        i = next;
        node = at.open.length - 1;
        continue;
      }
    } else {
      const past = c === 0x22 ? stringEnd(text, i) : scalarEnd(text, i);
      if (past < 0) return undefined;
      at.end[node] = at.open.length;
      i = past;
    }
    // A value ended: close collections until one takes another member.
    for (;;) {
      if (stack.length === 0) return skipSpace(text, i) === text.length ? at : undefined;
      const parent = stack[stack.length - 1]!;
      const isMap = at.kind[parent] === MAPPING;
      i = skipSpace(text, i);
      const c2 = text.charCodeAt(i);
      if (c2 === 0x2c) {
        const next = member(text, skipSpace(text, i + 1), isMap, at);
        if (next < 0) return undefined;
        i = next;
        node = at.open.length - 1;
        break;
      }
      if (c2 !== (isMap ? 0x7d : 0x5d)) return undefined;
      i++;
      stack.pop();
      at.end[parent] = at.open.length;
    }
  }
}

/**
 * Pushes the node of one member starting at `i` (a key and its colon in a mapping) and returns
 * where its value starts, or -1 when the text is not JSON there.
 */
function member(text: string, i: number, inMap: boolean, at: BlockPositions): number {
  if (!inMap) {
    at.open.push(i);
    at.key.push(null);
    at.end.push(0);
    at.kind.push(SCALAR);
    return i;
  }
  if (text.charCodeAt(i) !== 0x22) return -1;
  const past = stringEnd(text, i);
  if (past < 0) return -1;
  let key = text.slice(i + 1, past - 1);
  if (key.includes('\\')) key = JSON.parse(text.slice(i, past)) as string;
  // The colon on the key's line (a colon after a line break is refused by js-yaml).
  let j = past;
  while (text.charCodeAt(j) === 0x20) j++;
  if (text.charCodeAt(j) !== 0x3a) return -1;
  at.open.push(i);
  at.key.push(key);
  at.end.push(0);
  at.kind.push(SCALAR);
  return skipSpace(text, j + 1);
}

/** Index past the closing quote of the string opening at `i`, or -1 (unterminated, or a raw line break or control character in it). */
function stringEnd(text: string, i: number): number {
  let q = i;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) break;
  }
  for (let k = i + 1; k < q; k++) if (text.charCodeAt(k) < 0x20) return -1;
  return q + 1;
}

/** Index past a number, `true`, `false` or `null` starting at `i`, or -1. */
function scalarEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    // Digits, letters, sign, point: checked as a whole below.
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45) j++;
    else break;
  }
  const word = text.slice(i, j);
  if (word === 'true' || word === 'false' || word === 'null' || JSON_NUMBER.test(word)) return j;
  return -1;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d) i++;
    else return i;
  }
}
