// Helpers every reporter shares: rule metadata lookup, "not evaluated" items, grouping, escaping.
import type { Finding, ScanReport } from '../engine/finding.js';
import { groupFindings, type FindingGroup } from '../engine/groups.js';
import { severityRank, type Severity } from '../model/types.js';
import type { RuleMeta } from '../engine/rule.js';
import { ENGINE_RULE_METAS } from '../engine/run.js';
import type { ReportContext } from './types.js';

const ENGINE_METAS = new Map(ENGINE_RULE_METAS.map((m) => [m.id, m]));

/** Metadata for a finding's rule; falls back to what the finding itself carries (never throws). */
export function metaFor(ctx: ReportContext, f: Finding): RuleMeta {
  const m = ctx.rules.get(f.ruleId) ?? ENGINE_METAS.get(f.ruleId);
  if (m) return m;
  const { pss, ...refs } = f.references;
  const references: RuleMeta['references'] = { ...refs };
  if (pss === 'baseline' || pss === 'restricted') references.pss = pss;
  return { id: f.ruleId, title: f.title, severity: f.severity, rationale: f.title, remediation: f.remediation, references };
}

/** Rules to describe in a report: every rule in the context plus any rule a finding names. */
export function rulesForReport(report: ScanReport, ctx: ReportContext): RuleMeta[] {
  const out = new Map<string, RuleMeta>(ctx.rules);
  for (const f of report.findings) if (!out.has(f.ruleId)) out.set(f.ruleId, metaFor(ctx, f));
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** One thing that was not evaluated: an input error or a skipped input that fails the run closed. */
export interface NotEvaluated {
  kind: 'error' | 'skipped';
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function notEvaluated(report: ScanReport): NotEvaluated[] {
  const out: NotEvaluated[] = [];
  for (const e of report.errors) {
    const n: NotEvaluated = { kind: 'error', file: e.file, message: e.message };
    if (e.line !== undefined) n.line = e.line;
    if (e.column !== undefined) n.column = e.column;
    out.push(n);
  }
  for (const s of report.skipped) {
    if (!s.failsClosed) continue;
    const n: NotEvaluated = { kind: 'skipped', file: s.file, message: s.reason + (s.hint ? ` (hint: ${s.hint})` : '') };
    if (s.line !== undefined) n.line = s.line;
    out.push(n);
  }
  return out;
}

/** Notes about inputs skipped on purpose (not Kubernetes objects); they do not fail the run. */
export function skippedNotes(report: ScanReport): NotEvaluated[] {
  return report.skipped
    .filter((s) => !s.failsClosed)
    .map((s) => {
      const n: NotEvaluated = { kind: 'skipped', file: s.file, message: s.reason + (s.hint ? ` (hint: ${s.hint})` : '') };
      if (s.line !== undefined) n.line = s.line;
      return n;
    });
}

/** `file:line:column`, leaving out what is unknown. */
export function where(file: string, line?: number, column?: number): string {
  let s = file || '(no file)';
  if (line) s += `:${line}`;
  if (line && column) s += `:${column}`;
  return s;
}

/** `Kind/namespace/name` (namespace left out when absent). */
export function resourceName(f: Finding): string {
  return refName(f.resource);
}

/** `Kind/namespace/name` of a finding's resource. */
export function refName(r: Finding['resource']): string {
  return `${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`;
}

/** `make` remembered per key for one report: rules and resource objects repeat from finding to finding. */
export function perKey<K, V>(make: (k: K) => V): (k: K) => V {
  const made = new Map<K, V>();
  return (k) => {
    let v = made.get(k);
    if (v === undefined) made.set(k, (v = make(k)));
    return v;
  };
}

/** One resource's open findings, grouped by cause (see engine/groups.ts). */
export interface ResourceBlock {
  title: string;
  file: string;
  severity: Severity;
  count: number;
  groups: FindingGroup[];
}

/** Open findings by resource, then by cause; worst resources, causes and findings first. */
export function resourceBlocks(findings: readonly Finding[]): ResourceBlock[] {
  const blocks = new Map<string, ResourceBlock>();
  for (const g of groupFindings(findings)) {
    if (g.suppressed) continue;
    const first = findings[g.findings[0]!]!;
    const key = `${first.location.file}\u0000${resourceName(first)}`;
    let b = blocks.get(key);
    if (!b) blocks.set(key, (b = { title: resourceName(first), file: first.location.file, severity: g.severity, count: 0, groups: [] }));
    b.groups.push(g);
    b.count += g.findings.length;
    if (severityRank(g.severity) > severityRank(b.severity)) b.severity = g.severity;
  }
  const bySev = (a: Severity, b: Severity) => severityRank(b) - severityRank(a);
  for (const b of blocks.values()) {
    b.groups.sort((x, y) => bySev(x.severity, y.severity) || y.findings.length - x.findings.length);
    for (const g of b.groups) g.findings.sort((i, j) => bySev(findings[i]!.severity, findings[j]!.severity) || findings[i]!.location.line - findings[j]!.location.line);
  }
  return [...blocks.values()].sort((a, b) => bySev(a.severity, b.severity) || b.count - a.count || a.title.localeCompare(b.title));
}

/** Reference tags (`cis:5.7.3`, `mitre:T1611`, `pss:baseline`, `nsa:...`) for reports that take labels. */
export function referenceTags(m: RuleMeta): string[] {
  const r = m.references;
  return [
    ...(r.cis ?? []).map((x) => `cis:${x}`),
    ...(r.nsa ?? []).map((x) => `nsa:${x}`),
    ...(r.mitre ?? []).map((x) => `mitre:${x}`),
    ...(r.pss ? [`pss:${r.pss}`] : []),
  ];
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/;

/** Escapes text for XML/HTML attributes and content; drops characters XML 1.0 cannot carry. Works character by character: escaping the parts of a text apart gives the same as escaping it whole. */
export function escapeXml(s: string): string {
  // Most texts need nothing: one scan instead of two replaces.
  if (!XML_SPECIAL.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** The rule's help as plain text: rationale, remediation, references. */
export function helpText(m: RuleMeta): string {
  const lines = [m.rationale, '', `Remediation: ${m.remediation}`];
  const refs = referenceTags(m);
  if (refs.length) lines.push('', `References: ${refs.join(', ')}`);
  for (const u of m.references.urls ?? []) lines.push(u);
  return lines.join('\n');
}

/** `[...parts].join('\n')` as pieces, for reporters that stream (see Reporter.chunks). */
export function* joinedLines(parts: Iterable<string>): Generator<string> {
  let first = true;
  for (const p of parts) {
    yield first ? p : '\n' + p;
    first = false;
  }
}
