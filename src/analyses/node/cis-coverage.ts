// Which CIS Kubernetes Benchmark items Rampart's rules implement. Pure: the item list and the rule
// metadata come in, a coverage table goes out (the CLI reads data/cis/items.json).
import { asArray, asString, isObject } from '../../model/json.js';

export interface CisItem {
  id: string;
  text: string;
  /** Top-level section number ("1" … "5"). */
  section: string;
  group?: string;
  /** From the item text's (Automated)/(Manual) marker. */
  automation: 'automated' | 'manual';
  /** kube-bench's `type` (e.g. "manual"), when present. */
  type?: string;
}

export interface CoverageRow {
  item: CisItem;
  /** The benchmark marks the item Automated (and kube-bench does not force it to manual). */
  automatable: boolean;
  /** Rule ids whose references.cis name this item. */
  rules: string[];
}

export interface CisCoverage {
  benchmark: string;
  rows: CoverageRow[];
  total: number;
  automatable: number;
  coveredAutomatable: number;
  coveredManual: number;
  /** CIS ids named by rules that are not in the item list (typos or other benchmark versions). */
  unknownIds: { id: string; rules: string[] }[];
}

export interface RuleRef {
  id: string;
  cis?: string[];
}

/** Validates the untrusted item list (`{benchmark, items: [...]}` or a bare array). */
export function parseCisItems(json: unknown): { benchmark: string; items: CisItem[] } {
  const list = Array.isArray(json) ? json : isObject(json) ? asArray(json.items) : [];
  const benchmark = isObject(json) ? (asString(json.benchmark) ?? 'cis') : 'cis';
  const items: CisItem[] = [];
  list.forEach((raw, i) => {
    if (!isObject(raw)) throw new Error(`CIS item ${i} is not an object`);
    const id = asString(raw.id);
    const text = asString(raw.text);
    if (!id || !text) throw new Error(`CIS item ${i} has no id or text`);
    const automation = asString(raw.automation) === 'automated' || /\(Automated\)\s*$/.test(text) ? 'automated' : 'manual';
    const item: CisItem = { id, text, section: asString(raw.section) ?? asString(raw.section_id) ?? id.split('.')[0]!, automation };
    const group = asString(raw.group);
    const type = asString(raw.type);
    if (group) item.group = group;
    if (type) item.type = type;
    items.push(item);
  });
  if (items.length === 0) throw new Error('the CIS item list is empty');
  return { benchmark, items };
}

export function cisCoverage(benchmark: string, items: CisItem[], rules: RuleRef[]): CisCoverage {
  const byItem = new Map<string, string[]>();
  for (const r of rules) for (const id of r.cis ?? []) byItem.set(id, [...(byItem.get(id) ?? []), r.id]);
  const rows = items.map((item) => ({ item, automatable: item.automation === 'automated' && item.type !== 'manual', rules: (byItem.get(item.id) ?? []).sort() }));
  const known = new Set(items.map((i) => i.id));
  const unknownIds = [...byItem.entries()].filter(([id]) => !known.has(id)).map(([id, rs]) => ({ id, rules: rs.sort() }));
  return {
    benchmark,
    rows,
    total: rows.length,
    automatable: rows.filter((r) => r.automatable).length,
    coveredAutomatable: rows.filter((r) => r.automatable && r.rules.length).length,
    coveredManual: rows.filter((r) => !r.automatable && r.rules.length).length,
    unknownIds,
  };
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a';
}

/** Plain-text table for `rampart rules list --framework cis`. */
export function coverageText(c: CisCoverage, opts: { uncoveredOnly?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`CIS Kubernetes Benchmark (${c.benchmark}): ${c.coveredAutomatable}/${c.automatable} automatable items implemented (${pct(c.coveredAutomatable, c.automatable)}), plus ${c.coveredManual} of ${c.total - c.automatable} manual items`);
  lines.push('');
  let section = '';
  for (const r of c.rows) {
    if (opts.uncoveredOnly && r.rules.length) continue;
    if (r.item.section !== section) {
      section = r.item.section;
      lines.push(`Section ${section}`);
    }
    const mark = r.rules.length ? 'covered' : r.automatable ? 'MISSING' : 'manual ';
    const title = r.item.text.replace(/\s*\((Automated|Manual)\)\s*$/, '');
    lines.push(`  ${r.item.id.padEnd(7)} ${mark}  ${title}${r.rules.length ? `  [${r.rules.join(', ')}]` : ''}`);
  }
  if (c.unknownIds.length) {
    lines.push('');
    lines.push(`Rules naming CIS ids not in ${c.benchmark}: ${c.unknownIds.map((u) => `${u.id} (${u.rules.join(', ')})`).join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

/** JSON shape for `-o json`. */
export function coverageJson(c: CisCoverage): Record<string, unknown> {
  return {
    framework: 'cis',
    benchmark: c.benchmark,
    summary: { items: c.total, automatable: c.automatable, implemented: c.coveredAutomatable, coverage: c.automatable ? c.coveredAutomatable / c.automatable : 0, manualWithRules: c.coveredManual },
    items: c.rows.map((r) => ({ id: r.item.id, title: r.item.text, section: r.item.section, automatable: r.automatable, covered: r.rules.length > 0, rules: r.rules })),
    unknownIds: c.unknownIds,
  };
}
