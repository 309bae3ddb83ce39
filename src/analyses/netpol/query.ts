// Questions users ask: can A reach B (on port P)? who can reach X on port P? Pure: cluster in, answers out.
import type { LabelSelector } from '../../model/index.js';
import { selectorMatches } from '../../model/index.js';
import type { PodInfo } from './cluster.js';
import type { DirectionVerdict, Endpoint, NetpolEngine } from './engine.js';
import { formatPorts, intersect, isEmpty, isProtocol, portKey, portRange, type PortSet, type Protocol, ALL, EMPTY, union } from './ports.js';
import { resolveRulePorts } from './engine.js';
import type { Direction } from './policy.js';
import { formatInterval, parseCidr, parseIpv4, type IpInterval } from './ip.js';
import type { Matrix } from './matrix.js';

export class QueryError extends Error {}

/** What the user wrote for one end: `NS/NAME`, `NS/label=value,...`, `NAME` (namespace default), or an IPv4 address/CIDR. */
export type EndpointSpec = { kind: 'pods'; namespace: string; name?: string; selector?: LabelSelector; text: string } | { kind: 'external'; range: IpInterval; text: string };

export function parseEndpointSpec(text: string): EndpointSpec {
  const t = text.trim();
  if (!t) throw new QueryError('empty endpoint');
  const ip = parseIpv4(t);
  if (ip !== undefined) return { kind: 'external', range: { lo: ip, hi: ip }, text: t };
  const cidr = parseCidr(t);
  if (cidr) {
    if (cidr.family !== 4) throw new QueryError(`IPv6 endpoints are not analysed: ${t}`);
    return { kind: 'external', range: cidr.interval, text: t };
  }
  const slash = t.indexOf('/');
  const namespace = slash >= 0 ? t.slice(0, slash) : 'default';
  const rest = slash >= 0 ? t.slice(slash + 1) : t;
  if (!namespace || !rest) throw new QueryError(`"${t}" is not NS/NAME, NS/label=value,... or an IPv4 address`);
  if (rest.includes('=')) {
    const matchLabels: Record<string, string> = {};
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      const k = part.slice(0, eq).trim();
      if (eq <= 0 || !k) throw new QueryError(`"${part}" in "${t}" is not label=value`);
      matchLabels[k] = part.slice(eq + 1).trim();
    }
    return { kind: 'pods', namespace, selector: { matchLabels }, text: t };
  }
  return { kind: 'pods', namespace, name: rest, text: t };
}

/** Pods an endpoint spec names: by workload name or Pod name, or by pod-template labels. */
export function resolvePods(engine: NetpolEngine, spec: Extract<EndpointSpec, { kind: 'pods' }>): PodInfo[] {
  return engine.pods.filter((p) => p.namespace === spec.namespace && (spec.selector ? selectorMatches(spec.selector, p.labels) : p.name === spec.name || p.podName === spec.name));
}

export interface PortQuery {
  protocol: Protocol;
  /** Number, or a named port resolved against the destination pod. */
  port: number | string;
  text: string;
}

export function parsePortQuery(text: string): PortQuery {
  const [p, proto = 'TCP'] = text.split('/');
  const protocol = proto.toUpperCase();
  if (!isProtocol(protocol)) throw new QueryError(`protocol in "${text}" must be TCP, UDP or SCTP`);
  if (!p) throw new QueryError(`"${text}" is not PORT/PROTO`);
  if (/^\d+$/.test(p)) {
    const n = Number(p);
    if (n < 1 || n > 65535) throw new QueryError(`port ${n} is not between 1 and 65535`);
    return { protocol, port: n, text: `${n}/${protocol}` };
  }
  return { protocol, port: p, text: `${p}/${protocol}` };
}

/** The port set a query stands for at a destination (a named port resolves per pod; unknown names are empty). */
function queryPorts(q: PortQuery | undefined, dst: PodInfo | undefined): PortSet {
  if (!q) return ALL;
  if (typeof q.port === 'number') return portRange(q.protocol, q.port, q.port);
  let out = EMPTY;
  for (const cp of dst?.ports ?? []) if (cp.name === q.port && cp.protocol === q.protocol) out = union(out, portRange(cp.protocol, cp.port, cp.port));
  return out;
}

export interface DirectionAnswer {
  allowed: boolean;
  isolated: boolean;
  /** Policies whose rules allow the traffic. */
  policies: string[];
  /** Policies that select the pod in this direction (isolate it). */
  selectedBy: string[];
  rules: { policy: string; rule: number; path: string; ports: string }[];
  /** Ports this direction allows (np-guard spelling). */
  ports: string;
}

export interface PairAnswer {
  from: string;
  to: string;
  allowed: boolean;
  ports: string;
  ingress: DirectionAnswer;
  egress: DirectionAnswer;
}

export interface ReachAnswer {
  from: string;
  to: string;
  port?: string;
  /** True when every matched pair is allowed (on the port, or on some port when none is given). */
  allowed: boolean;
  ingress: DirectionAnswer;
  egress: DirectionAnswer;
  ports: string;
  pairs: PairAnswer[];
  notes: string[];
}

function directionAnswer(v: DirectionVerdict, want: PortSet): DirectionAnswer {
  const hit = intersect(v.allowed, want);
  return {
    allowed: !isEmpty(hit),
    isolated: v.isolated,
    policies: v.rules.filter((r) => !isEmpty(intersect(r.ports, want))).map((r) => r.policy).filter((p, i, a) => a.indexOf(p) === i),
    selectedBy: v.selectedBy,
    rules: v.rules.map((r) => ({ policy: r.policy, rule: r.rule, path: r.path, ports: formatPorts(r.ports) })),
    ports: formatPorts(v.allowed),
  };
}

function endpointsOf(engine: NetpolEngine, spec: EndpointSpec): { ep: Endpoint; label: string }[] {
  if (spec.kind === 'external') return [{ ep: { kind: 'external', range: spec.range }, label: `${formatInterval(spec.range)}[External]` }];
  const pods = resolvePods(engine, spec);
  if (pods.length === 0) throw new QueryError(`no workload or pod matches "${spec.text}"`);
  return pods.map((pod) => ({ ep: { kind: 'pod', pod }, label: pod.podName ? `${pod.namespace}/${pod.podName}` : pod.key }));
}

function mergeDirection(list: DirectionAnswer[]): DirectionAnswer {
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return {
    allowed: list.every((d) => d.allowed),
    isolated: list.some((d) => d.isolated),
    policies: uniq(list.flatMap((d) => d.policies)),
    selectedBy: uniq(list.flatMap((d) => d.selectedBy)),
    rules: list.flatMap((d) => d.rules).filter((r, i, a) => a.findIndex((x) => x.policy === r.policy && x.rule === r.rule && x.ports === r.ports) === i),
    ports: list.length === 1 ? list[0]!.ports : uniq(list.map((d) => d.ports)).join(' | '),
  };
}

export const IPBLOCK_NOTE = 'ipBlock peers are treated as traffic from/to outside the cluster; whether they also match pod IPs depends on the CNI and SNAT';
export const SELF_NOTE = 'source and destination are the same pod template: the answer applies between its replicas; a pod\'s traffic to itself is never blocked';
export const HOSTNETWORK_NOTE = 'pods with hostNetwork: true use the node address; most CNIs do not apply NetworkPolicy to them';

/**
 * True when a pod-to-pod answer rests on reading ipBlock as "outside the cluster": a policy that
 * isolates the pod in this direction has an ipBlock rule for ports the answer does not allow. If
 * the CNI matched pod IPs against that block, those ports could be allowed.
 */
function decidedByIpBlock(engine: NetpolEngine, pod: PodInfo, dir: Direction, dst: PodInfo, want: PortSet, allowed: PortSet): boolean {
  for (const p of engine.selecting(pod, dir))
    for (const rule of dir === 'ingress' ? p.ingress : p.egress) {
      if (rule.peers === 'all' || !rule.peers.some((x) => x.kind === 'ipBlock')) continue;
      const extra = intersect(resolveRulePorts(rule, dst), want);
      if (!isEmpty(extra) && portKey(intersect(extra, allowed)) !== portKey(extra)) return true;
    }
  return false;
}

export function reach(engine: NetpolEngine, fromText: string, toText: string, portText?: string): ReachAnswer {
  const from = parseEndpointSpec(fromText);
  const to = parseEndpointSpec(toText);
  if (from.kind === 'external' && to.kind === 'external') throw new QueryError('at least one end must be a pod or workload');
  const q = portText ? parsePortQuery(portText) : undefined;
  const pairs: PairAnswer[] = [];
  const notes = new Set<string>();
  for (const s of endpointsOf(engine, from))
    for (const d of endpointsOf(engine, to)) {
      const v = engine.connection(s.ep, d.ep);
      const want = queryPorts(q, d.ep.kind === 'pod' ? d.ep.pod : undefined);
      const hit = intersect(v.allowed, want);
      pairs.push({ from: s.label, to: d.label, allowed: !isEmpty(hit), ports: formatPorts(hit), ingress: directionAnswer(v.ingress, want), egress: directionAnswer(v.egress, want) });
      if (s.ep.kind === 'external' || d.ep.kind === 'external') notes.add(IPBLOCK_NOTE);
      else if (decidedByIpBlock(engine, s.ep.pod, 'egress', d.ep.pod, want, v.egress.allowed) || decidedByIpBlock(engine, d.ep.pod, 'ingress', d.ep.pod, want, v.ingress.allowed)) notes.add(IPBLOCK_NOTE);
      if ((s.ep.kind === 'pod' && s.ep.pod.hostNetwork) || (d.ep.kind === 'pod' && d.ep.pod.hostNetwork)) notes.add(HOSTNETWORK_NOTE);
      if (s.ep.kind === 'pod' && d.ep.kind === 'pod' && s.ep.pod === d.ep.pod) notes.add(SELF_NOTE);
      if (q && typeof q.port === 'string' && d.ep.kind === 'pod' && isEmpty(want)) notes.add(`named port ${q.text} is not declared by ${d.label}; it matches nothing there`);
    }
  const answer: ReachAnswer = {
    from: from.text,
    to: to.text,
    ...(q ? { port: q.text } : {}),
    allowed: pairs.every((p) => p.allowed),
    ingress: mergeDirection(pairs.map((p) => p.ingress)),
    egress: mergeDirection(pairs.map((p) => p.egress)),
    ports: pairs.length === 1 ? pairs[0]!.ports : [...new Set(pairs.map((p) => p.ports))].join(' | '),
    pairs,
    notes: [...notes],
  };
  return answer;
}

export interface Source {
  peer: string;
  kind: 'workload' | 'external';
  /** Target pods or workloads this source can reach on the port. */
  reaches: string[];
  /** Policies on the destination side that allow it ([] when the destination is not ingress-isolated). */
  ingressPolicies: string[];
  /** Policies on the source side that allow it ([] when the source is not egress-isolated or external). */
  egressPolicies: string[];
}

export interface WhoCanReachAnswer {
  target: string;
  port: string;
  /** Workloads (and IPv4 ranges outside the cluster) that can open a connection to at least one matched target on the port. */
  sources: Source[];
  notes: string[];
}

/** Sources that can reach the target on a port. Uses the matrix's address-space split for external ranges. */
export function whoCanReach(engine: NetpolEngine, matrix: Matrix, targetText: string, portText: string): WhoCanReachAnswer {
  const spec = parseEndpointSpec(targetText);
  if (spec.kind !== 'pods') throw new QueryError('the target must be a workload or pod (NS/NAME or NS/label=value)');
  const targets = resolvePods(engine, spec);
  if (targets.length === 0) throw new QueryError(`no workload or pod matches "${spec.text}"`);
  const q = parsePortQuery(portText);
  const notes = new Set<string>([IPBLOCK_NOTE]);
  const sources: Source[] = [];
  const targetKeys = new Set(targets.map((t) => t.key));
  const hits = (v: { allowed: PortSet }, dst: PodInfo) => {
    const want = queryPorts(q, dst);
    if (isEmpty(want)) notes.add(`named port ${q.text} is not declared by ${dst.key}; it matches nothing there`);
    return !isEmpty(intersect(v.allowed, want));
  };
  for (const w of matrix.workloads) {
    if (targetKeys.has(w.key)) continue;
    const srcPods = w.pods.map((i) => engine.pods[i]!);
    const ing = new Set<string>();
    const eg = new Set<string>();
    const reached = new Set<string>();
    for (const dst of targets)
      for (const src of srcPods) {
        const v = engine.connection({ kind: 'pod', pod: src }, { kind: 'pod', pod: dst });
        if (!hits(v, dst)) continue;
        reached.add(dst.podName ? `${dst.namespace}/${dst.podName}` : dst.key);
        const want = queryPorts(q, dst);
        v.ingress.rules.filter((r) => !isEmpty(intersect(r.ports, want))).forEach((r) => ing.add(r.policy));
        v.egress.rules.filter((r) => !isEmpty(intersect(r.ports, want))).forEach((r) => eg.add(r.policy));
      }
    if (reached.size) sources.push({ peer: w.key, kind: 'workload', reaches: [...reached].sort(), ingressPolicies: [...ing].sort(), egressPolicies: [...eg].sort() });
  }
  for (const atom of matrix.ingressAtoms) {
    const ep: Endpoint = { kind: 'external', range: atom };
    const ing = new Set<string>();
    const reached = new Set<string>();
    for (const dst of targets) {
      const v = engine.ingress(ep, dst);
      if (!hits(v, dst)) continue;
      reached.add(dst.podName ? `${dst.namespace}/${dst.podName}` : dst.key);
      v.rules.filter((r) => !isEmpty(intersect(r.ports, queryPorts(q, dst)))).forEach((r) => ing.add(r.policy));
    }
    if (reached.size) sources.push({ peer: `${formatInterval(atom)}[External]`, kind: 'external', reaches: [...reached].sort(), ingressPolicies: [...ing].sort(), egressPolicies: [] });
  }
  if (targets.some((t) => t.hostNetwork)) notes.add(HOSTNETWORK_NOTE);
  return { target: spec.text, port: q.text, sources, notes: [...notes] };
}
