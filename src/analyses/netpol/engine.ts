// Reachability with the exact NetworkPolicy API semantics (see SEMANTICS.md in the corpus):
// per-direction isolation, union of all selecting policies, both ends must allow, named ports
// resolved against the destination pod, ipBlock as traffic from/to outside the cluster.
import { selectorMatches } from '../../model/index.js';
import type { Cluster, PodInfo } from './cluster.js';
import type { Direction, Peer, Policy, PolicyRule } from './policy.js';
import { ALL, EMPTY, intersect, isEmpty, portRange, protocolAll, union, type PortSet } from './ports.js';
import { intervalContains, type IpInterval } from './ip.js';

export type Endpoint = { kind: 'pod'; pod: PodInfo } | { kind: 'external'; range: IpInterval };

export interface RuleMatch {
  policy: string;
  direction: Direction;
  rule: number;
  /** JSON Pointer of the rule inside the policy. */
  path: string;
  ports: PortSet;
}

export interface DirectionVerdict {
  /** False when no policy selects the pod in this direction: everything is allowed. */
  isolated: boolean;
  /** Policies that select the pod in this direction. */
  selectedBy: string[];
  /** Policies with a rule that allows (part of) this traffic. */
  policies: string[];
  rules: RuleMatch[];
  allowed: PortSet;
}

export interface Verdict {
  ingress: DirectionVerdict;
  egress: DirectionVerdict;
  /** Ports and protocols allowed end to end (egress ∩ ingress). */
  allowed: PortSet;
}

/** Policies that could not be evaluated (malformed) are left out; callers must report them and fail closed. */
export function validPolicies(policies: readonly Policy[]): Policy[] {
  return policies.filter((p) => p.problems.length === 0);
}

/** Ports a rule allows towards `dst`; named ports resolve against the destination pod's container ports (none outside the cluster). */
export function resolveRulePorts(rule: PolicyRule, dst: PodInfo | undefined): PortSet {
  if (rule.ports === 'all') return ALL;
  let out = EMPTY;
  for (const spec of rule.ports) {
    if (spec.port === undefined) out = union(out, protocolAll(spec.protocol));
    else if (typeof spec.port === 'number') out = union(out, portRange(spec.protocol, spec.port, spec.endPort ?? spec.port));
    else if (dst) {
      for (const cp of dst.ports) if (cp.name === spec.port && cp.protocol === spec.protocol) out = union(out, portRange(cp.protocol, cp.port, cp.port));
    }
  }
  return out;
}

export class NetpolEngine {
  readonly pods: readonly PodInfo[];
  readonly namespaces: ReadonlyMap<string, Record<string, string>>;
  readonly policies: readonly Policy[];
  private byNamespace = new Map<string, Policy[]>();

  constructor(cluster: Cluster) {
    this.pods = cluster.pods;
    this.namespaces = cluster.namespaces;
    this.policies = validPolicies(cluster.policies);
    for (const p of this.policies) {
      const a = this.byNamespace.get(p.namespace);
      if (a) a.push(p);
      else this.byNamespace.set(p.namespace, [p]);
    }
  }

  namespaceLabels(ns: string): Record<string, string> {
    return this.namespaces.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  }

  policiesIn(ns: string): readonly Policy[] {
    return this.byNamespace.get(ns) ?? [];
  }

  /** Policies that select the pod and isolate it in `dir`. */
  selecting(pod: PodInfo, dir: Direction): Policy[] {
    return this.policiesIn(pod.namespace).filter((p) => p.types[dir] && selectorMatches(p.podSelector, pod.labels));
  }

  peerMatches(peer: Peer, policy: Policy, ep: Endpoint): boolean {
    if (peer.kind === 'ipBlock') return ep.kind === 'external' && peer.family === 4 && intervalContains(peer.ranges, ep.range.lo, ep.range.hi);
    if (ep.kind !== 'pod') return false;
    const pod = ep.pod;
    if (peer.namespaceSelector === undefined) {
      if (pod.namespace !== policy.namespace) return false;
    } else if (!selectorMatches(peer.namespaceSelector, this.namespaceLabels(pod.namespace))) return false;
    return selectorMatches(peer.podSelector, pod.labels);
  }

  ruleMatchesPeer(rule: PolicyRule, policy: Policy, ep: Endpoint): boolean {
    return rule.peers === 'all' || rule.peers.some((peer) => this.peerMatches(peer, policy, ep));
  }

  resolvePorts(rule: PolicyRule, dst: PodInfo | undefined): PortSet {
    return resolveRulePorts(rule, dst);
  }

  private judge(selected: Policy[], dir: Direction, peer: Endpoint, dst: PodInfo | undefined): DirectionVerdict {
    if (selected.length === 0) return { isolated: false, selectedBy: [], policies: [], rules: [], allowed: ALL };
    let allowed = EMPTY;
    const rules: RuleMatch[] = [];
    const policies: string[] = [];
    for (const p of selected) {
      let contributed = false;
      for (const rule of dir === 'ingress' ? p.ingress : p.egress) {
        if (!this.ruleMatchesPeer(rule, p, peer)) continue;
        const ports = this.resolvePorts(rule, dst);
        if (isEmpty(ports)) continue;
        allowed = union(allowed, ports);
        rules.push({ policy: p.id, direction: dir, rule: rule.index, path: rule.path, ports });
        contributed = true;
      }
      if (contributed) policies.push(p.id);
    }
    return { isolated: true, selectedBy: selected.map((p) => p.id), policies, rules, allowed };
  }

  /** Ingress side: does `dst` accept traffic from `src`? */
  ingress(src: Endpoint, dst: PodInfo): DirectionVerdict {
    return this.judge(this.selecting(dst, 'ingress'), 'ingress', src, dst);
  }

  /** Egress side: may `src` send to `dst`? */
  egress(src: PodInfo, dst: Endpoint): DirectionVerdict {
    return this.judge(this.selecting(src, 'egress'), 'egress', dst, dst.kind === 'pod' ? dst.pod : undefined);
  }

  /** Full verdict for a connection. External ends are not subject to policies on their side. */
  connection(src: Endpoint, dst: Endpoint): Verdict {
    const open: DirectionVerdict = { isolated: false, selectedBy: [], policies: [], rules: [], allowed: ALL };
    const egress = src.kind === 'pod' ? this.egress(src.pod, dst) : open;
    const ingress = dst.kind === 'pod' ? this.ingress(src, dst.pod) : open;
    return { ingress, egress, allowed: intersect(egress.allowed, ingress.allowed) };
  }
}
