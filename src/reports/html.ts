// A single self-contained HTML page: inline CSS, no scripts, no external assets; every value escaped.
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import { SEVERITIES } from '../model/types.js';
import { escapeXml as esc, groupByResource, metaFor, notEvaluated, referenceTags, skippedNotes, where } from './common.js';
import type { ReportContext } from './types.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.sev{font-weight:600;text-transform:uppercase;font-size:.8em;white-space:nowrap}
.critical{color:#8b0000}.high{color:#cf222e}.medium{color:#9a6700}.low{color:#0969da}.info{color:#57606a}
.muted{color:#57606a}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem}
.summary td:nth-child(2){text-align:right}details{margin:1rem 0}
`;

function findingRow(f: Finding, ctx: ReportContext): string {
  const m = metaFor(ctx, f);
  const refs = referenceTags(m);
  return (
    '<tr>' +
    `<td class="sev ${f.severity}">${esc(f.severity)}</td>` +
    `<td><code>${esc(f.ruleId)}</code><br><span class="muted">${esc(m.title)}</span></td>` +
    `<td>${f.location.line > 0 ? `${f.location.line}:${f.location.column}` : ''}<br><code class="muted">${esc(f.location.path || '/')}</code></td>` +
    `<td>${esc(f.message)}${f.suppressed ? `<br><em class="muted">suppressed (${esc(f.suppression?.kind ?? '')}): ${esc(f.suppression?.reason ?? '')}</em>` : ''}</td>` +
    `<td>${esc(m.remediation)}${refs.length ? `<br><span class="muted">${esc(refs.join(', '))}</span>` : ''}</td>` +
    '</tr>'
  );
}

export const htmlReport: Reporter = (report, ctx) => {
  const s = report.summary;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No external requests of any kind from the report page.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>Rampart scan report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>Rampart scan report</h1>',
    `<p>${s.resources} resources in ${s.files} files · ${s.findings} findings · ${s.suppressed} suppressed · ${s.notEvaluated} not evaluated · ${s.skipped} skipped</p>`,
  ];
  if (s.notEvaluated > 0) out.push('<p class="warn"><strong>Incomplete:</strong> some inputs were not evaluated (see below). Findings cover only what could be read.</p>');
  out.push('<table class="summary"><thead><tr><th>Severity</th><th>Findings</th></tr></thead><tbody>');
  for (const sev of SEVERITIES) out.push(`<tr><td class="sev ${sev}">${sev}</td><td>${s.bySeverity[sev]}</td></tr>`);
  out.push('</tbody></table>');

  const ne = notEvaluated(report);
  if (ne.length) {
    out.push('<h2>Not evaluated</h2>', '<ul>');
    for (const n of ne) out.push(`<li><code>${esc(where(n.file, n.line, n.column))}</code>: ${esc(n.message)}</li>`);
    out.push('</ul>');
  }

  const open = report.findings.filter((f) => !f.suppressed);
  if (open.length) {
    out.push('<h2>Findings</h2>');
    for (const g of groupByResource(open)) {
      out.push(`<h3>${esc(g.resource)} <span class="muted">${esc(g.file || '(no file)')}</span></h3>`);
      out.push('<table><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th><th>Remediation</th></tr></thead><tbody>');
      for (const f of g.findings) out.push(findingRow(f, ctx));
      out.push('</tbody></table>');
    }
  }
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    out.push(`<details><summary>${suppressed.length} suppressed findings</summary>`);
    out.push('<table><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th><th>Remediation</th></tr></thead><tbody>');
    for (const f of suppressed) out.push(findingRow(f, ctx));
    out.push('</tbody></table></details>');
  }
  const notes = skippedNotes(report);
  if (notes.length) {
    out.push(`<details><summary>${notes.length} skipped inputs (not Kubernetes objects)</summary><ul>`);
    for (const n of notes) out.push(`<li><code>${esc(where(n.file, n.line))}</code>: ${esc(n.message)}</li>`);
    out.push('</ul></details>');
  }
  out.push(`<p class="muted">rampart ${esc(report.tool.version)}</p>`, '</body>', '</html>', '');
  return out.join('\n');
};
