// Coverage questions the scan rules ask: which namespaces default-deny, which workloads no policy selects.
import { selectorMatches } from '../../model/index.js';
import type { Cluster, PodInfo } from './cluster.js';
import { isEmptySelector, type Direction, type Policy } from './policy.js';

export const DEFAULT_IGNORED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Analysis settings from `.rampart.yaml` (`netpol:` section). */
export interface NetpolSettings {
  /** Namespaces the coverage rules skip. */
  ignoreNamespaces: string[];
}

export function netpolSettings(settings: Readonly<Record<string, unknown>>): NetpolSettings {
  const raw = settings.netpol;
  const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const ignore = Array.isArray(s.ignoreNamespaces) ? s.ignoreNamespaces.filter((x): x is string => typeof x === 'string') : DEFAULT_IGNORED_NAMESPACES;
  return { ignoreNamespaces: ignore };
}

/**
 * A default deny in a direction: a policy selecting every pod of its namespace (`podSelector: {}`)
 * that isolates that direction and has no rule allowing every peer on every port.
 */
export function isDefaultDeny(p: Policy, dir: Direction): boolean {
  if (p.problems.length > 0 || !p.types[dir] || !isEmptySelector(p.podSelector)) return false;
  return !(dir === 'ingress' ? p.ingress : p.egress).some((r) => r.peers === 'all' && r.ports === 'all');
}

export function hasDefaultDeny(cluster: Cluster, namespace: string, dir: Direction): boolean {
  return policiesIn(cluster, namespace).some((p) => isDefaultDeny(p, dir));
}

const policiesByNamespace = new WeakMap<Cluster, Map<string, Policy[]>>();

/**
 * The cluster's policies in one namespace, in input order, from a table made on the first call:
 * every pod asks, and a large input has as many policies as pods. Do not mutate it.
 */
export function policiesIn(cluster: Cluster, namespace: string): readonly Policy[] {
  let byNs = policiesByNamespace.get(cluster);
  if (!byNs) {
    byNs = new Map();
    for (const p of cluster.policies) {
      const list = byNs.get(p.namespace);
      if (list) list.push(p);
      else byNs.set(p.namespace, [p]);
    }
    policiesByNamespace.set(cluster, byNs);
  }
  return byNs.get(namespace) ?? [];
}

/** Valid policies that select the pod (in any direction they isolate). */
export function policiesSelecting(cluster: Cluster, pod: PodInfo): Policy[] {
  return policiesIn(cluster, pod.namespace).filter((p) => p.problems.length === 0 && (p.types.ingress || p.types.egress) && selectorMatches(p.podSelector, pod.labels));
}

/** Namespaces that run workloads, with their pods, sorted. */
export function workloadNamespaces(cluster: Cluster): Map<string, PodInfo[]> {
  const out = new Map<string, PodInfo[]>();
  for (const p of cluster.pods) {
    const a = out.get(p.namespace);
    if (a) a.push(p);
    else out.set(p.namespace, [p]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
