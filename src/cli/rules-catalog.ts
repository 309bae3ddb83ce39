// The rule catalogue behind `rampart rules`: entries built from rule metadata, framework views,
// and text/json/markdown renderings. Pure functions; the command does the I/O.
import type { AnyRule, FixClass, References, RuleMeta } from '../engine/rule.js';
import type { Config } from '../engine/config.js';
import { ruleSettingFor } from '../engine/config.js';
import { annotationKeyFor } from '../engine/suppress.js';
import { editDistance } from '../engine/edit-distance.js';
import type { Severity } from '../model/types.js';
import { severityRank } from '../model/types.js';
import { escapeMarkdown } from '../reports/markdown.js';

export interface CatalogEntry {
  id: string;
  family: string;
  title: string;
  /** Severity after the config's override. */
  severity: Severity;
  defaultSeverity: Severity;
  /** On after the config (defaultOff rules need `enabled: true`). */
  enabled: boolean;
  defaultOff: boolean;
  fixable: boolean;
  /** What the automatic fix can do to a running workload (rule metadata, the one source for `rampart fix`). */
  fixClass?: FixClass;
  fixRisk?: string;
  /** `engine` for findings the engine itself produces (config hygiene). */
  source: 'rule' | 'engine';
  scope: 'resource' | 'global' | 'event';
  kinds?: string[];
  rationale: string;
  remediation: string;
  references: { cis: string[]; nsa: string[]; mitre: string[]; pss?: string; urls: string[] };
  optionsSchema?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  /** Annotation that suppresses the rule on one object. */
  suppressAnnotation: string;
  /** Required options that neither the defaults nor the config set: the rule checks nothing until they are. */
  missingOptions: string[];
}

export function toEntry(meta: RuleMeta, source: CatalogEntry['source'], cfg: Config): CatalogEntry {
  const setting = ruleSettingFor(cfg, meta.id);
  const r: References = meta.references ?? {};
  const e: CatalogEntry = {
    id: meta.id,
    family: meta.id.split('/')[0]!,
    title: meta.title,
    severity: setting.severity ?? meta.severity,
    defaultSeverity: meta.severity,
    enabled: setting.enabled ?? !meta.defaultOff,
    defaultOff: meta.defaultOff === true,
    fixable: meta.fixClass !== undefined,
    source,
    scope: meta.scope ?? 'resource',
    rationale: meta.rationale,
    remediation: meta.remediation,
    references: { cis: r.cis ?? [], nsa: r.nsa ?? [], mitre: r.mitre ?? [], urls: r.urls ?? [] },
    suppressAnnotation: annotationKeyFor(meta.id),
    missingOptions: missingRequiredOptions(meta, setting.options),
  };
  if (meta.fixClass) e.fixClass = meta.fixClass;
  if (meta.fixRisk) e.fixRisk = meta.fixRisk;
  if (r.pss) e.references.pss = r.pss;
  if (meta.kinds) e.kinds = meta.kinds;
  if (meta.optionsSchema) e.optionsSchema = meta.optionsSchema;
  if (meta.defaults) e.defaults = meta.defaults;
  return e;
}

export function missingRequiredOptions(meta: RuleMeta, configured: Record<string, unknown> | undefined): string[] {
  const required = meta.optionsSchema?.required;
  if (!Array.isArray(required)) return [];
  const have = { ...(meta.defaults ?? {}), ...(configured ?? {}) };
  return required.filter((k): k is string => typeof k === 'string' && !(k in have));
}

export function buildCatalog(rules: readonly Pick<AnyRule, 'meta'>[], engineMetas: readonly RuleMeta[], cfg: Config): CatalogEntry[] {
  const entries = [...rules.map((r) => toEntry(r.meta, 'rule', cfg)), ...engineMetas.map((m) => toEntry(m, 'engine', cfg))];
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}

/** One control of a framework (a CIS item, an ATT&CK technique, ...) and the rules that map to it. */
export interface Control {
  id: string;
  title?: string;
  rules: string[];
}

export interface FrameworkView {
  name: string;
  label: string;
  controls: Control[];
}

export interface Framework {
  label: string;
  /** The framework's control ids a rule maps to. */
  controlsOf(e: CatalogEntry): string[];
  /**
   * The controls to show. Default: only those some rule maps to, grouped. A framework with a
   * full control list (e.g. CIS benchmark coverage, including uncovered items) replaces this.
   */
  view?(entries: CatalogEntry[]): Control[];
}

export const FRAMEWORKS: Record<string, Framework> = {
  cis: { label: 'CIS Kubernetes Benchmark', controlsOf: (e) => e.references.cis },
  nsa: { label: 'NSA/CISA Kubernetes Hardening Guide', controlsOf: (e) => e.references.nsa },
  mitre: { label: 'MITRE ATT&CK', controlsOf: (e) => e.references.mitre },
  pss: { label: 'Pod Security Standards', controlsOf: (e) => (e.references.pss ? [e.references.pss] : []) },
};

/** Orders dotted ids numerically (5.1.10 after 5.1.9) and everything else alphabetically. */
export function compareControlIds(a: string, b: string): number {
  const pa = a.split(/[.]/);
  const pb = b.split(/[.]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

export function frameworkView(name: string, entries: CatalogEntry[]): FrameworkView {
  const fw = FRAMEWORKS[name];
  if (!fw) throw new Error(`unknown framework "${name}"`);
  let controls: Control[];
  if (fw.view) controls = fw.view(entries);
  else {
    const byId = new Map<string, string[]>();
    for (const e of entries) for (const c of fw.controlsOf(e)) byId.set(c, [...(byId.get(c) ?? []), e.id]);
    controls = [...byId].map(([id, rules]) => ({ id, rules })).sort((a, b) => compareControlIds(a.id, b.id));
  }
  return { name, label: fw.label, controls };
}

export interface ListFilter {
  framework?: string;
  family?: string;
}

export function filterEntries(entries: CatalogEntry[], f: ListFilter): CatalogEntry[] {
  return entries.filter((e) => (!f.family || e.family === f.family) && (!f.framework || FRAMEWORKS[f.framework]!.controlsOf(e).length > 0));
}

function refSummary(e: CatalogEntry, framework?: string): string {
  const parts: string[] = [];
  if (e.references.cis.length && (!framework || framework === 'cis')) parts.push(`CIS ${e.references.cis.join(', ')}`);
  if (e.references.pss && (!framework || framework === 'pss')) parts.push(`PSS ${e.references.pss}`);
  if (e.references.mitre.length && (!framework || framework === 'mitre')) parts.push(`ATT&CK ${e.references.mitre.join(', ')}`);
  if (e.references.nsa.length && framework === 'nsa') parts.push(`NSA: ${e.references.nsa.join('; ')}`);
  return parts.join('  ');
}

function status(e: CatalogEntry): string {
  if (e.source === 'engine') return 'engine';
  if (e.enabled && e.missingOptions.length) return 'unset';
  return e.enabled ? 'on' : 'off';
}

export function renderListText(entries: CatalogEntry[], view?: FrameworkView): string {
  const rows = entries.map((e) => [e.id, e.severity, status(e), e.fixClass ?? '', e.title, refSummary(e, view?.name)]);
  const head = ['RULE', 'SEVERITY', 'STATUS', 'FIX', 'TITLE', 'REFERENCES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  const notes = [
    entries.some((e) => e.source === 'engine') ? 'engine = produced by the engine itself' : '',
    entries.some((e) => status(e) === 'unset') ? 'unset = checks nothing until its options are configured' : '',
  ].filter(Boolean);
  const on = entries.filter((e) => e.source === 'rule' && status(e) === 'on').length;
  out.push('', `${entries.length} rules (${on} on${notes.map((n) => `; ${n}`).join('')}). Details: rampart rules show RULE`);
  if (view) {
    out.push('', `${view.label}: ${view.controls.length} controls`);
    const w = Math.max(0, ...view.controls.map((c) => c.id.length));
    for (const c of view.controls) out.push(`  ${c.id.padEnd(w)}  ${c.title ? `${c.title}: ` : ''}${c.rules.length ? c.rules.join(', ') : '(no rule)'}`);
  }
  return out.join('\n') + '\n';
}

export function renderListJson(entries: CatalogEntry[], view?: FrameworkView): string {
  return JSON.stringify(view ? { rules: entries, framework: view } : { rules: entries }, null, 2) + '\n';
}

export function renderListMarkdown(entries: CatalogEntry[], view?: FrameworkView): string {
  const cell = (s: string) => escapeMarkdown(s);
  const out = ['| Rule | Severity | Default | Fix | Title | CIS | ATT&CK | PSS | NSA/CISA |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const e of [...entries].sort((a, b) => a.id.localeCompare(b.id) || severityRank(b.severity) - severityRank(a.severity))) {
    out.push(
      `| \`${e.id}\` | ${e.severity} | ${e.source === 'engine' ? 'engine' : e.defaultOff ? 'off' : e.missingOptions.length ? 'needs options' : 'on'} | ${e.fixClass ?? ''} | ${cell(e.title)} | ${cell(e.references.cis.join(', '))} | ${cell(e.references.mitre.join(', '))} | ${e.references.pss ?? ''} | ${cell(e.references.nsa.join('; '))} |`,
    );
  }
  if (view) {
    out.push('', `### ${cell(view.label)}`, '', '| Control | Rules |', '| --- | --- |');
    for (const c of view.controls) out.push(`| ${cell(c.id)}${c.title ? ` ${cell(c.title)}` : ''} | ${c.rules.map((r) => `\`${r}\``).join(', ') || '(no rule)'} |`);
  }
  return out.join('\n') + '\n';
}

export function renderShowText(e: CatalogEntry): string {
  const out = [`${e.id}: ${e.title}`, ''];
  const kv = (k: string, v: string) => out.push(`${(k + ':').padEnd(14)}${v}`);
  kv('severity', e.severity === e.defaultSeverity ? e.severity : `${e.severity} (default ${e.defaultSeverity}, overridden by config)`);
  kv(
    'status',
    e.source === 'engine'
      ? 'produced by the engine (config hygiene); cannot be disabled'
      : e.enabled && e.missingOptions.length
        ? `checks nothing until option${e.missingOptions.length > 1 ? 's' : ''} ${e.missingOptions.join(', ')} ${e.missingOptions.length > 1 ? 'are' : 'is'} set in .rampart.yaml`
        : `${e.enabled ? 'on' : 'off'}${e.defaultOff ? ' (off by default; enable it in .rampart.yaml)' : ''}`,
  );
  kv('applies to', e.scope === 'global' ? 'the whole input (cross-resource)' : e.scope === 'event' ? 'API-server audit events (rampart audit)' : e.kinds ? e.kinds.join(', ') : 'every resource');
  kv('fix', fixText(e));
  kv('suppress', e.scope === 'event' ? 'enabled: false or the rule options (allowlists, thresholds) in .rampart.yaml' : `annotation ${e.suppressAnnotation}: "<reason>"`);
  out.push('', 'Why it matters:', wrap(e.rationale), '', 'Remediation:', wrap(e.remediation), '', 'References:');
  const refs: [string, string[]][] = [
    ['CIS', e.references.cis],
    ['NSA/CISA', e.references.nsa],
    ['ATT&CK', e.references.mitre.map((t) => `${t} (https://attack.mitre.org/techniques/${t.replace('.', '/')}/)`)],
    ['PSS', e.references.pss ? [e.references.pss] : []],
    ['see also', e.references.urls],
  ];
  const any = refs.filter(([, v]) => v.length);
  if (any.length === 0) out.push('  (none)');
  for (const [k, v] of any) for (const [i, x] of v.entries()) out.push(`  ${(i === 0 ? k : '').padEnd(9)} ${x}`);
  out.push('', 'Options:');
  if (e.optionsSchema) {
    out.push(indent(JSON.stringify(e.optionsSchema, null, 2)));
    if (e.defaults) out.push('Defaults:', indent(JSON.stringify(e.defaults, null, 2)));
    out.push(`Set them in .rampart.yaml: rules: { ${e.id}: { options: { ... } } }`);
  } else out.push('  (none)');
  return out.join('\n') + '\n';
}

export function renderShowMarkdown(e: CatalogEntry): string {
  const c = escapeMarkdown;
  const out = [`### \`${e.id}\`: ${c(e.title)}`, '', `Severity **${e.severity}**${e.defaultOff ? ', off by default' : ''}${e.fixClass ? `, fix: ${e.fixClass}${e.fixRisk ? ` (${c(e.fixRisk)})` : ''}` : ''}.`, '', c(e.rationale), '', `**Remediation.** ${c(e.remediation)}`, ''];
  const refs = [
    e.references.cis.length ? `CIS ${e.references.cis.join(', ')}` : '',
    e.references.nsa.length ? `NSA/CISA: ${e.references.nsa.join('; ')}` : '',
    e.references.mitre.length ? `ATT&CK ${e.references.mitre.join(', ')}` : '',
    e.references.pss ? `PSS ${e.references.pss}` : '',
  ].filter(Boolean);
  if (refs.length) out.push(`**References.** ${c(refs.join('. '))}`, '');
  if (e.optionsSchema) out.push('**Options.**', '', '```json', JSON.stringify(e.optionsSchema, null, 2), '```', '');
  return out.join('\n');
}

/** The fix line of `rules show`: the class `rampart fix` applies it under, and what it can break. */
export function fixText(e: CatalogEntry): string {
  if (!e.fixClass) return 'no automatic fix';
  if (e.fixClass === 'safe') return 'safe: `rampart fix` applies it (cannot change what the workload does)';
  return `may-break: \`rampart fix --include may-break\` applies it; ${e.fixRisk ?? 'can change what the workload does'}`;
}

/** Closest ids, for "did you mean" on a typo. */
export function suggest(id: string, entries: CatalogEntry[]): string[] {
  const name = id.toLowerCase();
  return entries
    .map((e) => ({ id: e.id, d: Math.min(editDistance(name, e.id.toLowerCase()), e.id.toLowerCase().includes(name) ? 0 : Infinity, editDistance(name, e.id.split('/')[1]!.toLowerCase())) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((x) => x.id);
}

function wrap(text: string, width = 96): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push('  ' + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push('  ' + cur);
  return lines.join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n');
}
