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

/** The report line by line (each with its newline): written as it is made, never held as one string. */
function* lines(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<string> {
  const c = (code: string, s: string) => (ctx.color ? code + s + RESET : s);
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
    return `${indent}${where} ${c(COLORS[f.severity], sev)} ${terminalSafe(f.ruleId)}  ${terminalSafe(f.message)}${guess}${tag}`;
  };
  let headline = 0;
  for (const [key, fs] of groups) {
    const [file, res] = key.split('\u0000');
    yield c(BOLD, terminalSafe(res!)) + c(DIM, `  ${terminalSafe(file!)}`) + '\n';
    // Findings that share a cause and a place to fix (the pod template, an RBAC rule line) under one
    // headline, the detail indented below it.
    for (const g of groupFindings(fs)) {
      if (!g.suppressed) headline++;
      if (g.findings.length === 1) {
        yield line(fs[g.findings[0]!]!, '  ') + '\n';
        continue;
      }
      yield `  ${c(COLORS[g.severity], '▸')} ${terminalSafe(causeText(g))}: ${g.findings.length} findings, worst ${c(COLORS[g.severity], g.severity)}${g.suppressed ? c(DIM, ' [suppressed]') : ''}\n`;
      for (const i of g.findings) yield line(fs[i]!, '    ') + '\n';
    }
    yield '\n';
  }
  for (const e of report.errors) yield c(COLORS.high, 'error') + `  ${terminalSafe(e.file)}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}  ${terminalSafe(e.message)}\n`;
  for (const s of report.skipped) {
    const label = s.failsClosed ? c(COLORS.medium, 'not evaluated') : c(DIM, 'skipped');
    yield `${label}  ${terminalSafe(s.file)}${s.line ? `:${s.line}` : ''}  ${terminalSafe(s.reason)}${s.hint ? ` (hint: ${terminalSafe(s.hint)})` : ''}\n`;
  }
  if (report.errors.length || report.skipped.length) yield '\n';
  if (report.cluster) for (const l of [...coverageLines(report, c), '']) yield l + '\n';
  const s = report.summary;
  const counts = SEVERITIES.filter((k) => s.bySeverity[k] > 0).map((k) => c(COLORS[k], `${s.bySeverity[k]} ${k}`));
  const where = report.cluster ? `from cluster ${terminalSafe(report.cluster.context)}` : `in ${s.files} files`;
  const parts = [`${s.resources} resources ${where}`, `${s.findings} findings${counts.length ? ` (${counts.join(', ')})` : ''}${headline && headline < s.findings ? ` in ${headline} groups to fix` : ''}`];
  if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
  if (s.notEvaluated) parts.push(c(COLORS.high, `${s.notEvaluated} not evaluated`));
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (report.cluster?.allowPartial && report.cluster.coverage.some((r) => r.status === 'forbidden' || r.status === 'failed')) parts.push(c(COLORS.medium, 'partial coverage accepted (--allow-partial)'));
  yield parts.join(', ') + '\n';
}

export const textReport: Reporter = Object.assign((report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => [...lines(report, ctx)].join(''), { chunks: lines });

function causeText(g: FindingGroup): string {
  if (g.cause === 'workload') return `pod template ${g.path}`;
  if (g.cause === 'rbac-rule') return `RBAC rule ${g.path}`;
  return `${g.rules[0]} ${g.path}`;
}

/** The per-kind coverage of a live-cluster scan: what was read, and what was not (and why). */
function coverageLines(report: Parameters<Reporter>[0], c: (code: string, s: string) => string): string[] {
  const rows = report.cluster!.coverage;
  const w = Math.max(4, ...rows.map((r) => r.kind.length));
  const gv = (r: (typeof rows)[number]) => (r.group ? `${r.group}/${r.version}` : r.version);
  const gw = Math.max(...rows.map((r) => gv(r).length));
  const out = [c(BOLD, `Coverage of cluster ${terminalSafe(report.cluster!.context)}${report.cluster!.namespace ? ` (namespace ${terminalSafe(report.cluster!.namespace)})` : ''}:`)];
  for (const r of rows) {
    const state =
      r.status === 'read'
        ? `read ${r.read}${r.viaController ? ` (${r.viaController} through their controller)` : ''}${r.metadataOnly ? ' (metadata only)' : ''}`
        : r.status === 'not-served'
          ? c(DIM, 'not served')
          : r.status === 'not-requested'
            ? c(DIM, 'not requested')
            : c(COLORS.high, `${r.status}${r.read ? ` (read ${r.read})` : ''}`);
    out.push(`  ${r.kind.padEnd(w)}  ${gv(r).padEnd(gw)}  ${state}${r.status !== 'read' && r.message ? c(DIM, `  ${terminalSafe(r.message)}`) : ''}`);
  }
  const nodes = report.cluster!.nodes ?? [];
  if (nodes.length) {
    // Version spread at a glance: skew between kubelets is where old, unpatched nodes hide.
    const tally = (k: 'kubeletVersion' | 'containerRuntimeVersion') => {
      const m = new Map<string, number>();
      for (const n of nodes) m.set(n[k] ?? '?', (m.get(n[k] ?? '?') ?? 0) + 1);
      return [...m].map(([v, n]) => `${terminalSafe(v)} ×${n}`).join(', ');
    };
    out.push(`  ${nodes.length} node(s): kubelet ${tally('kubeletVersion')}; runtime ${tally('containerRuntimeVersion')}`);
  }
  return out;
}
