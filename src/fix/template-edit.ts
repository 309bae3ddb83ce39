// Edits to Helm templates, which are not YAML until rendered: a literal `key: value` line is
// replaced, or keys are inserted under a line at the column the source map found. The re-render
// afterwards is what proves such an edit right.
import type { JsonValue } from '../model/types.js';
import type { TextEdit } from './yaml-edit.js';

export interface TemplateTarget {
  /** 0-based line of the template the rendered field comes from. */
  line: number;
  /** Column at which children of that line are written. */
  childCol: number;
}

function lineRange(text: string, line: number): { start: number; end: number } | undefined {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

function scalar(v: JsonValue): string {
  return JSON.stringify(v);
}

/** The edit for `set` of `value` at `rest` (segments below the template line), or why not. */
export function templateEdit(text: string, target: TemplateTarget, rest: string[], op: { op: 'set' | 'remove'; value?: JsonValue }): TextEdit | string {
  if (op.op === 'remove') return 'removing a field from a template is not automated; fix it by hand';
  const value = op.value ?? null;
  const r = lineRange(text, target.line);
  if (!r) return 'the template line is gone';
  const line = text.slice(r.start, r.end);
  if (rest.length === 0) {
    if (typeof value === 'object' && value !== null) return 'the template line holds a scalar, the fix a structure';
    const m = /^(\s*(?:-\s+)?[^:#{}]+:[ \t]*)([^#{}]*?)([ \t]+#.*)?$/.exec(line);
    if (!m || m[2]!.trim() === '' || m[2]!.includes('{{')) return 'the template line is not a literal `key: value`';
    return { start: r.start + m[1]!.length, end: r.start + m[1]!.length + m[2]!.length, text: scalar(value) };
  }
  const eol = text[r.end] === '\r' ? '\r\n' : '\n';
  const after = text[r.end] === '\r' ? r.end + 2 : r.end + 1;
  const lines = rest.map((s, i) => `${' '.repeat(target.childCol + 2 * i)}${s}:${i === rest.length - 1 ? ` ${scalar(value)}` : ''}`);
  if (after > text.length) return { start: text.length, end: text.length, text: eol + lines.join(eol) };
  return { start: after, end: after, text: lines.join(eol) + eol, rank: -target.childCol };
}
