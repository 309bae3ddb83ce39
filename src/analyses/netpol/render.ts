// Text and HTML renderings of a connectivity matrix. Pure: matrix in, string out.
import type { Matrix } from './matrix.js';
import { connectionList, lineOf, type NamespaceSummary } from './matrix.js';
import { formatPorts, isAll } from './ports.js';
import { formatInterval } from './ip.js';

export function matrixText(m: Matrix, namespaces: NamespaceSummary[] = []): string {
  const lines = connectionList(m).map(lineOf);
  const header = [`# ${m.workloads.length} workloads; one allowed connection per line (src => dst : ports); absent pairs are denied`];
  for (const n of namespaces) {
    header.push(
      `# namespace ${n.namespace}: ${n.workloads} workload(s), ${n.ingressOpen} open for ingress, ${n.egressOpen} open for egress, ${n.reachableFromOtherNamespaces} reachable from other namespaces, ${n.reachableFromOutside} from outside${n.wideOpen ? ' — WIDE OPEN' : ''}`,
    );
  }
  return header.join('\n') + '\n' + (lines.length ? lines.join('\n') + '\n' : '# no allowed connections\n');
}

export function matrixJson(m: Matrix, namespaces: NamespaceSummary[] = []) {
  const conns = connectionList(m);
  const w = m.workloads.length;
  let open = 0;
  let some = 0;
  for (let s = 0; s < w; s++)
    for (let d = 0; d < w; d++) {
      if (s === d) continue;
      const id = m.cells[s * w + d]!;
      if (id === 0) continue;
      if (isAll(m.table.get(id))) open++;
      else some++;
    }
  return {
    workloads: m.workloads.map((x) => ({ key: x.key, namespace: x.namespace, name: x.name, kind: x.kind, pods: x.pods.length })),
    external: { ingress: m.ingressAtoms.map(formatInterval), egress: m.egressAtoms.map(formatInterval) },
    summary: { workloads: w, pairs: w * (w - 1), allowedAllPorts: open, allowedSomePorts: some, denied: w * (w - 1) - open - some },
    namespaces,
    connections: conns,
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A self-contained HTML page: rows are sources, columns destinations; cells show the allowed ports. */
export function matrixHtml(m: Matrix, title = 'Rampart network policy matrix'): string {
  const w = m.workloads.length;
  const cell = (id: number, self = false) => {
    if (self) return '<td class="self">—</td>';
    if (id === 0) return '<td class="deny" title="denied">✕</td>';
    const ps = m.table.get(id);
    const text = formatPorts(ps);
    return isAll(ps) ? `<td class="all" title="${esc(text)}">all</td>` : `<td class="some" title="${esc(text)}">${esc(text)}</td>`;
  };
  const cols = [...m.workloads.map((x) => x.key), ...m.egressAtoms.map((a) => `${formatInterval(a)}[External]`)];
  const rows: string[] = [];
  for (let s = 0; s < w; s++) {
    const cells = [];
    for (let d = 0; d < w; d++) cells.push(cell(m.cells[s * w + d]!, s === d));
    for (let a = 0; a < m.egressAtoms.length; a++) cells.push(cell(m.toExternal[s * m.egressAtoms.length + a]!));
    rows.push(`<tr><th scope="row">${esc(m.workloads[s]!.key)}</th>${cells.join('')}</tr>`);
  }
  m.ingressAtoms.forEach((a, ai) => {
    const cells = [];
    for (let d = 0; d < w; d++) cells.push(cell(m.fromExternal[ai * w + d]!));
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
