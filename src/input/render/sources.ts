// Shared pieces of the source maps: reading the files users edit, once, and finding keys in them.
import path from 'node:path';
import type { JsonValue, Location, Position } from '../../model/types.js';
import { isObject, parsePointer, pointer as toPointer } from '../../model/json.js';
import { LineCounter, parseAllDocuments } from 'yaml';
import { locateInDocument, type ParsedDocument } from '../yaml.js';
import { readFileBounded } from './tree.js';

export type Mapping = 'exact' | 'guess';

const aliases = new Map<string, string>();

/** Files unpacked from a packaged chart are shown under the archive's name, not the cache folder. */
export function registerAlias(realDir: string, displayPrefix: string): void {
  aliases.set(path.resolve(realDir) + path.sep, displayPrefix.replace(/\/?$/, '/'));
}

/** Display path: relative to cwd when inside it, so reports are portable. */
export function shown(p: string): string {
  for (const [dir, prefix] of aliases) if (p.startsWith(dir)) return prefix + p.slice(dir.length).split(path.sep).join('/');
  // Relative to cwd even outside it (`../charts/x`): reports stay portable and name no machine paths.
  const rel = path.relative(process.cwd(), path.resolve(p));
  return rel && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p.split(path.sep).join('/');
}

export interface SourceFile {
  abs: string;
  text: string;
  lines: string[];
  docs: ParsedDocument[];
}

/** Parsed source files, read lazily and once per scan (mapping costs nothing until a finding asks). */
export class SourceFiles {
  private cache = new Map<string, SourceFile | null>();

  get(abs: string): SourceFile | undefined {
    if (!this.cache.has(abs)) {
      let f: SourceFile | null = null;
      try {
        const text = readFileBounded(abs).toString('utf8');
        f = { abs, text, lines: text.split('\n'), docs: parseSource(text, shown(abs)) };
      } catch {
        f = null;
      }
      this.cache.set(abs, f);
    }
    return this.cache.get(abs) ?? undefined;
  }

  /** Text only (templates are not YAML until rendered). */
  lines(abs: string): string[] | undefined {
    const key = `lines:${abs}`;
    if (!this.cache.has(key)) {
      let f: SourceFile | null = null;
      try {
        const text = readFileBounded(abs).toString('utf8');
        f = { abs, text, lines: text.split('\n'), docs: [] };
      } catch {
        f = null;
      }
      this.cache.set(key, f);
    }
    return this.cache.get(key)?.lines;
  }
}

/** Child of a parsed JSON value by pointer segment; undefined when missing or mistyped. */
export function child(v: JsonValue | undefined, seg: string): JsonValue | undefined {
  if (Array.isArray(v)) {
    const i = Number(seg);
    return Number.isInteger(i) && i >= 0 && i < v.length ? v[i] : undefined;
  }
  if (isObject(v)) return Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] : undefined;
  return undefined;
}

/** How many leading segments exist in `v`. */
export function existingDepth(v: JsonValue | undefined, segs: string[]): number {
  let cur = v;
  for (let i = 0; i < segs.length; i++) {
    const next = child(cur, segs[i]!);
    if (next === undefined) return i;
    cur = next;
  }
  return segs.length;
}

export function segments(p: string): string[] {
  try {
    return parsePointer(p);
  } catch {
    return [];
  }
}

export { toPointer };

/** A mapped location: `path` is filled in by the caller (it stays the rendered pointer). */
export function at(file: string, line: number, column: number, mapping: Mapping): Omit<Location, 'path'> & { mapping: Mapping } {
  return { file, line, column, mapping };
}

export function positionOf(loc: Location): Position {
  return { file: loc.file, line: loc.line, column: loc.column };
}

/**
 * Where a fix for a rendered field would be written: a node of a YAML document (values file, patch,
 * base resource) or a line of a Helm template. `consumed` is how many segments of the rendered
 * pointer that node stands for; the rest of a fix path is created below it.
 */
export type EditTarget =
  | { type: 'yaml'; abs: string; docIndex: number; pointer: string[]; consumed: number }
  | { type: 'template'; abs: string; line: number; childCol: number; consumed: number };

export type Mapped = Omit<Location, 'path'> & { edit?: EditTarget };

/**
 * The user's own source files, parsed for positions with values built only when asked for: a
 * lighter cousin of parseYaml (no size, binary or duplicate-key verdicts: these files are not
 * evaluated, only pointed into). A document that does not parse is left out.
 */
export function parseSource(text: string, file: string): ParsedDocument[] {
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  } catch {
    return [];
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ParsedDocument[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) return;
    let value: JsonValue | undefined;
    let built = false;
    out.push({
      index,
      line: lc.linePos(doc.range?.[0] ?? 0).line,
      get value() {
        if (!built) {
          built = true;
          try {
            value = doc.toJS({ maxAliasCount: 1000 }) as JsonValue | undefined;
          } catch {
            value = undefined;
          }
        }
        return value;
      },
      locate: (pointer: string) => locateInDocument(doc, lc, file, pointer),
    });
  });
  return out;
}
