// Workload × workload connectivity, computed with precomputed peer matches and interned port sets
// so that thousands of pods stay fast. Semantics are NetpolEngine's; this is the bulk form.
import type { PodInfo } from './cluster.js';
import type { NetpolEngine } from './engine.js';
import type { Direction, Policy, PolicyRule } from './policy.js';
import { formatPorts, PortSetTable } from './ports.js';
import { atoms, formatInterval, type IpInterval } from './ip.js';

export interface Workload {
  key: string;
  namespace: string;
  name: string;
  kind: string;
  /** Indices into engine.pods. */
  pods: number[];
}

export interface Matrix {
  workloads: Workload[];
  table: PortSetTable;
  /** n×n port-set ids, row = source workload, column = destination; 0 = nothing allowed. Diagonal unused. */
  cells: Uint32Array;
  /** Address-space pieces that ingress ipBlocks treat differently (IPv4): split at the edges of each block's allowed ranges. */
  ingressAtoms: IpInterval[];
  egressAtoms: IpInterval[];
  /** atoms × n: from each ingress atom to each workload. */
  fromExternal: Uint32Array;
  /** n × atoms: from each workload to each egress atom. */
  toExternal: Uint32Array;
}

interface CompiledRule {
  /** null: matches every pod. */
  pods: Uint8Array | null;
  /** Per atom: matches that external piece. */
  external: Uint8Array;
  /** Port-set id when it does not depend on the destination; -1 when it has named ports. */
  fixedPorts: number;
  rule: PolicyRule;
}

export function groupWorkloads(pods: readonly PodInfo[]): Workload[] {
  const byKey = new Map<string, Workload>();
  pods.forEach((p, i) => {
    let w = byKey.get(p.key);
    if (!w) {
      w = { key: p.key, namespace: p.namespace, name: p.name, kind: p.kind, pods: [] };
      byKey.set(p.key, w);
    }
    w.pods.push(i);
  });
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function ipBounds(policies: readonly Policy[], dir: Direction): IpInterval[] {
  const out: IpInterval[] = [];
  for (const p of policies) {
    if (!p.types[dir]) continue;
    for (const r of dir === 'ingress' ? p.ingress : p.egress) {
      if (r.peers === 'all') continue;
      for (const peer of r.peers) if (peer.kind === 'ipBlock') out.push(...peer.ranges);
    }
  }
  return out;
}

export function computeMatrix(engine: NetpolEngine): Matrix {
  const pods = engine.pods;
  const n = pods.length;
  const table = new PortSetTable();
  const workloads = groupWorkloads(pods);
  const groupOf = new Int32Array(n);
  workloads.forEach((w, gi) => w.pods.forEach((p) => (groupOf[p] = gi)));
  const ingressAtoms = atoms(ipBounds(engine.policies, 'ingress'));
  const egressAtoms = atoms(ipBounds(engine.policies, 'egress'));

  const podsByNs = new Map<string, number[]>();
  pods.forEach((p, i) => {
    const a = podsByNs.get(p.namespace);
    if (a) a.push(i);
    else podsByNs.set(p.namespace, [i]);
  });

  const compile = (policy: Policy, rule: PolicyRule, dir: Direction): CompiledRule => {
    const atomList = dir === 'ingress' ? ingressAtoms : egressAtoms;
    const external = new Uint8Array(atomList.length);
    let podMatch: Uint8Array | null = null;
    if (rule.peers === 'all') external.fill(1);
    else {
      podMatch = new Uint8Array(n);
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          atomList.forEach((a, i) => {
            if (engine.peerMatches(peer, policy, { kind: 'external', range: a })) external[i] = 1;
          });
          continue;
        }
        const candidates = peer.namespaceSelector === undefined ? (podsByNs.get(policy.namespace) ?? []) : null;
        if (candidates) {
          for (const i of candidates) if (!podMatch[i] && engine.peerMatches(peer, policy, { kind: 'pod', pod: pods[i]! })) podMatch[i] = 1;
        } else {
          for (let i = 0; i < n; i++) if (!podMatch[i] && engine.peerMatches(peer, policy, { kind: 'pod', pod: pods[i]! })) podMatch[i] = 1;
        }
      }
    }
    const named = rule.ports !== 'all' && rule.ports.some((s) => typeof s.port === 'string');
    return { pods: podMatch, external, fixedPorts: named ? -1 : table.id(engine.resolvePorts(rule, undefined)), rule };
  };

  // Per pod: the compiled rules of the policies that select it, per direction (undefined = not isolated).
  const compiled = new Map<PolicyRule, CompiledRule>();
  const rulesOf = (pod: PodInfo, dir: Direction): CompiledRule[] | undefined => {
    const sel = engine.selecting(pod, dir);
    if (sel.length === 0) return undefined;
    const out: CompiledRule[] = [];
    for (const p of sel)
      for (const r of dir === 'ingress' ? p.ingress : p.egress) {
        let c = compiled.get(r);
        if (!c) {
          c = compile(p, r, dir);
          compiled.set(r, c);
        }
        out.push(c);
      }
    return out;
  };
  const ingressRules = pods.map((p) => rulesOf(p, 'ingress'));
  const egressRules = pods.map((p) => rulesOf(p, 'egress'));

  const namedCache = new Map<CompiledRule, Int32Array>();
  const portsFor = (c: CompiledRule, dst: number): number => {
    if (c.fixedPorts >= 0) return c.fixedPorts;
    let cache = namedCache.get(c);
    if (!cache) {
      cache = new Int32Array(n).fill(-1);
      namedCache.set(c, cache);
    }
    if (cache[dst]! < 0) cache[dst] = table.id(engine.resolvePorts(c.rule, pods[dst]));
    return cache[dst]!;
  };

  const w = workloads.length;
  const cells = new Uint32Array(w * w);
  for (let s = 0; s < n; s++) {
    const eg = egressRules[s];
    const gs = groupOf[s]!;
    for (let d = 0; d < n; d++) {
      const gd = groupOf[d]!;
      if (gs === gd) continue;
      let e = 1;
      if (eg) {
        e = 0;
        for (const c of eg) if (c.pods === null || c.pods[d]) e = table.union(e, portsFor(c, d));
        if (e === 0) continue;
      }
      const ig = ingressRules[d];
      let i = 1;
      if (ig) {
        i = 0;
        for (const c of ig) if (c.pods === null || c.pods[s]) i = table.union(i, portsFor(c, d));
        if (i === 0) continue;
      }
      const conn = table.intersect(e, i);
      if (conn !== 0) cells[gs * w + gd] = table.union(cells[gs * w + gd]!, conn);
    }
  }

  const fromExternal = new Uint32Array(ingressAtoms.length * w);
  for (let d = 0; d < n; d++) {
    const ig = ingressRules[d];
    const gd = groupOf[d]!;
    for (let a = 0; a < ingressAtoms.length; a++) {
      let i = 1;
      if (ig) {
        i = 0;
        for (const c of ig) if (c.external[a]) i = table.union(i, portsFor(c, d));
      }
      fromExternal[a * w + gd] = table.union(fromExternal[a * w + gd]!, i);
    }
  }
  const toExternal = new Uint32Array(w * egressAtoms.length);
  for (let s = 0; s < n; s++) {
    const eg = egressRules[s];
    const gs = groupOf[s]!;
    for (let a = 0; a < egressAtoms.length; a++) {
      let e = 1;
      if (eg) {
        e = 0;
        // Named ports cannot be resolved outside the cluster: only numeric ports count.
        for (const c of eg) if (c.external[a]) e = table.union(e, c.fixedPorts >= 0 ? c.fixedPorts : table.id(engine.resolvePorts(c.rule, undefined)));
      }
      toExternal[gs * egressAtoms.length + a] = table.union(toExternal[gs * egressAtoms.length + a]!, e);
    }
  }
  return { workloads, table, cells, ingressAtoms, egressAtoms, fromExternal, toExternal };
}

/** The same matrix limited to some workloads (rows and columns); answers are unchanged, only the view shrinks. */
export function restrictMatrix(m: Matrix, keep: (w: Workload) => boolean): Matrix {
  const idx = m.workloads.map((w, i) => (keep(w) ? i : -1)).filter((i) => i >= 0);
  const n = m.workloads.length;
  const k = idx.length;
  const cells = new Uint32Array(k * k);
  idx.forEach((s, si) => idx.forEach((d, di) => (cells[si * k + di] = m.cells[s * n + d]!)));
  const fromExternal = new Uint32Array(m.ingressAtoms.length * k);
  m.ingressAtoms.forEach((_, a) => idx.forEach((d, di) => (fromExternal[a * k + di] = m.fromExternal[a * n + d]!)));
  const e = m.egressAtoms.length;
  const toExternal = new Uint32Array(k * e);
  idx.forEach((s, si) => {
    for (let a = 0; a < e; a++) toExternal[si * e + a] = m.toExternal[s * e + a]!;
  });
  return { ...m, workloads: idx.map((i) => m.workloads[i]!), cells, fromExternal, toExternal };
}

export interface Connection {
  from: string;
  to: string;
  /** np-guard spelling of the allowed ports. */
  connections: string;
}

/** Allowed connections as np-guard `list` lines (`src => dst : conns`), sorted, without self pairs. */
export function connectionList(m: Matrix): Connection[] {
  const out: Connection[] = [];
  const w = m.workloads.length;
  const formatted: string[] = [];
  const fmt = (id: number) => (formatted[id] ??= formatPorts(m.table.get(id)));
  for (let s = 0; s < w; s++)
    for (let d = 0; d < w; d++) {
      const id = m.cells[s * w + d]!;
      if (s !== d && id !== 0) out.push({ from: m.workloads[s]!.key, to: m.workloads[d]!.key, connections: fmt(id) });
    }
  m.ingressAtoms.forEach((a, ai) => {
    const from = `${formatInterval(a)}[External]`;
    for (let d = 0; d < w; d++) {
      const id = m.fromExternal[ai * w + d]!;
      if (id !== 0) out.push({ from, to: m.workloads[d]!.key, connections: fmt(id) });
    }
  });
  m.egressAtoms.forEach((a, ai) => {
    const to = `${formatInterval(a)}[External]`;
    for (let s = 0; s < w; s++) {
      const id = m.toExternal[s * m.egressAtoms.length + ai]!;
      if (id !== 0) out.push({ from: m.workloads[s]!.key, to, connections: fmt(id) });
    }
  });
  // Lines sort as np-guard's do (plain string order). Peer names end in `]` and contain no other
  // `]`, so no name is a prefix of another: ordering by (from, to) equals ordering the whole lines.
  const names = [...new Set(out.flatMap((c) => [c.from, c.to]))].sort(cmp);
  const rank = new Map(names.map((n, i) => [n, i]));
  const r = names.length;
  return out
    .map((c) => ({ k: rank.get(c.from)! * r + rank.get(c.to)!, c }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.c);
}

export function lineOf(c: Connection): string {
  return `${c.from} => ${c.to} : ${c.connections}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface NamespaceSummary {
  namespace: string;
  workloads: number;
  /** Workloads no policy isolates for ingress / egress (all traffic allowed in that direction). */
  ingressOpen: number;
  egressOpen: number;
  /** Workloads some workload of another namespace can reach. */
  reachableFromOtherNamespaces: number;
  /** Workloads some address outside the cluster can reach. */
  reachableFromOutside: number;
  /** True when every workload of the namespace is open for ingress: the namespace is wide open. */
  wideOpen: boolean;
}

/** Per namespace: how many workloads are open, and how many other namespaces or the outside can reach. */
export function namespaceSummary(engine: NetpolEngine, m: Matrix): NamespaceSummary[] {
  const w = m.workloads.length;
  const byNs = new Map<string, number[]>();
  m.workloads.forEach((x, i) => {
    const a = byNs.get(x.namespace);
    if (a) a.push(i);
    else byNs.set(x.namespace, [i]);
  });
  const out: NamespaceSummary[] = [];
  for (const [ns, idx] of [...byNs.entries()].sort(([a], [b]) => cmp(a, b))) {
    let ingressOpen = 0;
    let egressOpen = 0;
    let fromOther = 0;
    let fromOutside = 0;
    for (const d of idx) {
      const pods = m.workloads[d]!.pods.map((p) => engine.pods[p]!);
      if (pods.some((p) => engine.selecting(p, 'ingress').length === 0)) ingressOpen++;
      if (pods.some((p) => engine.selecting(p, 'egress').length === 0)) egressOpen++;
      let other = false;
      for (let s = 0; s < w && !other; s++) if (m.workloads[s]!.namespace !== ns && m.cells[s * w + d] !== 0) other = true;
      if (other) fromOther++;
      let outside = false;
      for (let a = 0; a < m.ingressAtoms.length && !outside; a++) if (m.fromExternal[a * w + d] !== 0) outside = true;
      if (outside) fromOutside++;
    }
    out.push({ namespace: ns, workloads: idx.length, ingressOpen, egressOpen, reachableFromOtherNamespaces: fromOther, reachableFromOutside: fromOutside, wideOpen: ingressOpen === idx.length });
  }
  return out;
}
