// The stable JSON shape (CONTRACT.md), plus `groups`: findings that share one cause and one place to
// fix, by index into `findings`, and `summary.groups`, the headline count a user works through.
import type { Reporter } from './types.js';
import type { ScanReport } from '../engine/finding.js';
import { groupFindings } from '../engine/groups.js';

function shape(report: ScanReport): Record<string, unknown> {
  const groups = groupFindings(report.findings);
  // Passes (recorded for PolicyReports) are not part of the JSON shape.
  const { tool, summary, findings, passes: _passes, ...rest } = report;
  return { tool, summary: { ...summary, groups: groups.filter((g) => !g.suppressed).length }, findings, groups, ...rest };
}

/** Array items serialised per piece: small pieces (a report's size never nears V8's string cap), few calls. */
const ITEMS_PER_PIECE = 32;

/**
 * Exactly `JSON.stringify(value, null, 2) + '\n'` for an object, written value by value: every
 * top-level field, and the elements of its long arrays a few at a time, so no single string holds a
 * huge report (V8 caps one string at 512 MB). `emit` gathers the pieces into large writes. A
 * generator field is written as the array of what it yields, consumed as it is written.
 */
export function* jsonPieces(value: Record<string, unknown>): Generator<string> {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  // Wrapped in one or two arrays, JSON.stringify indents the value as deep as it sits in the report.
  const atDepth1 = (v: unknown) => JSON.stringify([v], null, 2).slice(4, -2);
  const atDepth2 = (v: unknown) => JSON.stringify([[v]], null, 2).slice(10, -6);
  const atDepth2Items = (items: unknown[]) => JSON.stringify([items], null, 2).slice(10, -6);
  if (keys.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (const [i, k] of keys.entries()) {
    const v = value[k];
    const tail = i < keys.length - 1 ? ',\n' : '\n';
    if (Array.isArray(v) && v.length > 0) {
      yield `  ${JSON.stringify(k)}: [\n`;
      // A few items per stringify (the same text: they sit at the same depth, joined by ",\n    "):
      // one call per finding cost about twice the serialising itself.
      // The stringified slice is yielded as it is (a writer encodes it where it lies: no copy to join it).
      for (let j = 0; j < v.length; j += ITEMS_PER_PIECE) {
        const end = Math.min(j + ITEMS_PER_PIECE, v.length);
        yield '    ';
        yield atDepth2Items(v.slice(j, end));
        yield end < v.length ? ',\n' : '\n';
      }
      yield `  ]${tail}`;
    } else if (Object.prototype.toString.call(v) === '[object Generator]') {
      // Written as the array it yields, item by item, without holding the items.
      let n = 0;
      for (const item of v as Generator<unknown>) yield n++ === 0 ? `  ${JSON.stringify(k)}: [\n    ${atDepth2(item)}` : `,\n    ${atDepth2(item)}`;
      yield n === 0 ? `  ${JSON.stringify(k)}: []${tail}` : `\n  ]${tail}`;
    } else yield `  ${JSON.stringify(k)}: ${atDepth1(v)}${tail}`;
  }
  yield '}\n';
}

/**
 * Exactly `JSON.stringify(value, null, 2) + '\n'`, with the one string `marker` in `value` standing
 * for the array of `items`: the array is written item by item, at whatever depth it sits (a
 * generator is consumed as it is written). For reports whose long list is nested (SARIF results).
 */
export function* jsonWithArray(value: unknown, marker: string, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(value, null, 2) + '\n';
  const quoted = JSON.stringify(marker);
  const at = text.indexOf(quoted);
  if (at < 0) throw new Error('jsonWithArray: the marker is not in the value');
  // The array closes at its key's indentation; its items sit one level deeper.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart, at))![0];
  const inner = indent + '  ';
  // Items a few at a time, wrapped in arrays so that JSON.stringify indents them as deep as they sit
  // (the same text as indenting each one's lines: a call and a replace per item cost twice as much).
  const depth = inner.length / 2;
  const head = depth * depth + 3 * depth;
  const tail = depth * depth + depth;
  yield text.slice(0, at);
  let n = 0;
  let batch: unknown[] = [];
  const written = () => {
    let wrapped: unknown = batch;
    for (let i = 1; i < depth; i++) wrapped = [wrapped];
    n += batch.length;
    batch = [];
    return JSON.stringify(wrapped, null, 2).slice(head, -tail);
  };
  for (const item of items) {
    if (batch.push(item) < ITEMS_PER_PIECE) continue;
    yield (n === 0 ? '[\n' : ',\n') + inner;
    yield written();
  }
  if (batch.length) {
    yield (n === 0 ? '[\n' : ',\n') + inner;
    yield written();
  }
  yield n === 0 ? '[]' : '\n' + indent + ']';
  yield text.slice(at + quoted.length);
}

const pieces = (report: ScanReport) => jsonPieces(shape(report));

export const jsonReport: Reporter = Object.assign((report: ScanReport) => [...pieces(report)].join(''), { chunks: pieces });
