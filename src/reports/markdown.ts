// Markdown for pull-request comments: a summary, what was not evaluated, findings by resource.
import type { Reporter } from './types.js';
import { SEVERITIES, severityRank } from '../model/types.js';
import type { Finding } from '../engine/finding.js';
import { groupByResource, metaFor, notEvaluated, skippedNotes, where } from './common.js';
import { terminalSafe } from './terminal-safe.js';

/** PR comment bodies are limited (GitHub: 65,536 characters); longer reports are cut with a note. */
const MAX_FINDING_ROWS = 300;
const MAX_FINDINGS_CHARS = 50_000;

function worst(fs: readonly Finding[]): number {
  return Math.max(...fs.map((f) => severityRank(f.severity)));
}

/**
 * Escapes text for a table cell or inline text: no HTML, no table breaks, no emphasis surprises, and
 * no raw control characters (ESC sequences in a comment someone reads with `cat`) — those are shown
 * as visible escapes.
 */
export function escapeMarkdown(s: string): string {
  return terminalSafe(
    s
      .replace(/[\r\n]+/g, ' ')
      .replace(/[\\`*_[\]|<>~]/g, (c) => `\\${c}`)
      .replace(/&/g, '&amp;'),
  );
}

const ICON: Record<string, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

export const markdownReport: Reporter = (report, ctx) => {
  const s = report.summary;
  const out: string[] = ['## Rampart scan', ''];
  const verdict = s.notEvaluated > 0 ? '⚠️ **Incomplete:** some inputs were not evaluated.' : s.findings > 0 ? `**${s.findings} findings**` : '✅ **No findings.**';
  out.push(`${verdict} ${s.resources} resources in ${s.files} files, ${s.suppressed} suppressed, ${s.notEvaluated} not evaluated, ${s.skipped} skipped.`, '');
  out.push('| Severity | Findings |', '| --- | ---: |');
  for (const sev of SEVERITIES) out.push(`| ${ICON[sev]} ${sev} | ${s.bySeverity[sev]} |`);
  out.push('');

  const ne = notEvaluated(report);
  if (ne.length) {
    out.push('### Not evaluated', '');
    for (const n of ne) out.push(`- **${n.kind === 'error' ? 'error' : 'not evaluated'}** ${escapeMarkdown(where(n.file, n.line, n.column))}: ${escapeMarkdown(n.message)}`);
    out.push('');
  }

  const open = report.findings.filter((f) => !f.suppressed);
  if (open.length) {
    out.push('### Findings', '');
    // Worst resources first, so a cut-off comment still shows what matters most.
    const groups = groupByResource(open).sort((x, y) => worst(y.findings) - worst(x.findings));
    let shown = 0;
    let size = out.join('\n').length;
    outer: for (const g of groups) {
      const head = [`#### ${escapeMarkdown(g.resource)} — ${escapeMarkdown(g.file || '(no file)')}`, '', '| Severity | Rule | Line | Finding | Fix |', '| --- | --- | ---: | --- | --- |'];
      const rows: string[] = [];
      for (const f of g.findings) {
        const m = metaFor(ctx, f);
        const row = `| ${ICON[f.severity]} ${f.severity} | \`${f.ruleId}\` | ${f.location.line > 0 ? `${f.location.line}:${f.location.column}` : ''} | ${escapeMarkdown(f.message)} | ${escapeMarkdown(m.remediation)} |`;
        const add = (rows.length ? 0 : head.join('\n').length) + row.length + 1;
        if (shown >= MAX_FINDING_ROWS || size + add > MAX_FINDINGS_CHARS) {
          if (rows.length) out.push(...head, ...rows, '');
          break outer;
        }
        rows.push(row);
        size += add;
        shown++;
      }
      out.push(...head, ...rows, '');
    }
    if (shown < open.length) out.push(`_${open.length - shown} more findings not shown; see the full report (\`-o json\` or \`-o sarif\`)._`, '');
  }

  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    out.push(`<details><summary>${suppressed.length} suppressed findings</summary>`, '', '| Rule | Resource | Location | Reason |', '| --- | --- | --- | --- |');
    for (const f of suppressed.slice(0, MAX_FINDING_ROWS)) {
      const reason = `${f.suppression?.kind ?? ''}: ${f.suppression?.reason ?? ''}${f.suppression?.expires ? ` (until ${f.suppression.expires})` : ''}`;
      out.push(`| \`${f.ruleId}\` | ${escapeMarkdown(`${f.resource.kind}/${f.resource.name}`)} | ${escapeMarkdown(where(f.location.file, f.location.line, f.location.column))} | ${escapeMarkdown(reason)} |`);
    }
    out.push('', '</details>', '');
  }

  const notes = skippedNotes(report);
  if (notes.length) {
    out.push(`<details><summary>${notes.length} skipped inputs (not Kubernetes objects)</summary>`, '');
    for (const n of notes) out.push(`- ${escapeMarkdown(where(n.file, n.line))}: ${escapeMarkdown(n.message)}`);
    out.push('', '</details>', '');
  }
  out.push(`<sub>rampart ${escapeMarkdown(report.tool.version)}</sub>`);
  return out.join('\n') + '\n';
};
