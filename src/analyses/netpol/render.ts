// Text, JSON and HTML renderings of a connectivity matrix. Pure: matrix in, text out. Text and JSON
// are generators of pieces so that a caller can stream them: the connection list of a large
// cluster (millions of lines) is never held whole.
import type { Matrix } from './matrix.js';
import { classConnections, classViews, connections, fromExternalCell, lineOf, pairCounts, toExternalCell, workloadCell, type NamespaceSummary } from './matrix.js';
import { formatPorts, isAll } from './ports.js';
import { formatInterval } from './ip.js';

/** `workload`: one line per workload pair (np-guard's format); `class`: one line per pair of pod classes. */
export type MatrixGrouping = 'workload' | 'class';

export interface MatrixRenderOptions {
  namespaces?: NamespaceSummary[];
  group?: MatrixGrouping;
  /** Caveats that apply to the whole matrix, printed as `# note:` lines / a `notes` array. */
  notes?: string[];
}

function headerLines(m: Matrix, o: MatrixRenderOptions): string[] {
  const views = o.group === 'class' ? classViews(m) : undefined;
  const unit = views ? `${views.length} pod classes (pods every policy treats alike); one allowed connection per line (src => dst : ports), standing for every workload pair of the two classes` : 'one allowed connection per line (src => dst : ports)';
  const header = [`# ${m.workloads.length} workloads; ${unit}; absent pairs are denied`];
  for (const n of o.namespaces ?? []) {
    header.push(
      `# namespace ${n.namespace}: ${n.workloads} workload(s), ${n.ingressOpen} open for ingress, ${n.egressOpen} open for egress, ${n.reachableFromOtherNamespaces} reachable from other namespaces, ${n.reachableFromOutside} from outside${n.wideOpen ? ' — WIDE OPEN' : ''}`,
    );
  }
  for (const note of o.notes ?? []) header.push(`# note: ${note}`);
  for (const v of views ?? []) {
    const iso = (p: string[]) => (p.length ? `isolated by ${p.join(', ')}` : 'open');
    header.push(`# ${v.label}: ${v.workloads.length} workload(s), ${v.pods} pod(s); ingress ${iso(v.ingressPolicies)}; egress ${iso(v.egressPolicies)}: ${v.workloads.join(', ')}`);
  }
  return header;
}

/** The text matrix, one line (with its newline) at a time. */
export function* matrixTextLines(m: Matrix, o: MatrixRenderOptions = {}): Generator<string> {
  for (const h of headerLines(m, o)) yield h + '\n';
  let any = false;
  for (const c of o.group === 'class' ? classConnections(m) : connections(m)) {
    any = true;
    yield lineOf(c) + '\n';
  }
  if (!any) yield '# no allowed connections\n';
}

export function matrixText(m: Matrix, namespaces: NamespaceSummary[] = []): string {
  return [...matrixTextLines(m, { namespaces })].join('');
}

/**
 * The JSON matrix in pieces: the object without its connections (with `extra` fields such as
 * notes and errors), then the connections one by one. Concatenated, the pieces are one JSON document.
 */
export function* matrixJsonPieces(m: Matrix, o: MatrixRenderOptions = {}, extra: Record<string, unknown> = {}): Generator<string> {
  const views = o.group === 'class' ? classViews(m) : undefined;
  const head = {
    ...(views ? { grouping: 'class', classes: views.map(({ index: _index, ...v }) => v) } : {}),
    workloads: m.workloads.map((x) => ({ key: x.key, namespace: x.namespace, name: x.name, kind: x.kind, pods: x.pods.length })),
    external: { ingress: m.ingressAtoms.map(formatInterval), egress: m.egressAtoms.map(formatInterval) },
    summary: { workloads: m.workloads.length, ...(views ? { classes: views.length } : {}), ...pairCounts(m) },
    namespaces: o.namespaces ?? [],
    notes: o.notes ?? [],
    ...extra,
  };
  const text = JSON.stringify(head, null, 2);
  yield text.slice(0, text.lastIndexOf('}')).trimEnd() + ',\n  "connections": [';
  let first = true;
  for (const c of views ? classConnections(m, views) : connections(m)) {
    yield (first ? '\n    ' : ',\n    ') + JSON.stringify(c);
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}

export function matrixJson(m: Matrix, namespaces: NamespaceSummary[] = []): unknown {
  return JSON.parse([...matrixJsonPieces(m, { namespaces })].join(''));
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A self-contained HTML page: rows are sources, columns destinations; cells show the allowed ports. */
export function matrixHtml(m: Matrix, title = 'Rampart network policy matrix'): string {
  const ws = m.workloads;
  const cell = (id: number, self = false) => {
    if (self) return '<td class="self">—</td>';
    if (id === 0) return '<td class="deny" title="denied">✕</td>';
    const ps = m.table.get(id);
    const text = formatPorts(ps);
    return isAll(ps) ? `<td class="all" title="${esc(text)}">all</td>` : `<td class="some" title="${esc(text)}">${esc(text)}</td>`;
  };
  const cols = [...ws.map((x) => x.key), ...m.egressAtoms.map((a) => `${formatInterval(a)}[External]`)];
  const rows: string[] = [];
  for (const s of ws) {
    const cells = [];
    for (const d of ws) cells.push(cell(s === d ? 0 : workloadCell(m, s, d), s === d));
    for (let a = 0; a < m.egressAtoms.length; a++) cells.push(cell(toExternalCell(m, s, a)));
    rows.push(`<tr><th scope="row">${esc(s.key)}</th>${cells.join('')}</tr>`);
  }
  m.ingressAtoms.forEach((a, ai) => {
    const cells = [];
    for (const d of ws) cells.push(cell(fromExternalCell(m, ai, d)));
    for (let e = 0; e < m.egressAtoms.length; e++) cells.push('<td class="self">—</td>');
    rows.push(`<tr><th scope="row">${esc(formatInterval(a))}[External]</th>${cells.join('')}</tr>`);
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem}
table{border-collapse:collapse;font-size:12px}
th,td{border:1px solid #ccc;padding:2px 4px;white-space:nowrap}
thead th{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left}
td.all{background:#f8d7da}td.some{background:#fff3cd}td.deny{background:#d4edda;color:#555;text-align:center}td.self{background:#eee;text-align:center}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Rows are sources, columns destinations. <b>all</b>: every port and protocol allowed; ports listed: only those; ✕: denied. External rows and columns are IPv4 ranges outside the cluster (ipBlock semantics).</p>
<table><thead><tr><th>from \\ to</th>${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></body></html>
`;
}
