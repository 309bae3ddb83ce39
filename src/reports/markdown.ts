// Markdown for pull-request comments: a summary, what was not evaluated, then findings by resource
// and by cause (one pod template, one RBAC rule), worst first. GitHub refuses comment bodies over
// 65,536 characters, so the whole text is held under that, and a line says what was cut.
import type { Reporter } from './types.js';
import { SEVERITIES } from '../model/types.js';
import type { Finding } from '../engine/finding.js';
import type { FindingGroup } from '../engine/groups.js';
import { metaFor, notEvaluated, resourceBlocks, skippedNotes, where } from './common.js';
import { terminalSafe } from './terminal-safe.js';

/** GitHub's limit for a comment body (counted here in UTF-16 units, which is never fewer than characters). */
export const MARKDOWN_LIMIT = 65_536;
/** Kept free for the closing lines: what was cut, and the version. */
const RESERVE = 1_000;
/** Findings listed at most, so a comment stays readable; the rest are counted in the cut line. */
const MAX_FINDINGS = 300;
/** Items of the not-evaluated, suppressed and skipped lists at most. */
const MAX_LIST = 100;

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

const CAUSE: Record<FindingGroup['cause'], string> = { workload: 'one pod template', 'rbac-rule': 'one RBAC rule', rule: 'one rule on this object', single: '' };

/** Lines under a size budget; what did not fit is counted by the caller. */
class Budget {
  readonly out: string[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  fits(lines: readonly string[]): boolean {
    return this.size + lines.reduce((n, l) => n + l.length + 1, 0) <= this.limit;
  }
  /** Adds the lines if they all fit. */
  add(...lines: string[]): boolean {
    if (!this.fits(lines)) return false;
    for (const l of lines) this.size += l.length + 1;
    this.out.push(...lines);
    return true;
  }
}

function findingLine(f: Finding, ctx: Parameters<Reporter>[1], indent: string): string {
  const m = metaFor(ctx, f);
  const at = f.location.line > 0 ? ` ${f.location.line}:${f.location.column}` : '';
  return `${indent}- ${ICON[f.severity]} ${f.severity} \`${f.ruleId}\`${at}: ${escapeMarkdown(f.message)} — _Fix:_ ${escapeMarkdown(m.remediation)}`;
}

export const markdownReport: Reporter = (report, ctx) => {
  const s = report.summary;
  const b = new Budget(MARKDOWN_LIMIT - RESERVE);
  const cut: string[] = [];
  b.add('## Rampart scan', '');
  const verdict = s.notEvaluated > 0 ? '⚠️ **Incomplete:** some inputs were not evaluated.' : s.findings > 0 ? `**${s.findings} findings**` : '✅ **No findings.**';
  const blocks = resourceBlocks(report.findings);
  const groups = blocks.reduce((n, x) => n + x.groups.length, 0);
  b.add(`${verdict} ${s.resources} resources in ${s.files} files${s.findings ? `, ${groups} to fix (findings grouped by cause)` : ''}, ${s.suppressed} suppressed, ${s.notEvaluated} not evaluated, ${s.skipped} skipped.`, '');
  b.add('| Severity | Findings |', '| --- | ---: |', ...SEVERITIES.map((sev) => `| ${ICON[sev]} ${sev} | ${s.bySeverity[sev]} |`), '');

  const ne = notEvaluated(report);
  if (ne.length) {
    b.add('### Not evaluated', '');
    let n = 0;
    for (const x of ne) {
      if (n >= MAX_LIST || !b.add(`- **${x.kind === 'error' ? 'error' : 'not evaluated'}** ${escapeMarkdown(where(x.file, x.line, x.column))}: ${escapeMarkdown(x.message)}`)) break;
      n++;
    }
    if (n < ne.length) cut.push(`${ne.length - n} of ${ne.length} not-evaluated inputs`);
    b.add('');
  }

  if (s.findings > 0) {
    b.add('### Findings', '');
    let shown = 0;
    let groupsShown = 0;
    // Worst resources first, so a cut comment still shows what matters most.
    outer: for (const block of blocks) {
      const head = [`#### ${ICON[block.severity]} ${escapeMarkdown(block.title)} — ${escapeMarkdown(block.file || '(no file)')}`, ''];
      let opened = false;
      for (const g of block.groups) {
        const fs = g.findings.map((i) => report.findings[i]!);
        const lines = g.cause === 'single' ? [findingLine(fs[0]!, ctx, '')] : [`- ${ICON[g.severity]} **${fs.length} findings, ${CAUSE[g.cause]}** \`${g.path || '/'}\``, ...fs.map((f) => findingLine(f, ctx, '  '))];
        // A group is shown whole or not at all; the first that does not fit ends the list.
        if (shown + fs.length > MAX_FINDINGS || !b.fits([...(opened ? [] : head), ...lines])) break outer;
        if (!opened) b.add(...head);
        opened = true;
        b.add(...lines);
        shown += fs.length;
        groupsShown++;
      }
      if (opened) b.add('');
    }
    if (shown < s.findings) cut.push(`${s.findings - shown} of ${s.findings} findings (${groups - groupsShown} of ${groups} groups)`);
  }

  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    let n = 0;
    if (b.add(`<details><summary>${suppressed.length} suppressed findings</summary>`, '', '| Rule | Resource | Location | Reason |', '| --- | --- | --- | --- |')) {
      for (const f of suppressed) {
        const reason = `${f.suppression?.kind ?? ''}: ${f.suppression?.reason ?? ''}${f.suppression?.expires ? ` (until ${f.suppression.expires})` : ''}`;
        if (n >= MAX_LIST || !b.add(`| \`${f.ruleId}\` | ${escapeMarkdown(`${f.resource.kind}/${f.resource.name}`)} | ${escapeMarkdown(where(f.location.file, f.location.line, f.location.column))} | ${escapeMarkdown(reason)} |`)) break;
        n++;
      }
      // Closing tags come out of the reserve: an open <details> would swallow the rest of the comment.
      b.out.push('', '</details>', '');
    }
    if (n < suppressed.length) cut.push(`${suppressed.length - n} of ${suppressed.length} suppressed findings`);
  }

  const notes = skippedNotes(report);
  if (notes.length) {
    let n = 0;
    if (b.add(`<details><summary>${notes.length} skipped inputs (not Kubernetes objects)</summary>`, '')) {
      for (const x of notes) {
        if (n >= MAX_LIST || !b.add(`- ${escapeMarkdown(where(x.file, x.line))}: ${escapeMarkdown(x.message)}`)) break;
        n++;
      }
      b.out.push('', '</details>', '');
    }
    if (n < notes.length) cut.push(`${notes.length - n} of ${notes.length} skipped inputs`);
  }
  const out = b.out;
  if (cut.length) out.push(`_Cut to stay under GitHub's ${MARKDOWN_LIMIT.toLocaleString('en-US')}-character comment limit: ${cut.join('; ')} not shown. The full report: \`-o json\`, \`-o sarif\` or \`-o html\`._`, '');
  out.push(`<sub>rampart ${escapeMarkdown(report.tool.version)}</sub>`);
  return out.join('\n') + '\n';
};
