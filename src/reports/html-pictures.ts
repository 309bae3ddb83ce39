// Inline SVG pictures for the HTML report: bar charts for the overview, chains for RBAC escalation
// and attack paths, and a namespace × check grid for NetworkPolicy findings. Drawn from findings only;
// every text goes through `esc`, and every picture scales to its container (viewBox, width 100%).
import type { Finding } from '../engine/finding.js';
import type { Severity } from '../model/types.js';
import { SEVERITIES, severityRank } from '../model/types.js';
import { escapeXml as esc } from './common.js';

export interface Bar {
  label: string;
  value: number;
  /** CSS class of the bar (a severity, or `bar`). */
  cls: string;
}

/** A horizontal bar chart; labels left, counts right of the bar. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const rowH = 22;
  const labelW = 150;
  const barW = 190;
  const width = labelW + barW + 50;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = i * rowH + 4;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barW));
    return (
      `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(clip(b.label, 22))}<title>${esc(b.label)}</title></text>` +
      `<rect class="${esc(b.cls)}" x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" rx="2"/>` +
      `<text x="${labelW + w + 6}" y="${y + 14}">${b.value}</text>`
    );
  });
  const height = Math.max(1, bars.length) * rowH + 8;
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%">${rows.join('')}</svg></figure>`;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Splits text into lines of at most `n` characters at spaces (long words are cut). */
function wrap(s: string, n: number, maxLines = 4): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of s.split(/\s+/)) {
    const w = word.length > n ? word.slice(0, n - 1) + '…' : word;
    if (cur && cur.length + 1 + w.length > n) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  if (lines.length > maxLines) return [...lines.slice(0, maxLines - 1), clip(lines.slice(maxLines - 1).join(' '), n)];
  return lines;
}

/**
 * A vertical chain: boxes (`nodes`) joined by arrows labelled with `edges` (edges[i] joins node i to
 * node i+1). Vertical so it fits a phone as well as a wide screen.
 */
export function chainPicture(title: string, nodes: readonly string[], edges: readonly string[], severity: Severity): string {
  const W = 520;
  const x = 10;
  const boxW = W - 2 * x;
  // The arrow runs down the left, its label beside it, so labels have the width of the boxes.
  const ax = 40;
  const lineH = 16;
  const parts: string[] = [];
  let y = 6;
  nodes.forEach((node, i) => {
    const lines = wrap(node, 60);
    const h = lines.length * lineH + 12;
    const end = i === nodes.length - 1;
    const cls = end ? `end ${severity}` : i === 0 ? 'node start' : 'node';
    parts.push(`<rect class="${cls}" x="${x}" y="${y}" width="${boxW}" height="${h}" rx="6"><title>${esc(node)}</title></rect>`);
    const on = end ? ' class="on-dark"' : '';
    lines.forEach((l, j) => parts.push(`<text${on} x="${W / 2}" y="${y + 20 + j * lineH}" text-anchor="middle">${esc(l)}</text>`));
    y += h;
    if (!end) {
      const label = edges[i] ? wrap(edges[i]!, 72, 3) : [];
      const gap = Math.max(28, label.length * 14 + 12);
      parts.push(`<line class="edge" x1="${ax}" y1="${y}" x2="${ax}" y2="${y + gap - 2}" marker-end="url(#arrow)"/>`);
      label.forEach((l, j) => parts.push(`<text class="edge-label" x="${ax + 12}" y="${y + 15 + j * 14}">${esc(l)}</text>`));
      y += gap;
    }
  });
  const defs = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>';
  return `<figure class="chain"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${y + 6}" width="100%">${defs}${parts.join('')}</svg></figure>`;
}

/** RBAC escalation chains from `rbac/escalation-path` findings (their `details`), one per subject. */
export function rbacPictures(findings: readonly Finding[], limit = 12): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of findings) {
    if (f.ruleId !== 'rbac/escalation-path' || f.suppressed || !f.details) continue;
    const subject = typeof f.details.subject === 'string' ? f.details.subject : undefined;
    const steps = Array.isArray(f.details.steps) ? (f.details.steps as { action?: unknown; to?: unknown }[]) : [];
    if (!subject || !steps.length || seen.has(subject)) continue;
    seen.add(subject);
    const nodes = [subject, ...steps.map((s) => String(s.to ?? '?'))];
    out.push(chainPicture(`${subject} → cluster-admin in ${steps.length} steps`, nodes, steps.map((s) => String(s.action ?? '')), f.severity));
    if (out.length >= limit) break;
  }
  return out;
}

/** Attack paths from `paths/*` findings: the numbered steps of their message, entry to target. */
export function attackPathPictures(findings: readonly Finding[], limit = 8): string[] {
  const out: string[] = [];
  for (const f of findings) {
    if (!f.ruleId.startsWith('paths/') || f.suppressed) continue;
    const m = /^(.*?) reaches (\S+) in \d+ steps: (.*?)\.(?: Choke point: (.*))?$/s.exec(f.message);
    if (!m) continue;
    const steps = m[3]!.split(/; (?=\d+\) )/).map((s) => s.replace(/^\d+\) /, ''));
    const title = `${m[1]} → ${m[2]} from ${f.resource.kind}/${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name}${m[4] ? ` — choke point: ${m[4]}` : ''}`;
    out.push(chainPicture(title, ['the internet', ...steps, m[2]!], [], f.severity));
    if (out.length >= limit) break;
  }
  return out;
}

/** Namespaces × NetworkPolicy checks: how many findings of each check, coloured by the worst. */
export function netpolMatrix(findings: readonly Finding[]): string | undefined {
  const cells = new Map<string, { n: number; sev: Severity }>();
  const rules = new Set<string>();
  const namespaces = new Set<string>();
  for (const f of findings) {
    if (!f.ruleId.startsWith('netpol/') || f.suppressed) continue;
    const ns = f.resource.kind === 'Namespace' ? f.resource.name : (f.resource.namespace ?? '(no namespace)');
    const rule = f.ruleId.slice('netpol/'.length);
    rules.add(rule);
    namespaces.add(ns);
    const k = `${ns}\u0000${rule}`;
    const c = cells.get(k);
    if (!c) cells.set(k, { n: 1, sev: f.severity });
    else {
      c.n++;
      if (severityRank(f.severity) > severityRank(c.sev)) c.sev = f.severity;
    }
  }
  if (!cells.size) return undefined;
  const cols = [...rules].sort();
  const rows = [...namespaces].sort();
  const labelW = 170;
  const cw = 34;
  const headH = 150;
  const rh = 20;
  // Room on the right for the slanted column labels.
  const W = labelW + cols.length * cw + 110;
  const H = headH + rows.length * rh + 6;
  const parts: string[] = [];
  cols.forEach((c, j) => {
    const cx = labelW + j * cw + cw / 2;
    parts.push(`<text class="col" transform="translate(${cx + 4} ${headH - 6}) rotate(-55)">${esc(clip(c, 26))}<title>netpol/${esc(c)}</title></text>`);
  });
  rows.forEach((r, i) => {
    const y = headH + i * rh;
    parts.push(`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(clip(r, 24))}<title>${esc(r)}</title></text>`);
    cols.forEach((c, j) => {
      const cell = cells.get(`${r}\u0000${c}`);
      const x = labelW + j * cw;
      parts.push(`<rect class="cell ${cell ? cell.sev : 'empty'}" x="${x + 1}" y="${y + 1}" width="${cw - 2}" height="${rh - 2}"><title>${esc(r)} · netpol/${esc(c)}: ${cell ? cell.n : 0}</title></rect>`);
      if (cell) parts.push(`<text class="cell-n" x="${x + cw / 2}" y="${y + 14}" text-anchor="middle">${cell.n}</text>`);
    });
  });
  const title = `NetworkPolicy findings by namespace (${rows.length} namespaces × ${cols.length} checks)`;
  return `<figure class="matrix"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px">${parts.join('')}</svg></figure>`;
}

/** Bars for the five severities, in order. */
export function severityBars(counts: Record<Severity, number>): Bar[] {
  return SEVERITIES.map((s) => ({ label: s, value: counts[s], cls: s }));
}
