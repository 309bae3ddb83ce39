// A single self-contained HTML page: an overview (counts and charts, what was not evaluated), pictures
// of RBAC escalation, attack paths and NetworkPolicy findings, then findings by resource and by
// cause, worst first, each with its source lines. Inline CSS and one inline script allowed by its
// hash (filters and search); no external request of any kind; every value escaped; secrets redacted.
import { createHash } from '../model/digest.js';
import type { Reporter, ReportContext } from './types.js';
import type { Finding } from '../engine/finding.js';
import { groupFindings, type FindingGroup } from '../engine/groups.js';
import { SEVERITIES } from '../model/types.js';
import { redactText, REDACTED } from '../model/redact.js';
import { escapeXml as esc, joinedLines, metaFor, notEvaluated, referenceTags, resourceBlocks, resourceName, skippedNotes, where } from './common.js';
import { attackPathPictures, barChart, netpolMatrix, rbacPictures, severityBars, type Bar } from './html-pictures.js';
import { FILTER_SCRIPT } from './html-script.js';

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:78rem;padding:1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
h3{font-size:1rem;margin:0}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.muted{color:#57606a}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem;border-radius:6px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem}.card b{display:block;font-size:1.4rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));gap:1rem}
figure{margin:0;min-width:0}figcaption{font-weight:600;margin:.25rem 0}
svg{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif;fill:#1f2328}
rect.critical{fill:#8b0000}rect.high{fill:#cf222e}rect.medium{fill:#d4a72c}rect.low{fill:#0969da}rect.info{fill:#8c959f}rect.bar{fill:#6e7781}
rect.node{fill:#f6f8fa;stroke:#8c959f}rect.node.start{fill:#ddf4ff;stroke:#0969da}text.on-dark{fill:#fff;font-weight:600}figure.chain svg{max-width:560px}
.edge{stroke:#57606a;stroke-width:1.5}.arrowhead{fill:#57606a}.edge-label{fill:#57606a;font-size:11px}
rect.cell.empty{fill:#f6f8fa}text.cell-n{fill:#fff;font-weight:600}text.col{font-size:11px}
.pictures{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:1rem}
.sev{font-weight:600;text-transform:uppercase;font-size:.75em;white-space:nowrap;border-radius:3px;padding:0 .3em;color:#fff}
.sev.critical{background:#8b0000}.sev.high{background:#cf222e}.sev.medium{background:#9a6700}.sev.low{background:#0969da}.sev.info{background:#6e7781}
#filters{position:sticky;top:0;background:#fff;z-index:1;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 0;border-bottom:1px solid #d0d7de}
#filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .6rem}
#filters select,#filters input[type=search]{font:inherit;max-width:100%;min-width:0;padding:.2rem}
#filters input[type=search]{flex:1 1 12rem}#filters label{white-space:nowrap}
.resource{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;min-width:0}
.resource>header{background:#f6f8fa;padding:.5rem .75rem;border-bottom:1px solid #d0d7de;border-radius:6px 6px 0 0;overflow-wrap:anywhere}
.cause{padding:.5rem .75rem;border-top:1px solid #eaeef2}.cause:first-of-type{border-top:0}
.cause>p{margin:0 0 .25rem}
ul.findings{list-style:none;margin:0;padding:0}li.f{padding:.4rem 0;border-top:1px dashed #eaeef2;min-width:0;overflow-wrap:anywhere}li.f:first-child{border-top:0}
.fix{margin:.2rem 0}.refs{font-size:.85em}
pre.snippet{margin:.35rem 0;padding:.35rem 0;background:#f6f8fa;border:1px solid #eaeef2;border-radius:4px;overflow-x:auto;max-width:100%}
pre.snippet span{display:block;padding:0 .5rem;white-space:pre}pre.snippet span.hit{background:#fff1a8;font-weight:600}
pre.snippet i{display:inline-block;min-width:3em;color:#8c959f;font-style:normal;user-select:none}
details{margin:1rem 0}summary{cursor:pointer}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
@media (max-width:600px){body{padding:.5rem}.card b{font-size:1.1rem}}
`;

/** Lines of source shown around a finding's line. */
const CONTEXT = 2;

interface Snippet {
  first: number;
  lines: string[];
  hit: number;
}

/** Source lines of one file, split once (the CLI hands the reporter a reader; a library call may not). */
class Sources {
  private cache = new Map<string, string[] | undefined>();
  /** Per file, lines where a secrets rule found a value: never shown. */
  readonly secretLines = new Map<string, Set<number>>();

  constructor(
    private readonly read: ReportContext['source'],
    findings: readonly Finding[],
  ) {
    for (const f of findings) {
      if (!f.ruleId.startsWith('secrets/') || f.location.line <= 0) continue;
      let s = this.secretLines.get(f.location.file);
      if (!s) this.secretLines.set(f.location.file, (s = new Set()));
      s.add(f.location.line);
    }
  }

  private lines(file: string): string[] | undefined {
    if (!this.read || !file) return undefined;
    if (!this.cache.has(file)) {
      const text = this.read(file);
      this.cache.set(file, text === undefined ? undefined : text.split(/\r?\n/));
    }
    return this.cache.get(file);
  }

  /**
   * The finding's line and up to CONTEXT lines each side, within its YAML document. Secrets never
   * show: no lines of a Secret object, lines a secrets rule flagged are replaced, and credential-
   * shaped values are redacted.
   */
  snippet(f: Finding): Snippet | undefined {
    const line = f.location.line;
    if (line <= 0 || f.resource.kind === 'Secret') return undefined;
    const all = this.lines(f.location.file);
    if (!all || line > all.length) return undefined;
    const isBoundary = (s: string) => /^(---|\.\.\.)(\s|$)/.test(s);
    let first = line;
    while (first > 1 && line - first < CONTEXT && !isBoundary(all[first - 2]!)) first--;
    let last = line;
    while (last < all.length && last - line < CONTEXT && !isBoundary(all[last]!)) last++;
    const flagged = this.secretLines.get(f.location.file);
    const lines = all.slice(first - 1, last).map((text, i) => {
      const n = first + i;
      if (flagged?.has(n)) return `${/^\s*(- )?/.exec(text)![0]}${REDACTED}`;
      return redactText(text.length > 400 ? text.slice(0, 400) + '…' : text);
    });
    return { first, lines, hit: line };
  }
}

function snippetHtml(s: Snippet): string {
  const rows = s.lines.map((text, i) => {
    const n = s.first + i;
    return `<span${n === s.hit ? ' class="hit"' : ''}><i>${n}</i>${esc(text)}</span>`;
  });
  return `<pre class="snippet">${rows.join('')}</pre>`;
}

function namespaceOf(f: Finding): string {
  return f.resource.namespace ?? (f.resource.kind === 'Namespace' ? f.resource.name : '');
}

function findingItem(f: Finding, ctx: ReportContext, sources: Sources): string {
  const m = metaFor(ctx, f);
  const refs = referenceTags(m);
  const loc = where(f.location.file, f.location.line, f.location.column);
  const rendered = f.rendered ? ` <span class="muted">(rendered: ${esc(where(f.rendered.file, f.rendered.line, f.rendered.column))})</span>` : '';
  const snippet = sources.snippet(f);
  return (
    `<li class="f" data-sev="${f.severity}" data-rule="${esc(f.ruleId)}" data-ns="${esc(namespaceOf(f))}" data-where="${esc(`${resourceName(f)} ${f.location.file}`)}">` +
    `<span class="sev ${f.severity}">${f.severity}</span> <code>${esc(f.ruleId)}</code> ${esc(f.message)}` +
    `<div class="muted"><code>${esc(loc)}</code> <code>${esc(f.location.path || '/')}</code>${rendered}</div>` +
    (snippet ? snippetHtml(snippet) : '') +
    `<div class="fix"><b>Fix:</b> ${esc(m.remediation)}</div>` +
    (refs.length ? `<div class="refs muted">${esc(refs.join(' · '))}</div>` : '') +
    '</li>'
  );
}

const CAUSE_TEXT: Record<FindingGroup['cause'], string> = {
  workload: 'one pod template',
  'rbac-rule': 'one RBAC rule',
  rule: 'one rule on this object',
  single: '',
};

function countBars(values: Iterable<string>, limit: number): Bar[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([label, value]) => ({ label, value, cls: 'bar' }));
}

function* frameworkTags(f: Finding): Generator<string> {
  const r = f.references;
  if (r.cis.length) yield 'CIS Benchmark';
  if (r.nsa.length) yield 'NSA/CISA hardening';
  if (r.mitre.length) yield 'MITRE ATT&CK';
  if (r.pss) yield `Pod Security (${r.pss})`;
}

function overview(open: readonly Finding[], report: Parameters<Reporter>[0]): string[] {
  const s = report.summary;
  const groups = groupFindings(report.findings).filter((g) => !g.suppressed).length;
  const out = [
    '<section id="overview"><h2>Overview</h2>',
    '<div class="cards">',
    `<div class="card"><b>${s.findings}</b>findings</div>`,
    `<div class="card"><b>${groups}</b>to fix (by cause)</div>`,
    `<div class="card"><b>${s.resources}</b>resources in ${s.files} files</div>`,
    `<div class="card"><b>${s.suppressed}</b>suppressed</div>`,
    `<div class="card"><b>${s.notEvaluated}</b>not evaluated</div>`,
    '</div>',
  ];
  if (s.notEvaluated > 0) out.push('<p class="warn"><strong>Incomplete:</strong> some inputs were not evaluated (listed below). Findings cover only what could be read; the run exits 2.</p>');
  if (open.length) {
    out.push(
      '<div class="charts">',
      barChart('By severity', severityBars(s.bySeverity)),
      barChart('By family', countBars(open.map((f) => f.ruleId.split('/')[0] ?? f.ruleId), 10)),
      barChart('By framework', countBars(open.flatMap((f) => [...frameworkTags(f)]), 8)),
      '</div>',
    );
  }
  const ne = notEvaluated(report);
  if (ne.length) {
    out.push('<h3 id="not-evaluated">Not evaluated</h3>', '<ul>');
    for (const n of ne) out.push(`<li><code>${esc(where(n.file, n.line, n.column))}</code>: ${esc(n.message)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  return out;
}

function filters(open: readonly Finding[]): string {
  const rules = [...new Set(open.map((f) => f.ruleId))].sort();
  const namespaces = [...new Set(open.map(namespaceOf))].sort();
  const option = (v: string, label = v) => `<option value="${esc(v)}">${esc(label)}</option>`;
  return (
    '<form id="filters" role="search">' +
    `<fieldset><legend class="muted">Severity</legend>${SEVERITIES.map((s) => `<label><input type="checkbox" name="sev" value="${s}" checked> ${s}</label>`).join('')}</fieldset>` +
    `<label>Rule <select name="rule">${option('', 'all rules')}${rules.map((r) => option(r)).join('')}</select></label>` +
    `<label>Namespace <select name="ns">${option('', 'all namespaces')}${namespaces.map((n) => option(n, n || '(none / cluster)')).join('')}</select></label>` +
    '<input type="search" name="q" placeholder="Search findings, resources, files" aria-label="Search">' +
    `<span class="muted"><output id="shown">${open.length}</output> of ${open.length} shown</span>` +
    '</form>'
  );
}

/** The page's lines, in order: the findings are written one at a time, never as one string. */
function* parts(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<string> {
  const s = report.summary;
  const open = report.findings.filter((f) => !f.suppressed);
  const sources = new Sources(ctx.source, report.findings);
  const scriptHash = createHash('sha256').update(FILTER_SCRIPT).digest('base64');
  yield* [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No external requests of any kind; the one inline script is allowed by its hash only.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'">`,
    '<title>Rampart scan report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>Rampart scan report</h1>',
    `<p class="muted">${s.resources} resources in ${s.files} files · ${s.findings} findings · ${s.suppressed} suppressed · ${s.notEvaluated} not evaluated · ${s.skipped} skipped</p>`,
    ...overview(open, report),
  ];

  const rbac = rbacPictures(open);
  const paths = attackPathPictures(open);
  const matrix = netpolMatrix(open);
  if (paths.length) yield* ['<section id="attack-paths"><h2>Attack paths</h2><div class="pictures">', ...paths, '</div></section>'];
  if (rbac.length) {
    const subjects = new Set(open.filter((f) => f.ruleId === 'rbac/escalation-path').map((f) => String(f.details?.subject ?? f.message))).size;
    const more = subjects > rbac.length ? `<p class="muted">${rbac.length} of ${subjects} subjects drawn; every path is among the findings (rule <code>rbac/escalation-path</code>) and in <code>rampart rbac paths -f PATH</code>.</p>` : '';
    yield* ['<section id="rbac"><h2>RBAC escalation paths</h2><div class="pictures">', ...rbac, '</div>', more, '</section>'];
  }
  if (matrix) yield* ['<section id="netpol"><h2>NetworkPolicy</h2>', matrix, '<p class="muted">Pod-to-pod reachability in full: <code>rampart netpol PATH</code>.</p></section>'];

  if (open.length) {
    yield* ['<section id="findings"><h2>Findings</h2>', filters(open), '<p id="none-shown" class="muted" hidden>No finding matches the filters.</p>'];
    for (const b of resourceBlocks(report.findings)) {
      yield `<article class="resource"><header><span class="sev ${b.severity}">${b.severity}</span> <h3 style="display:inline">${esc(b.title)}</h3> <span class="muted">${esc(b.file || '(no file)')} · ${b.count} finding${b.count === 1 ? '' : 's'}</span></header>`;
      for (const g of b.groups) {
        const fs = g.findings.map((i) => report.findings[i]!);
        const head = g.cause === 'single' ? '' : `<p><b>${fs.length} findings, ${esc(CAUSE_TEXT[g.cause])}</b> <code class="muted">${esc(g.path || '/')}</code></p>`;
        yield `<div class="cause">${head}<ul class="findings">`;
        for (const f of fs) yield findingItem(f, ctx, sources);
        yield '</ul></div>';
      }
      yield '</article>';
    }
    yield '</section>';
  }
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    yield `<details><summary>${suppressed.length} suppressed findings</summary>`;
    yield '<table><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Where</th><th>Reason</th></tr></thead><tbody>';
    for (const f of suppressed) {
      yield (
        `<tr><td><span class="sev ${f.severity}">${f.severity}</span></td><td><code>${esc(f.ruleId)}</code></td><td>${esc(resourceName(f))}</td>` +
        `<td><code>${esc(where(f.location.file, f.location.line, f.location.column))}</code></td><td>${esc(f.suppression?.kind ?? '')}: ${esc(f.suppression?.reason ?? '')}</td></tr>`
      );
    }
    yield '</tbody></table></details>';
  }
  const notes = skippedNotes(report);
  if (notes.length) {
    yield `<details><summary>${notes.length} skipped inputs (not Kubernetes objects)</summary><ul>`;
    for (const n of notes) yield `<li><code>${esc(where(n.file, n.line))}</code>: ${esc(n.message)}</li>`;
    yield '</ul></details>';
  }
  yield `<p class="muted">rampart ${esc(report.tool.version)}</p>`;
  if (open.length) yield `<script>${FILTER_SCRIPT}</script>`;
  yield* ['</body>', '</html>', ''];
}

export const htmlReport: Reporter = Object.assign((report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => [...parts(report, ctx)].join('\n'), {
  chunks: (report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => joinedLines(parts(report, ctx)),
});
