// Source map for `helm template` output: rendered document → its `# Source:` template → the template
// line that produced the key → (when the value comes from values) the key in the values file that set it.
//
// Templates are not YAML, so the template side is read as indented lines: a key line (`name: x`), an
// item line (`- name: x`), or an action line (`{{- with .Values.x }}`). A rendered pointer is walked
// down those lines by indentation; where the template stops having literal keys (toYaml, with, a
// `.Values` expression), the rest of the pointer is looked up in the values files in Helm's order.
import path from 'node:path';
import type { JsonValue } from '../../model/types.js';
import { child, existingDepth, segments, shown, SourceFiles, type Mapped } from './sources.js';

interface TLine {
  /** 0-based line number in the template file. */
  n: number;
  indent: number;
  /** `- ` item marker at this column (or -1). */
  dashCol: number;
  /** Key on the line and its column (or -1). */
  key?: string;
  keyCol: number;
  /** Text after `key:` (may hold a template action). */
  value: string;
  /** Line is only a template action (`{{ ... }}`). */
  action: boolean;
  raw: string;
}

const KEY_RE = /^("([^"]*)"|'([^']*)'|([^\s:#{}"'\-[\]][^:#{}]*?|-[^\s:#{}][^:#{}]*?))\s*:(?:\s+(.*)|\s*)$/;

export function parseTemplateLines(lines: string[]): TLine[] {
  const out: TLine[] = [];
  lines.forEach((raw, n) => {
    const m = /^(\s*)((?:-\s+)*)(.*?)\s*$/.exec(raw)!;
    const indent = m[1]!.length;
    const dashes = m[2]!;
    const rest = m[3]!;
    if (rest === '' && dashes === '') return;
    if (rest.startsWith('#')) {
      if (dashes === '') return;
    }
    const line: TLine = { n, indent, dashCol: dashes ? indent : -1, keyCol: -1, value: '', action: false, raw };
    if (rest.startsWith('{{')) {
      line.action = dashes === '';
      line.value = rest;
    } else {
      const k = KEY_RE.exec(rest);
      if (k) {
        line.key = k[2] ?? k[3] ?? k[4]!;
        line.keyCol = indent + dashes.length;
        line.value = k[5] ?? '';
      } else line.value = rest;
    }
    out.push(line);
  });
  return out;
}

/** `.Values.a.b` (or `$.Values.a.b`) paths referenced in an expression. */
function valuesRefs(expr: string): string[][] {
  const out: string[][] = [];
  for (const m of expr.matchAll(/\$?\.Values((?:\.[A-Za-z0-9_-]+)+)/g)) out.push(m[1]!.slice(1).split('.'));
  return out;
}

export interface ChartContext {
  chartDir: string;
  chartName: string;
  /** --values files in the order given (the last one wins). */
  valuesFiles: string[];
  /** --set keys (dotted paths), only to say a mapping is a guess when one of them set the value. */
  setKeys: string[][];
}

interface ValuesSource {
  abs: string;
  prefix: string[];
}

export class HelmSourceMap {
  private templates = new Map<string, { lines: TLine[]; sections: [number, number][] } | null>();

  constructor(
    private ctx: ChartContext,
    private files: SourceFiles,
  ) {}

  /** Template file for a `# Source:` path (`web/templates/x.yaml` or `web/charts/sub/templates/x.yaml`). */
  templatePath(source: string): string {
    const parts = source.split('/');
    return path.join(this.ctx.chartDir, ...parts.slice(1));
  }

  private template(source: string) {
    if (!this.templates.has(source)) {
      const lines = this.files.lines(this.templatePath(source));
      if (!lines) this.templates.set(source, null);
      else {
        const sections: [number, number][] = [];
        let start = 0;
        lines.forEach((l, i) => {
          if (/^---\s*$/.test(l)) {
            sections.push([start, i]);
            start = i + 1;
          }
        });
        sections.push([start, lines.length]);
        this.templates.set(source, { lines: parseTemplateLines(lines), sections: sections.filter(([a, b]) => lines.slice(a, b).some((x) => x.trim() !== '' && !x.trim().startsWith('#'))) });
      }
    }
    return this.templates.get(source) ?? undefined;
  }

  /** Values sources for a template, highest precedence first (subcharts read the parent's values under their name). */
  private valuesSources(source: string): ValuesSource[] {
    const parts = source.split('/');
    const out: ValuesSource[] = [];
    const subPath: string[] = [];
    for (let i = 1; i + 1 < parts.length && parts[i] === 'charts'; i += 2) subPath.push(parts[i + 1]!);
    for (const f of [...this.ctx.valuesFiles].reverse()) out.push({ abs: path.resolve(f), prefix: subPath });
    out.push({ abs: path.join(this.ctx.chartDir, 'values.yaml'), prefix: subPath });
    let dir = this.ctx.chartDir;
    subPath.forEach((name, i) => {
      dir = path.join(dir, 'charts', name);
      out.push({ abs: path.join(dir, 'values.yaml'), prefix: subPath.slice(i + 1) });
    });
    return out;
  }

  /** Where a values path was set: last --values file that sets it, else the chart's values.yaml. */
  locateValues(source: string, valuesPath: string[], guess: boolean, renderedEnd = -1): Mapped | undefined {
    const setByFlag = this.ctx.setKeys.some((k) => k.every((s, i) => valuesPath[i] === s) || valuesPath.every((s, i) => k[i] === s));
    let best: { src: ValuesSource; depth: number; doc: number } | undefined;
    for (const src of this.valuesSources(source)) {
      const f = this.files.get(src.abs);
      if (!f) continue;
      const full = [...src.prefix, ...valuesPath];
      f.docs.forEach((d, di) => {
        const depth = existingDepth(d.value as JsonValue, full) - src.prefix.length;
        if (depth > 0 && (!best || depth > best.depth)) best = { src, depth, doc: di };
      });
      if (best && best.depth === valuesPath.length) break;
    }
    if (!best) return undefined;
    const b = best as { src: ValuesSource; depth: number; doc: number };
    const f = this.files.get(b.src.abs)!;
    const doc = f.docs[b.doc]!;
    const ptr = [...b.src.prefix, ...valuesPath.slice(0, b.depth)].map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
    const loc = doc.locate(ptr);
    const exact = !guess && !setByFlag && b.depth === valuesPath.length;
    const out: Mapped = { file: shown(b.src.abs), line: loc.line, column: loc.column, mapping: exact ? 'exact' : 'guess' };
    // The tail of valuesPath mirrors the tail of the rendered pointer; the node found stands for a prefix of it.
    const missing = valuesPath.length - b.depth;
    if (renderedEnd >= 0 && renderedEnd - missing >= 0 && !setByFlag) {
      out.edit = { type: 'yaml', abs: b.src.abs, docIndex: doc.index, pointer: [...b.src.prefix, ...valuesPath.slice(0, b.depth)], consumed: renderedEnd - missing };
    }
    return out;
  }

  /**
   * Maps a pointer in the `occurrence`-th rendered document of `source` to the file the user edits.
   * `object` is the rendered document (to walk the pointer and compare literal values).
   */
  map(source: string, occurrence: number, docsFromSource: number, object: JsonValue, pointer: string): Mapped {
    const tfile = shown(this.templatePath(source));
    const t = this.template(source);
    const segs = segments(pointer);
    const depth = existingDepth(object, segs);
    const walk = segs.slice(0, depth);
    if (!t) return { file: tfile, line: 1, column: 1, mapping: 'guess' };
    let guess = false;
    // Helm sorts output by kind, so documents are matched to template sections by their literal
    // kind (then name); `occurrence` counts rendered documents of this kind from this template.
    const o = object !== null && typeof object === 'object' && !Array.isArray(object) ? object : {};
    const md = o.metadata !== null && typeof o.metadata === 'object' && !Array.isArray(o.metadata) ? o.metadata : {};
    const literal = (sec: [number, number], key: string, col: number) =>
      t.lines.find((l) => l.n >= sec[0] && l.n < sec[1] && l.key === key && l.keyCol === col && !l.value.includes('{{'))?.value.trim().replace(/^["']|["']$/g, '');
    let byKind = t.sections.filter((sec) => literal(sec, 'kind', 0) === o.kind);
    if (byKind.length === 0) byKind = t.sections.filter((sec) => literal(sec, 'kind', 0) === undefined);
    if (byKind.length === 0) byKind = t.sections;
    let section: [number, number];
    if (byKind.length === docsFromSource) section = byKind[occurrence] ?? byKind[byKind.length - 1]!;
    else {
      const byName = byKind.filter((sec) => literal(sec, 'name', 2) === md.name);
      if (byName.length === 1) section = byName[0]!;
      else {
        section = byKind[Math.min(occurrence, byKind.length - 1)]!;
        guess = true;
      }
    }
    const inRange = (lo: number, hi: number) => t.lines.filter((l) => l.n >= lo && l.n < hi);
    let lo = section[0];
    let hi = section[1];
    let parentCol = -1;
    let parentIsKey = false;
    let current: TLine | undefined;
    let value: JsonValue | undefined = object;
    let consumed = 0;
    const here = (): Mapped => {
      if (!current) return { file: tfile, line: lo + 1, column: 1, mapping: guess ? 'guess' : 'exact' };
      const out: Mapped = { file: tfile, line: current.n + 1, column: (current.key !== undefined && current.dashCol < 0 ? current.keyCol : current.dashCol >= 0 ? current.dashCol : current.indent) + 1, mapping: guess ? 'guess' : 'exact' };
      if (!guess) out.edit = { type: 'template', abs: this.templatePath(source), line: current.n, childCol: current.dashCol >= 0 && !parentIsKey ? (current.keyCol >= 0 ? current.keyCol : current.dashCol + 2) : current.keyCol + 2, consumed };
      return out;
    };

    const fromValues = (i: number): Mapped => {
      // The rest of the pointer is not written in the template: find what injects it in this scope.
      const scope = inRange(lo, hi);
      const cands = current && current.value.includes('{{') ? [current, ...scope] : scope;
      for (const l of cands) {
        const expr = l.action ? l.value : l.value.includes('{{') ? l.value : '';
        if (!expr) continue;
        let base: string[] | undefined;
        const m = /toYaml\s+(\$?\.[A-Za-z0-9_.]*)/.exec(expr) ?? /\b(?:tpl|toJson)\s+\(?\s*(\$?\.[A-Za-z0-9_.]*)/.exec(expr);
        const arg = m?.[1];
        if (arg && /^\$?\.Values/.test(arg)) base = valuesRefs(arg)[0] ?? [];
        else if (arg === '.' || (arg && arg.startsWith('.') && !arg.startsWith('.Values') && !arg.startsWith('.Release') && !arg.startsWith('.Chart'))) {
          // `.` or `.x` inside `{{ with .Values.y }}` / `{{ range .Values.y }}`: the nearest enclosing with/range.
          for (let k = t.lines.indexOf(l) - 1; k >= 0 && t.lines[k]!.n >= section[0]; k--) {
            const w = /\{\{-?\s*(with|range)\s+(?:\$\w+\s*:=\s*)?(\$?\.Values(?:\.[A-Za-z0-9_-]+)+)/.exec(t.lines[k]!.raw);
            if (w) {
              base = valuesRefs(w[2]!)[0];
              if (base && arg.length > 1) base = [...base, ...arg.slice(1).split('.')];
              if (base && w[1] === 'range') base = undefined; // items of a ranged list: index unknown
              break;
            }
          }
        }
        if (base) {
          const v = base.length > 0 ? this.locateValues(source, [...base, ...walk.slice(i)], guess, walk.length) : undefined;
          if (v) return v;
        }
      }
      guess = true;
      return here();
    };

    for (let i = 0; i < walk.length; i++) {
      const seg = walk[i]!;
      const next = child(value, seg);
      if (Array.isArray(value)) {
        const scope = inRange(lo, hi);
        // Block sequences may sit at their key's own column (`containers:` then `- name:` below it).
        const dashCols = scope.filter((l) => (parentIsKey ? l.dashCol >= parentCol : l.dashCol > parentCol) && l.dashCol >= 0).map((l) => l.dashCol);
        if (dashCols.length === 0) return fromValues(i);
        const col = Math.min(...dashCols);
        const items = scope.filter((l) => l.dashCol === col);
        const idx = Number(seg);
        let item = items[idx];
        // Actions at the list's own level before an item (a loop, a condition) can shift indexes.
        const shifts = (it: TLine | undefined, re: RegExp) => scope.some((l) => l.action && l.indent <= col + 2 && l.n < (it?.n ?? hi) && re.test(l.raw));
        const name = next !== null && typeof next === 'object' && !Array.isArray(next) ? next.name : undefined;
        let sure = false;
        if (typeof name === 'string') {
          // Prefer the item whose literal name matches the rendered one (conditional items shift indexes).
          const named = items.filter((it) => this.itemName(t.lines, it, hi) === name);
          if (named.length === 1) {
            item = named[0];
            sure = true;
          }
        }
        if (!sure) {
          // Otherwise the item whose literal values agree with the rendered item, if only one does.
          const fits = items.filter((it) => this.itemFits(t.lines, it, hi, next) === 'yes');
          const shifted = shifts(item, /\{\{-?\s*(range|if|with|else)\b/);
          if (fits.length === 1 && (!item || fits[0] === item || shifted)) {
            item = fits[0];
            sure = true;
          } else if (item && !shifted && this.itemFits(t.lines, item, hi, next) !== 'no') sure = true;
        }
        if (!item || !sure) {
          guess = true;
          // Alternative items (`{{ if }}- image: a{{ else }}- image: b{{ end }}` then shared keys):
          // go on in the one that holds the key the pointer needs next.
          const want = walk[i + 1];
          if (want !== undefined && !/^\d+$/.test(want)) {
            const holds = items.filter((it) => {
              const end = t.lines.find((l) => l.n > it.n && l.n < hi && !l.action && ((l.dashCol >= 0 && l.dashCol <= col) || (l.dashCol < 0 && l.keyCol >= 0 && l.keyCol <= col)));
              return t.lines.some((l) => l.n >= it.n && l.n < (end?.n ?? hi) && l.key === want && l.keyCol === (it.keyCol >= 0 ? it.keyCol : col + 2));
            });
            if (holds.length === 1) item = holds[0];
          }
        }
        item ??= items[items.length - 1]!;
        current = item;
        const end = t.lines.find((l) => l.n > item!.n && l.n < hi && !l.action && ((l.dashCol >= 0 && l.dashCol <= col) || (l.dashCol < 0 && l.keyCol >= 0 && l.keyCol <= col)));
        lo = item.n;
        hi = end ? end.n : hi;
        parentCol = col;
        parentIsKey = false;
        value = next;
        consumed = i + 1;
        continue;
      }
      const scope = inRange(lo, hi).filter((l) => l.key !== undefined && l.keyCol > parentCol);
      if (scope.length === 0) return fromValues(i);
      const col = Math.min(...scope.map((l) => l.keyCol));
      const matches = scope.filter((l) => l.keyCol === col && l.key === seg);
      if (matches.length === 0) return fromValues(i);
      let pick = matches[0]!;
      if (matches.length > 1) {
        const literal = matches.find((l) => next !== undefined && typeof next !== 'object' && l.value.trim().replace(/^["']|["']$/g, '') === String(next));
        if (literal) pick = literal;
        else guess = true;
      }
      current = pick;
      const end = t.lines.find((l) => l.n > pick.n && l.n < hi && !l.action && ((l.key !== undefined && l.keyCol <= col) || (l.dashCol >= 0 && l.dashCol < col)));
      lo = pick.n + 1;
      hi = end ? end.n : hi;
      parentCol = col;
      parentIsKey = true;
      value = next;
      consumed = i + 1;
      if (pick.value.includes('{{')) {
        // The value is an expression: the values file is the place to edit it.
        const refs = valuesRefs(pick.value);
        if (refs.length > 0 && (i === walk.length - 1 || /toYaml/.test(pick.value))) {
          const v = this.locateValues(source, [...refs[0]!, ...walk.slice(i + 1)], guess || refs.length > 1, refs.length > 1 ? -1 : walk.length);
          if (v) return v;
        }
        if (i < walk.length - 1) return fromValues(i + 1);
      }
    }
    return here();
  }

  /** Whether the template item's literal scalars (its value, or its direct keys) agree with the rendered item. */
  private itemFits(lines: TLine[], item: TLine, hi: number, rendered: JsonValue | undefined): 'yes' | 'no' | 'unknown' {
    const lit = (v: string) => (v.includes('{{') ? undefined : v.trim().replace(/^["']|["']$/g, ''));
    if (rendered === null || typeof rendered !== 'object') {
      if (item.key !== undefined) return 'no';
      const v = lit(item.value);
      return v === undefined ? 'unknown' : v === String(rendered) ? 'yes' : 'no';
    }
    if (Array.isArray(rendered) || item.keyCol < 0) return 'unknown';
    const end = lines.find((l) => l.n > item.n && l.n < hi && !l.action && ((l.dashCol >= 0 && l.dashCol <= item.dashCol) || (l.dashCol < 0 && l.keyCol >= 0 && l.keyCol < item.keyCol)));
    const own = lines.filter((l) => l.n >= item.n && l.n < (end?.n ?? hi) && l.key !== undefined && l.keyCol === item.keyCol);
    let agree = 0;
    for (const l of own) {
      const v = lit(l.value);
      if (v === undefined || v === '' || v === '|' || v === '>') continue;
      const r = rendered[l.key!];
      if (r === undefined || r === null || typeof r === 'object') continue;
      if (String(r) !== v) return 'no';
      agree++;
    }
    return agree > 0 ? 'yes' : 'unknown';
  }

  private itemName(lines: TLine[], item: TLine, hi: number): string | undefined {
    const own = item.key === 'name' ? item : lines.find((l) => l.n > item.n && l.n < hi && l.key === 'name' && l.keyCol === item.keyCol);
    if (!own || own.value.includes('{{')) return undefined;
    return own.value.trim().replace(/^["']|["']$/g, '');
  }
}
