// Ranked attack paths (internet → target) and choke points: a minimum cut over the edges a fix
// can remove (unit capacity each; steps no single line removes cannot be cut), found exactly with
// max-flow (Edmonds–Karp), then each chosen fix ranked by how many of the listed paths it removes.
import { cutKey, INTERNET, isHopNode, TARGETS, targetId, withFixKey, type AttackGraph, type Cut, type Edge, type TargetName } from './graph.js';

export interface AttackPath {
  target: TargetName;
  cost: number;
  edges: Edge[];
}

export interface ChokePoint extends Cut {
  /** Paths (among those listed) that contain a step this fix removes. */
  cuts: number;
  of: number;
}

export interface PathAnalysis {
  paths: AttackPath[];
  /** True when more simple paths exist than were listed. */
  truncated: boolean;
  chokePoints: ChokePoint[];
  /** Targets reachable only through steps no fix removes: no cut exists. */
  uncuttable: TargetName[];
}

export interface PathOptions {
  targets?: TargetName[];
  /** Most paths listed (simple paths, cheapest first). */
  maxPaths?: number;
  /** Longest path in steps. */
  maxSteps?: number;
  /** Paths costing up to the cheapest + slack are listed (longer detours add nothing to fix). */
  slack?: number;
  /** Edges looked at per target before the listing is cut short (marked truncated). */
  budget?: number;
  /**
   * Only the first choke point (the one the full list would rank first) instead of all of them. A
   * choke point's rank reads its file and line, and locating one re-reads its document: the scan
   * rule shows one, and a large input has dozens of tied ones.
   */
  firstChokePointOnly?: boolean;
}


/** The edges leaving each node (backwards: entering it); one table per direction serves every search of an analysis. */
function edgesBy(g: AttackGraph, backwards: boolean): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const e of g.edges) {
    const k = backwards ? e.to : e.from;
    const a = out.get(k);
    if (a) a.push(e);
    else out.set(k, [e]);
  }
  return out;
}

/** Cheapest cost from every node to `goal` (backward Dijkstra; weights are small integers, so a bucket queue). */
function costToGoal(back: Map<string, Edge[]>, goal: string): Map<string, number> {
  const dist = new Map([[goal, 0]]);
  const buckets: string[][] = [[goal]];
  for (let d = 0; d < buckets.length; d++)
    for (const n of buckets[d] ?? []) {
      if (dist.get(n) !== d) continue;
      for (const e of back.get(n) ?? []) {
        const nd = d + e.weight;
        if (nd < (dist.get(e.from) ?? Infinity)) {
          dist.set(e.from, nd);
          (buckets[nd] ??= []).push(e.from);
        }
      }
    }
  return dist;
}

/**
 * Simple paths from the internet to one target costing at most the cheapest + `slack`, cheapest
 * branches first. Every prefix explored can still finish within the bound (the remaining cost is
 * known), and the search stops after `budget` expansions: both keep dense graphs (many pods that
 * all reach each other) from exploding.
 */
function simplePaths(g: AttackGraph, out: Map<string, Edge[]>, back: Map<string, Edge[]>, target: TargetName, o: Required<Omit<PathOptions, 'targets' | 'firstChokePointOnly'>>, merged: Map<string, Edge>): { paths: AttackPath[]; truncated: boolean } {
  const goal = targetId(target);
  const dist = costToGoal(back, goal);
  const paths: AttackPath[] = [];
  let truncated = false;
  const best = dist.get(INTERNET);
  if (best === undefined) return { paths, truncated };
  const bound = best + o.slack;
  let budget = o.budget;
  const onPath = new Set<string>([INTERNET]);
  const stack: Edge[] = [];
  let steps = 0;
  const walk = (at: string, cost: number): void => {
    // A node with a direct step to the target ends the path there: detours past it are not new routes.
    const all = out.get(at) ?? [];
    // Every edge looked at counts against the budget (dense nodes have thousands).
    budget -= all.length;
    const direct = all.filter((e) => e.to === goal);
    const next = (direct.length ? direct : all).filter((e) => !onPath.has(e.to) && cost + e.weight + (dist.get(e.to) ?? Infinity) <= bound && (e.to === goal || !e.to.startsWith('target:')));
    next.sort((a, b) => a.weight + dist.get(a.to)! - (b.weight + dist.get(b.to)!));
    for (const e of next) {
      if (truncated) return;
      if (--budget < 0 || paths.length >= o.maxPaths) {
        truncated = true;
        return;
      }
      stack.push(e);
      const step = isHopNode(e.to) ? 0 : 1;
      steps += step;
      if (e.to === goal) paths.push({ target, cost: cost + e.weight, edges: shown(g, stack, merged) });
      else if (steps < o.maxSteps) {
        onPath.add(e.to);
        walk(e.to, cost + e.weight);
        onPath.delete(e.to);
      }
      steps -= step;
      stack.pop();
    }
  };
  walk(INTERNET, 0);
  return { paths, truncated };
}

/**
 * The steps of a path as shown: a lateral hop through NetworkPolicy class nodes (a → out → in → b)
 * becomes one step a → b with the cut and evidence of its last edge. One object per hop, so views
 * that collect the edges paths use see each hop once.
 */
function shown(g: AttackGraph, stack: readonly Edge[], merged: Map<string, Edge>): Edge[] {
  const out: Edge[] = [];
  for (let i = 0; i < stack.length; i++) {
    const e = stack[i]!;
    if (!isHopNode(e.to)) {
      out.push(e);
      continue;
    }
    let j = i;
    while (j + 1 < stack.length && isHopNode(stack[j]!.to)) j++;
    const last = stack[j]!;
    const pair = stack.slice(i, j).find((x) => isHopNode(x.from));
    const key = `${e.from}\u0000${last.to}\u0000${pair?.from}\u0000${pair?.to}`;
    let hop = merged.get(key);
    if (!hop) {
      const label = (id: string) => g.nodes.get(id)?.label ?? id;
      hop = { from: e.from, to: last.to, kind: 'lateral', weight: stack.slice(i, j + 1).reduce((s, x) => s + x.weight, 0), description: `${label(e.from)} can connect to ${label(last.to)} (${pair?.description ?? 'allowed'})`, evidence: last.evidence, ...(last.cut ? { cut: last.cut } : {}) };
      merged.set(key, hop);
    }
    out.push(hop);
    i = j;
  }
  return out;
}

/** A graph's edges backwards and what the internet reaches: the same for every cut of one analysis. */
interface Reach {
  backward: Map<string, Edge[]>;
  from: Set<string>;
}

function reachOf(g: AttackGraph, out = edgesBy(g, false), back = edgesBy(g, true)): Reach {
  return { backward: back, from: reachable([INTERNET], out, false) };
}

/** Nodes reachable from `starts` over edge tables (backwards: the nodes that reach them). */
function reachable(starts: string[], by: Map<string, Edge[]>, backwards: boolean): Set<string> {
  const seen = new Set(starts);
  const stack = [...starts];
  while (stack.length) {
    const list = by.get(stack.pop()!);
    if (list)
      for (const e of list) {
        const t = backwards ? e.from : e.to;
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
      }
  }
  return seen;
}

const INF = Number.MAX_SAFE_INTEGER;
/** Capacity of one fix (divisible by the number of edges it removes). */
const UNIT = 720_720;

/**
 * Dinic's residual network: arcs as linked lists per node (head/next), their ends and capacities; BFS
 * levels, each node's next arc to try, and the BFS queue. Module functions over one object, not
 * closures made per minCut call (each call's new closures were optimised and deoptimised again).
 */
interface FlowNet {
  head: Int32Array;
  next: Int32Array;
  dest: Int32Array;
  cap: Float64Array;
  level: Int32Array;
  it: Int32Array;
  queue: Int32Array;
  sink: number;
}

/** BFS levels from the internet (node 0) over arcs with capacity left; whether the sink is reached. */
function levels(net: FlowNet): boolean {
  const { head, next, dest, cap, level, queue } = net;
  level.fill(-1);
  level[0] = 0;
  let qh = 0;
  let qt = 0;
  queue[qt++] = 0;
  while (qh < qt) {
    const u = queue[qh++]!;
    for (let a = head[u]!; a !== -1; a = next[a]!)
      if (cap[a]! > 0 && level[dest[a]!]! < 0) {
        level[dest[a]!] = level[u]! + 1;
        queue[qt++] = dest[a]!;
      }
  }
  return level[net.sink]! >= 0;
}

/** One augmenting path from `u` along increasing levels, at most `f`: the flow pushed (0: none). */
function augment(net: FlowNet, u: number, f: number): number {
  if (u === net.sink) return f;
  const { next, dest, cap, level, it } = net;
  for (; it[u] !== -1; it[u] = next[it[u]!]!) {
    const a = it[u]!;
    const v = dest[a]!;
    if (cap[a]! <= 0 || level[v] !== level[u]! + 1) continue;
    const d = augment(net, v, Math.min(f, cap[a]!));
    if (d > 0) {
      cap[a] = cap[a]! - d;
      cap[a ^ 1] = cap[a ^ 1]! + d;
      return d;
    }
  }
  return 0;
}

/**
 * Minimum set of fixes separating the internet from the targets: max-flow (Dinic) with one unit of
 * capacity per fix and infinity on edges no fix removes, over the nodes that lie on some internet →
 * target path (flow never leaves them, and the cut is the same).
 * Returns undefined when every separating set needs an uncuttable edge.
 */
export function minCut(g: AttackGraph, targets: TargetName[], reach: Reach = reachOf(g)): Cut[] | undefined {
  const goals = targets.map(targetId);
  const from = reach.from;
  const to = reachable(goals, reach.backward, true);
  const ids = new Map<string, number>([[INTERNET, 0]]);
  const idOf = (n: string) => ids.get(n) ?? (ids.set(n, ids.size), ids.size - 1);
  const relevant = g.edges.filter((e) => from.has(e.from) && to.has(e.to) && from.has(e.to) && to.has(e.from));
  for (const e of relevant) (idOf(e.from), idOf(e.to));
  const sink = ids.size;
  const n = sink + 1;
  const arcCount = 2 * (relevant.length + goals.length);
  const head = new Int32Array(n).fill(-1);
  const next = new Int32Array(arcCount);
  const dest = new Int32Array(arcCount);
  const cap = new Float64Array(arcCount);
  const cuts: (Cut | undefined)[] = new Array(arcCount);
  let arcs = 0;
  // An arc and its residual twin (index ^ 1).
  const addArc = (u: number, v: number, c: number, cut?: Cut) => {
    cuts[arcs] = cut;
    dest[arcs] = v;
    cap[arcs] = c;
    next[arcs] = head[u]!;
    head[u] = arcs++;
    dest[arcs] = u;
    cap[arcs] = 0;
    next[arcs] = head[v]!;
    head[v] = arcs++;
  };
  // A fix that removes k edges (one Service exposing k workloads) costs 1/k per edge, so the whole fix
  // costs one unit: exact when no fix is shared, a close approximation otherwise (that problem is NP-hard).
  const keys = relevant.map((e) => (e.cut ? cutKey(e.cut) : ''));
  const shared = new Map<string, number>();
  for (const k of keys) if (k) shared.set(k, (shared.get(k) ?? 0) + 1);
  relevant.forEach((e, i) => addArc(ids.get(e.from)!, ids.get(e.to)!, e.cut ? Math.max(1, Math.round(UNIT / shared.get(keys[i]!)!)) : INF, e.cut));
  for (const t of goals) if (ids.has(t)) addArc(ids.get(t)!, sink, INF);
  const net: FlowNet = { head, next, dest, cap, level: new Int32Array(n), it: new Int32Array(n), queue: new Int32Array(n), sink };
  const level = net.level;
  let flow = 0;
  while (levels(net)) {
    net.it.set(head);
    for (let f = augment(net, 0, INF); f > 0; f = augment(net, 0, INF)) {
      if (f >= INF) return undefined;
      flow += f;
      if (flow >= INF) return undefined;
    }
  }
  // The cut: saturated cuttable arcs from the internet's residual side to the other side (the last BFS marked that side).
  const out = new Map<string, Cut>();
  for (let u = 0; u < n; u++) {
    if (level[u]! < 0) continue;
    for (let a = head[u]!; a !== -1; a = next[a]!) if ((a & 1) === 0 && cuts[a] && level[dest[a]!]! < 0) out.set(cutKey(cuts[a]!), cuts[a]!);
  }
  return [...out.values()];
}

export function analysePaths(g: AttackGraph, options: PathOptions = {}): PathAnalysis {
  const targets = options.targets ?? TARGETS;
  const out = edgesBy(g, false);
  const back = edgesBy(g, true);
  const paths: AttackPath[] = [];
  let truncated = false;
  const merged = new Map<string, Edge>();
  for (const t of targets) {
    const r = simplePaths(g, out, back, t, { maxPaths: options.maxPaths ?? 1000, maxSteps: options.maxSteps ?? 12, slack: options.slack ?? 2, budget: options.budget ?? 2_000_000 }, merged);
    paths.push(...r.paths);
    truncated ||= r.truncated;
  }
  paths.sort((a, b) => a.cost - b.cost || a.edges.length - b.edges.length || TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
  const uncuttable: TargetName[] = [];
  const chosen = new Map<string, Cut>();
  let reach: Reach | undefined;
  for (const t of targets) {
    if (!paths.some((p) => p.target === t)) continue;
    const cut = minCut(g, [t], (reach ??= reachOf(g, out, back)));
    if (!cut) uncuttable.push(t);
    else for (const c of cut) chosen.set(cutKey(c), c);
  }
  // One cut for all targets when it exists (the union of per-target cuts may be larger than needed).
  // With one target reached, that cut is the one just made (the scan rule asks for cluster-admin only).
  const reachedTargets = targets.filter((t) => paths.some((p) => p.target === t));
  const joint = uncuttable.length === 0 && chosen.size > 0 && reachedTargets.length > 1 ? minCut(g, reachedTargets, reach) : undefined;
  const cuts = joint && joint.length <= chosen.size ? joint : [...chosen.values()];
  // The fixes each path contains, read once per path (not once per path and choke point).
  const fixesOf = paths.map((p) => new Set(p.edges.flatMap((e) => (e.cut ? [cutKey(e.cut)] : []))));
  const counted = cuts.map((c) => {
    const k = cutKey(c);
    return { c, cuts: fixesOf.filter((f) => f.has(k)).length };
  });
  // The first of the full ranking is among those that cut the most: only they are located then.
  const most = counted.reduce((m, x) => Math.max(m, x.cuts), -1);
  const ranked = (options.firstChokePointOnly ? counted.filter((x) => x.cuts === most) : counted)
    .map(({ c, cuts }) => withFixKey(c, { ...c, cuts, of: paths.length }))
    .sort((a, b) => b.cuts - a.cuts || a.file.localeCompare(b.file) || a.line - b.line);
  return { paths, truncated, chokePoints: options.firstChokePointOnly ? ranked.slice(0, 1) : ranked, uncuttable };
}
