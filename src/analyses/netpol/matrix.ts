// Workload × workload connectivity at cluster scale. Pods that every policy treats alike (the same
// selecting rules in each direction, the same policy peers matching them, the same numbers behind
// the named ports policies use) form one class; the matrix is computed between classes, sparsely
// from the rules' peer lists, and expanded to workloads only while the connection list streams out.
// Semantics are NetpolEngine's; this is the bulk form.
import { selectorMatches } from '../../model/index.js';
import type { PodInfo } from './cluster.js';
import type { NetpolEngine } from './engine.js';
import type { Direction, Peer, Policy, PolicyRule } from './policy.js';
import { formatPorts, isAll, PortSetTable } from './ports.js';
import { atoms, formatInterval, type IpInterval } from './ip.js';

export interface Workload {
  key: string;
  namespace: string;
  name: string;
  kind: string;
  /** Indices into engine.pods. */
  pods: number[];
  /** Classes of its pods (usually one). */
  classes: number[];
}

/** Pods every policy treats alike: any two of them have the same connections to and from every peer. */
export interface PodClass {
  /** Indices into engine.pods. */
  pods: number[];
  /** Sorted namespaces of its pods. */
  namespaces: string[];
  /** Policies that isolate its pods, per direction ([] = not isolated: everything allowed). */
  ingressPolicies: string[];
  egressPolicies: string[];
  ingressIsolated: boolean;
  egressIsolated: boolean;
}

export interface Matrix {
  /** The workloads shown (all of them, or a view from restrictMatrix), sorted by key. */
  workloads: Workload[];
  classes: PodClass[];
  table: PortSetTable;
  /** k×k port-set ids between classes, row = source class; 0 = nothing allowed. */
  cells: Uint32Array;
  /** Address-space pieces that ingress ipBlocks treat differently (IPv4): split at the edges of each block's allowed ranges. */
  ingressAtoms: IpInterval[];
  egressAtoms: IpInterval[];
  /** atoms × k: from each ingress atom to each class. */
  fromExternal: Uint32Array;
  /** k × atoms: from each class to each egress atom. */
  toExternal: Uint32Array;
}

interface CompiledRule {
  /** Interned pod-peer ids; null: every peer (inside and outside the cluster). */
  peerIds: number[] | null;
  /** Per atom: matches that external piece. */
  external: Uint8Array;
  /** Port-set id when it does not depend on the destination; -1 when it has named ports. */
  fixedPorts: number;
  rule: PolicyRule;
  /** Per class: a pod of it matches a peer (null: all). Filled once classes are known. */
  classMatch: Uint8Array | null;
  /** The matching classes as a list (null: all). */
  classList: number[] | null;
  /** Named-port rules: port-set id per destination class (-1 unknown). */
  namedPorts?: Int32Array;
  /** `name/protocol` of its named ports. */
  names: string[];
}

interface ClassRules {
  ingress: CompiledRule[] | undefined;
  egress: CompiledRule[] | undefined;
  /** A pod of the class, to resolve named ports against. */
  rep: number;
}

export function groupWorkloads(pods: readonly PodInfo[], classOf?: Int32Array): Workload[] {
  const byKey = new Map<string, Workload>();
  pods.forEach((p, i) => {
    let w = byKey.get(p.key);
    if (!w) {
      w = { key: p.key, namespace: p.namespace, name: p.name, kind: p.kind, pods: [], classes: [] };
      byKey.set(p.key, w);
    }
    w.pods.push(i);
    const c = classOf ? classOf[i]! : -1;
    if (c >= 0 && !w.classes.includes(c)) w.classes.push(c);
  });
  return [...byKey.values()].sort((a, b) => cmp(a.key, b.key));
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

type PodPeer = Extract<Peer, { kind: 'pods' }>;

interface InternedPeer {
  /** Set when the peer is limited to the policy's own namespace (no namespaceSelector). */
  namespace?: string;
  namespaceSelector?: PodPeer['namespaceSelector'];
  podSelector: PodPeer['podSelector'];
}

/** Label keys a selector reads. */
function selectorKeys(sel: PodPeer['podSelector'], out: Set<string>): void {
  for (const k of Object.keys(sel.matchLabels ?? {})) out.add(k);
  for (const e of sel.matchExpressions ?? []) out.add(e.key);
}

/**
 * What a pod's class can depend on: its namespace, the labels some pod selector reads (value or
 * absence) and the numbers behind the named ports some rule uses. Pods with the same key get the
 * same class; labels no selector reads (app names, hashes) do not split them.
 */
function podKeyer(readKeys: readonly string[], referencedNames: ReadonlySet<string>): (p: PodInfo) => string {
  return (p) => {
    let key = p.namespace;
    for (const k of readKeys) {
      const v = p.labels[k];
      key += v === undefined ? '\u0000\u0002' : `\u0000=${v}`;
    }
    key += '\u0001';
    for (const cp of p.ports) if (cp.name !== undefined && referencedNames.has(`${cp.name}/${cp.protocol}`)) key += `${cp.name}/${cp.protocol}/${cp.port},`;
    return key;
  };
}

/** The numbers behind the named ports in `names`, as the pod declares them. */
function namedPortsFor(p: PodInfo, names: ReadonlySet<string>): string {
  return p.ports
    .filter((cp) => cp.name !== undefined && names.has(`${cp.name}/${cp.protocol}`))
    .map((cp) => `${cp.name}/${cp.protocol}/${cp.port}`)
    .sort()
    .join(',');
}

export function computeMatrix(engine: NetpolEngine): Matrix {
  const pods = engine.pods;
  const table = new PortSetTable();
  const ingressAtoms = atoms(ipBounds(engine.policies, 'ingress'));
  const egressAtoms = atoms(ipBounds(engine.policies, 'egress'));

  // Pod peers interned by (namespace scope, selectors); rules interned by (direction, peers, ports).
  const peers: InternedPeer[] = [];
  const peerIds = new Map<string, number>();
  const internPeer = (peer: PodPeer, policy: Policy): number => {
    const scope = peer.namespaceSelector === undefined ? `ns\u0000${policy.namespace}` : `sel\u0000${JSON.stringify(peer.namespaceSelector)}`;
    const key = `${scope}\u0000${JSON.stringify(peer.podSelector)}`;
    let id = peerIds.get(key);
    if (id === undefined) {
      id = peers.length;
      peers.push(peer.namespaceSelector === undefined ? { namespace: policy.namespace, podSelector: peer.podSelector } : { namespaceSelector: peer.namespaceSelector, podSelector: peer.podSelector });
      peerIds.set(key, id);
    }
    return id;
  };
  const rules: CompiledRule[] = [];
  const ruleIds = new Map<string, number>();
  const ruleOf = new Map<PolicyRule, number>();
  const internRule = (policy: Policy, rule: PolicyRule, dir: Direction): number => {
    const known = ruleOf.get(rule);
    if (known !== undefined) return known;
    const atomList = dir === 'ingress' ? ingressAtoms : egressAtoms;
    let ids: number[] | null = null;
    const blocks: string[] = [];
    if (rule.peers !== 'all') {
      ids = [];
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') ids.push(internPeer(peer, policy));
        else if (peer.family === 4) blocks.push(peer.ranges.map((r) => `${r.lo}-${r.hi}`).join(','));
      }
      ids = [...new Set(ids)].sort((a, b) => a - b);
    }
    const ports = rule.ports === 'all' ? 'all' : rule.ports.map((s) => `${s.protocol}:${s.port ?? ''}:${s.endPort ?? ''}`).join(',');
    const key = `${dir}|${ids ? ids.join(',') : 'all'}|${blocks.join(';')}|${ports}`;
    let id = ruleIds.get(key);
    if (id === undefined) {
      const external = new Uint8Array(atomList.length);
      if (rule.peers === 'all') external.fill(1);
      else
        for (const peer of rule.peers)
          if (peer.kind === 'ipBlock')
            atomList.forEach((a, i) => {
              if (engine.peerMatches(peer, policy, { kind: 'external', range: a })) external[i] = 1;
            });
      const names = rule.ports === 'all' ? [] : [...new Set(rule.ports.filter((s) => typeof s.port === 'string').map((s) => `${s.port}/${s.protocol}`))];
      id = rules.length;
      rules.push({ peerIds: ids, external, fixedPorts: names.length ? -1 : table.id(engine.resolvePorts(rule, undefined)), rule, classMatch: null, classList: null, names });
      ruleIds.set(key, id);
    }
    ruleOf.set(rule, id);
    return id;
  };
  for (const p of engine.policies)
    for (const dir of ['ingress', 'egress'] as const) if (p.types[dir]) for (const r of dir === 'ingress' ? p.ingress : p.egress) internRule(p, r, dir);
  // Named ports a pod's number can matter for: those of egress rules that may reach it (through a
  // peer it matches, or every peer) and of its own ingress rules (added per pod below).
  const egressNamesOfPeer = new Map<number, Set<string>>();
  const egressNamesForAll = new Set<string>();
  for (const [key, id] of ruleIds) {
    const r = rules[id]!;
    if (!key.startsWith('egress|') || r.names.length === 0) continue;
    if (r.peerIds === null) r.names.forEach((n) => egressNamesForAll.add(n));
    else
      for (const p of r.peerIds) {
        let set = egressNamesOfPeer.get(p);
        if (!set) egressNamesOfPeer.set(p, (set = new Set()));
        r.names.forEach((n) => set!.add(n));
      }
  }

  // Peers that can match a pod of each namespace: the namespace's own-scope peers and the
  // namespaceSelector peers its labels satisfy.
  const peersByNs = new Map<string, number[]>();
  const peersOfNamespace = (ns: string): number[] => {
    let list = peersByNs.get(ns);
    if (!list) {
      const labels = engine.namespaceLabels(ns);
      list = [];
      peers.forEach((peer, id) => {
        if (peer.namespace !== undefined ? peer.namespace === ns : selectorMatches(peer.namespaceSelector, labels)) list!.push(id);
      });
      peersByNs.set(ns, list);
    }
    return list;
  };

  // Classes: pods with the same key (namespace, labels selectors read, named port numbers) share a
  // signature, computed once; pods with the same signature share a class.
  const readKeys = new Set<string>();
  for (const p of engine.policies) selectorKeys(p.podSelector, readKeys);
  for (const peer of peers) selectorKeys(peer.podSelector, readKeys);
  const referencedNames = new Set(rules.flatMap((r) => r.names));
  const podKey = podKeyer([...readKeys].sort(), referencedNames);
  const classOf = new Int32Array(pods.length);
  const classes: PodClass[] = [];
  const classRules: ClassRules[] = [];
  const classPeers: number[][] = [];
  const bySignature = new Map<string, number>();
  const signatureOfKey = new Map<string, number>();
  const selectedRules = (pod: PodInfo, dir: Direction) => {
    const sel = engine.selecting(pod, dir);
    const ids: number[] = [];
    for (const p of sel) for (const r of dir === 'ingress' ? p.ingress : p.egress) ids.push(ruleOf.get(r)!);
    ids.sort((a, b) => a - b);
    return { sel, ids: ids.filter((x, i) => i === 0 || x !== ids[i - 1]) };
  };
  pods.forEach((pod, i) => {
    const key = podKey(pod);
    let c = signatureOfKey.get(key);
    if (c === undefined) {
      const ing = selectedRules(pod, 'ingress');
      const eg = selectedRules(pod, 'egress');
      const matched = peersOfNamespace(pod.namespace).filter((id) => selectorMatches(peers[id]!.podSelector, pod.labels));
      const names = new Set(egressNamesForAll);
      for (const id of matched) egressNamesOfPeer.get(id)?.forEach((n) => names.add(n));
      for (const id of ing.ids) rules[id]!.names.forEach((n) => names.add(n));
      const named = namedPortsFor(pod, names);
      const iso = (x: { sel: Policy[]; ids: number[] }) => (x.sel.length ? x.ids.join(',') : '-');
      const signature = `${iso(ing)}|${iso(eg)}|${matched.join(',')}|${named}`;
      c = bySignature.get(signature);
      if (c === undefined) {
        c = classes.length;
        bySignature.set(signature, c);
        classes.push({
          pods: [],
          namespaces: [],
          ingressPolicies: ing.sel.map((p) => p.id).sort(cmp),
          egressPolicies: eg.sel.map((p) => p.id).sort(cmp),
          ingressIsolated: ing.sel.length > 0,
          egressIsolated: eg.sel.length > 0,
        });
        classRules.push({ ingress: ing.sel.length ? ing.ids.map((id) => rules[id]!) : undefined, egress: eg.sel.length ? eg.ids.map((id) => rules[id]!) : undefined, rep: i });
        classPeers.push(matched);
      }
      signatureOfKey.set(key, c);
    }
    classOf[i] = c;
    const cls = classes[c]!;
    cls.pods.push(i);
    if (!cls.namespaces.includes(pod.namespace)) cls.namespaces.push(pod.namespace);
  });
  for (const cls of classes) cls.namespaces.sort(cmp);
  const k = classes.length;

  const classesOfPeer: number[][] = peers.map(() => []);
  classPeers.forEach((ids, c) => ids.forEach((id) => classesOfPeer[id]!.push(c)));
  for (const r of rules) {
    if (r.peerIds === null) continue;
    const match = new Uint8Array(k);
    const list: number[] = [];
    for (const id of r.peerIds)
      for (const c of classesOfPeer[id]!)
        if (!match[c]) {
          match[c] = 1;
          list.push(c);
        }
    r.classMatch = match;
    r.classList = list;
  }

  const portsFor = (r: CompiledRule, dst: number): number => {
    if (r.fixedPorts >= 0) return r.fixedPorts;
    r.namedPorts ??= new Int32Array(k).fill(-1);
    if (r.namedPorts[dst]! < 0) r.namedPorts[dst] = table.id(engine.resolvePorts(r.rule, pods[classRules[dst]!.rep]));
    return r.namedPorts[dst]!;
  };
  const egressTo = (s: number, d: number): number => {
    const eg = classRules[s]!.egress;
    if (!eg) return 1;
    let e = 0;
    for (const r of eg) if (r.classMatch === null || r.classMatch[d]) e = table.union(e, portsFor(r, d));
    return e;
  };

  // Column by column: an ingress-isolated destination accumulates its allowed sources from its
  // rules' peer lists (sparse); only those sources' egress is then checked.
  const cells = new Uint32Array(k * k);
  const acc = new Uint32Array(k);
  const touched: number[] = [];
  for (let d = 0; d < k; d++) {
    const ig = classRules[d]!.ingress;
    if (!ig) {
      for (let s = 0; s < k; s++) cells[s * k + d] = egressTo(s, d);
      continue;
    }
    touched.length = 0;
    for (const r of ig) {
      const p = portsFor(r, d);
      if (p === 0) continue;
      const list = r.classList;
      const n = list === null ? k : list.length;
      for (let j = 0; j < n; j++) {
        const s = list === null ? j : list[j]!;
        if (acc[s] === 0) touched.push(s);
        acc[s] = table.union(acc[s]!, p);
      }
    }
    for (const s of touched) {
      const i = acc[s]!;
      acc[s] = 0;
      const e = egressTo(s, d);
      if (e !== 0) cells[s * k + d] = table.intersect(e, i);
    }
  }

  const fromExternal = new Uint32Array(ingressAtoms.length * k);
  for (let d = 0; d < k; d++) {
    const ig = classRules[d]!.ingress;
    for (let a = 0; a < ingressAtoms.length; a++) {
      let i = 1;
      if (ig) {
        i = 0;
        for (const r of ig) if (r.external[a]) i = table.union(i, portsFor(r, d));
      }
      fromExternal[a * k + d] = i;
    }
  }
  const toExternal = new Uint32Array(k * egressAtoms.length);
  for (let s = 0; s < k; s++) {
    const eg = classRules[s]!.egress;
    for (let a = 0; a < egressAtoms.length; a++) {
      let e = 1;
      if (eg) {
        e = 0;
        // Named ports cannot be resolved outside the cluster: only numeric ports count.
        for (const r of eg) if (r.external[a]) e = table.union(e, r.fixedPorts >= 0 ? r.fixedPorts : table.id(engine.resolvePorts(r.rule, undefined)));
      }
      toExternal[s * egressAtoms.length + a] = e;
    }
  }
  return { workloads: groupWorkloads(pods, classOf), classes, table, cells, ingressAtoms, egressAtoms, fromExternal, toExternal };
}

/** The same matrix limited to some workloads; answers are unchanged (every policy still applies), only the view shrinks. */
export function restrictMatrix(m: Matrix, keep: (w: Workload) => boolean): Matrix {
  return { ...m, workloads: m.workloads.filter(keep) };
}

/** Port-set id allowed from workload `s` to workload `d` (the union over their pods' classes). */
export function workloadCell(m: Matrix, s: Workload, d: Workload): number {
  const k = m.classes.length;
  if (s.classes.length === 1 && d.classes.length === 1) return m.cells[s.classes[0]! * k + d.classes[0]!]!;
  let id = 0;
  for (const cs of s.classes) for (const cd of d.classes) id = m.table.union(id, m.cells[cs * k + cd]!);
  return id;
}

/** Port-set id allowed from ingress atom `a` to workload `d`. */
export function fromExternalCell(m: Matrix, a: number, d: Workload): number {
  const k = m.classes.length;
  let id = 0;
  for (const cd of d.classes) id = m.table.union(id, m.fromExternal[a * k + cd]!);
  return id;
}

/** Port-set id allowed from workload `s` to egress atom `a`. */
export function toExternalCell(m: Matrix, s: Workload, a: number): number {
  const e = m.egressAtoms.length;
  let id = 0;
  for (const cs of s.classes) id = m.table.union(id, m.toExternal[cs * e + a]!);
  return id;
}

export interface Connection {
  from: string;
  to: string;
  /** np-guard spelling of the allowed ports. */
  connections: string;
}

/** Formats port-set ids once each. */
function portFormatter(m: Matrix): (id: number) => string {
  const formatted: string[] = [];
  return (id) => (formatted[id] ??= formatPorts(m.table.get(id)));
}

interface NamedPeer {
  name: string;
  workload?: Workload;
  ingressAtom?: number;
  egressAtom?: number;
}

/**
 * Allowed connections as np-guard `list` lines (`src => dst : conns`), in np-guard's order (plain
 * string order of the lines), without self pairs. A generator: lines are produced one at a time,
 * so the list is never held in memory. Peer names end in `]` and contain no other `]`, so no name
 * is a prefix of another: iterating sorted sources, then sorted destinations, orders whole lines.
 */
export function* connections(m: Matrix): Generator<Connection> {
  const fmt = portFormatter(m);
  const names: NamedPeer[] = m.workloads.map((w) => ({ name: w.key, workload: w }));
  m.ingressAtoms.forEach((a, i) => names.push({ name: `${formatInterval(a)}[External]`, ingressAtom: i }));
  m.egressAtoms.forEach((a, i) => names.push({ name: `${formatInterval(a)}[External]`, egressAtom: i }));
  names.sort((a, b) => cmp(a.name, b.name));
  const dsts = names.filter((n) => n.workload || n.egressAtom !== undefined);
  const workloadDsts = names.filter((n) => n.workload);
  // Fast path: a workload whose pods are all in one class reads its cell straight from the class
  // matrix; the objects of a destination are touched only when a line is written.
  const k = m.classes.length;
  const dstClass = Int32Array.from(dsts, (n) => (n.workload && n.workload.classes.length === 1 ? n.workload.classes[0]! : -1));
  const index = new Map(m.workloads.map((w, i) => [w, i]));
  const dstWorkload = Int32Array.from(dsts, (n) => (n.workload ? index.get(n.workload)! : -1));
  const dstAtom = Int32Array.from(dsts, (n) => n.egressAtom ?? -1);
  const cells = m.cells;
  const e = m.egressAtoms.length;
  for (const from of names) {
    const s = from.workload;
    if (s) {
      const self = index.get(s)!;
      const single = s.classes.length === 1 ? s.classes[0]! : -1;
      const row = single * k;
      for (let j = 0; j < dsts.length; j++) {
        const c = dstClass[j]!;
        let id: number;
        if (single >= 0 && c >= 0) {
          id = cells[row + c]!;
          if (id === 0 || dstWorkload[j] === self) continue;
        } else if (single >= 0 && dstAtom[j]! >= 0) {
          id = m.toExternal[single * e + dstAtom[j]!]!;
          if (id === 0) continue;
        } else {
          const to = dsts[j]!;
          id = to.workload ? (to.workload === s ? 0 : workloadCell(m, s, to.workload)) : toExternalCell(m, s, to.egressAtom!);
          if (id === 0) continue;
        }
        yield { from: from.name, to: dsts[j]!.name, connections: fmt(id) };
      }
    } else if (from.ingressAtom !== undefined) {
      for (const to of workloadDsts) {
        const id = fromExternalCell(m, from.ingressAtom, to.workload!);
        if (id !== 0) yield { from: from.name, to: to.name, connections: fmt(id) };
      }
    }
  }
}

/** The connection list as an array (small inputs and tests; stream `connections` otherwise). */
export function connectionList(m: Matrix): Connection[] {
  return [...connections(m)];
}

export function lineOf(c: Connection): string {
  return `${c.from} => ${c.to} : ${c.connections}`;
}

/** A class as shown to users: a stable label, its workloads in the view, and what isolates it. */
export interface ClassView {
  label: string;
  index: number;
  workloads: string[];
  namespaces: string[];
  pods: number;
  ingressPolicies: string[];
  egressPolicies: string[];
}

/** Classes that have a workload in the view, labelled `class-N` in the order of their first workload. */
export function classViews(m: Matrix): ClassView[] {
  const members = new Map<number, string[]>();
  for (const w of m.workloads)
    for (const c of w.classes) {
      const a = members.get(c);
      if (a) a.push(w.key);
      else members.set(c, [w.key]);
    }
  return [...members.entries()].map(([index, workloads], i) => {
    const c = m.classes[index]!;
    return { label: `class-${i + 1}`, index, workloads, namespaces: c.namespaces, pods: c.pods.length, ingressPolicies: c.ingressPolicies, egressPolicies: c.egressPolicies };
  });
}

/**
 * Allowed connections between classes (`class-1 => class-2 : TCP 8080`), external ranges included;
 * one line stands for every workload pair of the two classes. Includes a class to itself (between
 * its different workloads or replicas). Streams like `connections`.
 */
export function* classConnections(m: Matrix, views: readonly ClassView[] = classViews(m)): Generator<Connection> {
  const fmt = portFormatter(m);
  const k = m.classes.length;
  const e = m.egressAtoms.length;
  for (const s of views) {
    for (const d of views) {
      const id = m.cells[s.index * k + d.index]!;
      if (id !== 0) yield { from: s.label, to: d.label, connections: fmt(id) };
    }
    for (let a = 0; a < e; a++) {
      const id = m.toExternal[s.index * e + a]!;
      if (id !== 0) yield { from: s.label, to: `${formatInterval(m.egressAtoms[a]!)}[External]`, connections: fmt(id) };
    }
  }
  for (let a = 0; a < m.ingressAtoms.length; a++)
    for (const d of views) {
      const id = m.fromExternal[a * k + d.index]!;
      if (id !== 0) yield { from: `${formatInterval(m.ingressAtoms[a]!)}[External]`, to: d.label, connections: fmt(id) };
    }
}

/** Workload pairs (ordered, self pairs excluded) allowed on every port, on some ports, and denied. */
export function pairCounts(m: Matrix): { pairs: number; allowedAllPorts: number; allowedSomePorts: number; denied: number } {
  const all: boolean[] = [];
  let open = 0;
  let some = 0;
  for (const s of m.workloads)
    for (const d of m.workloads) {
      if (s === d) continue;
      const id = workloadCell(m, s, d);
      if (id === 0) continue;
      if ((all[id] ??= isAll(m.table.get(id)))) open++;
      else some++;
    }
  const w = m.workloads.length;
  return { pairs: w * (w - 1), allowedAllPorts: open, allowedSomePorts: some, denied: w * (w - 1) - open - some };
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
  /** Workloads some workload of another namespace can reach (every workload counts, not only the view's). */
  reachableFromOtherNamespaces: number;
  /** Workloads some address outside the cluster can reach. */
  reachableFromOutside: number;
  /** True when every workload of the namespace is open for ingress: the namespace is wide open. */
  wideOpen: boolean;
}

/** Per namespace: how many workloads are open, and how many other namespaces or the outside can reach. */
export function namespaceSummary(m: Matrix): NamespaceSummary[] {
  const k = m.classes.length;
  // Per destination class: up to two namespaces of classes that reach it (enough to tell "another namespace").
  const sourceNs: string[][] = [];
  for (let d = 0; d < k; d++) {
    const seen: string[] = [];
    for (let s = 0; s < k && seen.length < 2; s++) {
      if (m.cells[s * k + d] === 0) continue;
      for (const ns of m.classes[s]!.namespaces) {
        if (!seen.includes(ns)) seen.push(ns);
        if (seen.length >= 2) break;
      }
    }
    sourceNs.push(seen);
  }
  const byNs = new Map<string, Workload[]>();
  for (const w of m.workloads) {
    const a = byNs.get(w.namespace);
    if (a) a.push(w);
    else byNs.set(w.namespace, [w]);
  }
  const out: NamespaceSummary[] = [];
  for (const [ns, list] of [...byNs.entries()].sort(([a], [b]) => cmp(a, b))) {
    let ingressOpen = 0;
    let egressOpen = 0;
    let fromOther = 0;
    let fromOutside = 0;
    for (const w of list) {
      const cls = w.classes.map((c) => m.classes[c]!);
      if (cls.some((c) => !c.ingressIsolated)) ingressOpen++;
      if (cls.some((c) => !c.egressIsolated)) egressOpen++;
      if (w.classes.some((c) => sourceNs[c]!.some((x) => x !== ns))) fromOther++;
      let outside = false;
      for (let a = 0; a < m.ingressAtoms.length && !outside; a++) if (w.classes.some((c) => m.fromExternal[a * k + c] !== 0)) outside = true;
      if (outside) fromOutside++;
    }
    out.push({ namespace: ns, workloads: list.length, ingressOpen, egressOpen, reachableFromOtherNamespaces: fromOther, reachableFromOutside: fromOutside, wideOpen: ingressOpen === list.length });
  }
  return out;
}
