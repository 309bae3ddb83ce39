// Human output: findings grouped by resource, colour only on a TTY, a summary line.
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import type { Severity } from '../model/types.js';
import { SEVERITIES } from '../model/types.js';
import { terminalSafe } from './terminal-safe.js';
import { groupFindings, type FindingGroup } from '../engine/groups.js';

const COLORS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';

export const textReport: Reporter = (report, ctx) => {
  const c = (code: string, s: string) => (ctx.color ? code + s + RESET : s);
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const r = f.resource;
    const key = `${f.location.file}\u0000${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const line = (f: Finding, indent: string) => {
    const sev = f.severity.toUpperCase().padEnd(8);
    const where = (f.location.line > 0 ? `${f.location.line}:${f.location.column}` : '-').padEnd(7);
    const tag = f.suppressed ? c(DIM, ` [suppressed: ${terminalSafe(f.suppression?.reason ?? '')}]`) : '';
    // For rendered inputs, say when the source position is a best guess and where the rendered value is.
    const guess = f.location.mapping === 'guess' ? c(DIM, ` [source position is a best guess${f.rendered ? `; rendered at ${terminalSafe(f.rendered.file)}:${f.rendered.line}` : ''}]`) : '';
    return `${indent}${where} ${c(COLORS[f.severity], sev)} ${f.ruleId}  ${terminalSafe(f.message)}${guess}${tag}`;
  };
  let headline = 0;
  for (const [key, fs] of groups) {
    const [file, res] = key.split('\u0000');
    lines.push(c(BOLD, terminalSafe(res!)) + c(DIM, `  ${terminalSafe(file!)}`));
    // Findings that share a cause and a place to fix (the pod template, an RBAC rule line) under one
    // headline, the detail indented below it.
    for (const g of groupFindings(fs)) {
      if (!g.suppressed) headline++;
      if (g.findings.length === 1) {
        lines.push(line(fs[g.findings[0]!]!, '  '));
        continue;
      }
      lines.push(`  ${c(COLORS[g.severity], '▸')} ${causeText(g)}: ${g.findings.length} findings, worst ${c(COLORS[g.severity], g.severity)}${g.suppressed ? c(DIM, ' [suppressed]') : ''}`);
      for (const i of g.findings) lines.push(line(fs[i]!, '    '));
    }
    lines.push('');
  }
  for (const e of report.errors) lines.push(c(COLORS.high, 'error') + `  ${terminalSafe(e.file)}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}  ${terminalSafe(e.message)}`);
  for (const s of report.skipped) {
    const label = s.failsClosed ? c(COLORS.medium, 'not evaluated') : c(DIM, 'skipped');
    lines.push(`${label}  ${terminalSafe(s.file)}${s.line ? `:${s.line}` : ''}  ${terminalSafe(s.reason)}${s.hint ? ` (hint: ${terminalSafe(s.hint)})` : ''}`);
  }
  if (report.errors.length || report.skipped.length) lines.push('');
  const s = report.summary;
  const counts = SEVERITIES.filter((k) => s.bySeverity[k] > 0).map((k) => c(COLORS[k], `${s.bySeverity[k]} ${k}`));
  const parts = [`${s.resources} resources in ${s.files} files`, `${s.findings} findings${counts.length ? ` (${counts.join(', ')})` : ''}${headline && headline < s.findings ? ` in ${headline} groups to fix` : ''}`];
  if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
  if (s.notEvaluated) parts.push(c(COLORS.high, `${s.notEvaluated} not evaluated`));
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  lines.push(parts.join(', '));
  return lines.join('\n') + '\n';
};

function causeText(g: FindingGroup): string {
  if (g.cause === 'workload') return `pod template ${g.path}`;
  if (g.cause === 'rbac-rule') return `RBAC rule ${g.path}`;
  return `${g.rules[0]} ${g.path}`;
}
