// Text, JSON, Graphviz dot and Mermaid views of an attack-path analysis. Pure: data in, text out.
import type { AttackGraph, Edge, NotEvaluated } from './graph.js';
import type { PathAnalysis } from './choke.js';
import { pathKey } from './baseline.js';

const at = (e: { file: string; line: number }) => `${e.file}:${e.line}`;

function stepText(e: Edge, g: AttackGraph, n: number): string[] {
  const lines = [`  ${n}. ${g.nodes.get(e.from)?.label ?? e.from} → ${g.nodes.get(e.to)?.label ?? e.to} [${e.kind}]: ${e.description}`];
  for (const ev of e.evidence) lines.push(`       at ${at(ev)} (${ev.resource} ${ev.path || '/'})`);
  lines.push(e.cut ? `       cut: ${e.cut.action} (${e.cut.rule}, ${at(e.cut)})` : '       cut: no single line removes this step');
  return lines;
}

export function pathsText(g: AttackGraph, a: PathAnalysis, shown = 20): string {
  const out: string[] = [];
  if (a.paths.length === 0) out.push('No attack path from the internet to cluster-admin or all secrets.');
  else {
    out.push(`${a.paths.length}${a.truncated ? '+' : ''} attack path(s) from the internet (shortest first):`);
    a.paths.slice(0, shown).forEach((p, i) => {
      out.push('', `Path ${i + 1} → ${p.target} (${p.edges.length} steps, cost ${p.cost}):`);
      p.edges.forEach((e, j) => out.push(...stepText(e, g, j + 1)));
    });
    if (a.paths.length > shown) out.push('', `... ${a.paths.length - shown} more (-o json lists them all)`);
    out.push('', a.chokePoints.length ? `Choke points (${a.chokePoints.length} change(s) cut every path):` : 'No set of single-line changes cuts every path.');
    for (const c of a.chokePoints) out.push(`  - ${c.action} (${at(c)}, ${c.rule}) to cut ${c.cuts} of ${c.of} paths`);
    for (const t of a.uncuttable) out.push(`  ! some path to ${t} has no step a single-line change removes`);
  }
  out.push(...notEvaluatedLines(g.notEvaluated));
  return out.join('\n') + '\n';
}

export function notEvaluatedLines(list: readonly NotEvaluated[]): string[] {
  return list.length ? ['', `Not evaluated (${list.length}): paths may be missing or wrong here`, ...list.map((n) => `  ${at(n)}: ${n.resource}: ${n.reason}`)] : [];
}

export function pathsJson(g: AttackGraph, a: PathAnalysis): unknown {
  return {
    summary: { paths: a.paths.length, truncated: a.truncated, chokePoints: a.chokePoints.length, uncuttable: a.uncuttable, notEvaluated: g.notEvaluated.length },
    paths: a.paths.map((p) => ({ target: p.target, key: pathKey(p), cost: p.cost, steps: p.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, description: e.description, evidence: e.evidence, ...(e.cut ? { cut: e.cut } : {}) })) })),
    chokePoints: a.chokePoints,
    notEvaluated: g.notEvaluated,
  };
}

/** The subgraph the listed paths use (the whole graph would draw every pod pair). */
function usedEdges(a: PathAnalysis): Edge[] {
  const seen = new Set<Edge>();
  for (const p of a.paths) for (const e of p.edges) seen.add(e);
  return [...seen];
}

const dotQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function pathsDot(g: AttackGraph, a: PathAnalysis): string {
  const edges = usedEdges(a);
  const ids = new Set(edges.flatMap((e) => [e.from, e.to]));
  const chosen = new Set(a.chokePoints.map((c) => `${c.file}:${c.line}:${c.path}`));
  const lines = ['digraph attack_paths {', '  rankdir=LR;'];
  for (const id of ids) {
    const n = g.nodes.get(id);
    const shape = n?.kind === 'target' ? 'doubleoctagon' : n?.kind === 'internet' ? 'cloud' : n?.kind === 'serviceaccount' ? 'note' : 'box';
    lines.push(`  ${dotQuote(id)} [label=${dotQuote(n?.label ?? id)}, shape=${shape}];`);
  }
  for (const e of edges) {
    const cut = e.cut && chosen.has(`${e.cut.file}:${e.cut.line}:${e.cut.path}`);
    lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)} [label=${dotQuote(e.kind)}${cut ? ', color=red, style=dashed' : ''}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function pathsMermaid(g: AttackGraph, a: PathAnalysis): string {
  const edges = usedEdges(a);
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const short = new Map(ids.map((id, i) => [id, `n${i}`]));
  const label = (s: string) => s.replace(/["<>]/g, "'");
  const lines = ['flowchart LR'];
  for (const id of ids) lines.push(`  ${short.get(id)}["${label(g.nodes.get(id)?.label ?? id)}"]`);
  for (const e of edges) lines.push(`  ${short.get(e.from)} -->|${e.kind}${e.cut ? '' : ' (no cut)'}| ${short.get(e.to)}`);
  return lines.join('\n') + '\n';
}
