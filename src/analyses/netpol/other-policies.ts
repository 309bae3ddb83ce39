// Network policy objects other than networking.k8s.io NetworkPolicy: CNI-specific policies (Cilium,
// Calico, Antrea) and the cluster-wide AdminNetworkPolicy API. Rampart does not evaluate them, so
// wherever they can apply, conclusions of the form "nothing isolates this pod" are not drawn, and
// reachability answers are marked not evaluated.
import type { Resource } from '../../model/types.js';
import { DEFAULT_NAMESPACE } from './policy.js';

export interface OtherPolicy {
  kind: string;
  apiVersion: string;
  name: string;
  /** undefined: cluster-wide (applies in every namespace). */
  namespace?: string;
  /** `Kind namespace/name` or `Kind name`. */
  id: string;
  /** The project whose semantics apply (Cilium, Calico, Antrea, Kubernetes AdminNetworkPolicy). */
  engine: string;
  resource: Resource;
}

interface KnownKind {
  groups: string[];
  kind: string;
  clusterWide: boolean;
  engine: string;
}

// Enforcing kinds only: Calico's Staged* policies and Cilium's CiliumCIDRGroup do not isolate anything.
const KNOWN: KnownKind[] = [
  { groups: ['cilium.io'], kind: 'CiliumNetworkPolicy', clusterWide: false, engine: 'Cilium' },
  { groups: ['cilium.io'], kind: 'CiliumClusterwideNetworkPolicy', clusterWide: true, engine: 'Cilium' },
  { groups: ['projectcalico.org', 'crd.projectcalico.org'], kind: 'NetworkPolicy', clusterWide: false, engine: 'Calico' },
  { groups: ['projectcalico.org', 'crd.projectcalico.org'], kind: 'GlobalNetworkPolicy', clusterWide: true, engine: 'Calico' },
  { groups: ['crd.antrea.io'], kind: 'NetworkPolicy', clusterWide: false, engine: 'Antrea' },
  { groups: ['crd.antrea.io'], kind: 'ClusterNetworkPolicy', clusterWide: true, engine: 'Antrea' },
  { groups: ['policy.networking.k8s.io'], kind: 'AdminNetworkPolicy', clusterWide: true, engine: 'Kubernetes AdminNetworkPolicy' },
  { groups: ['policy.networking.k8s.io'], kind: 'BaselineAdminNetworkPolicy', clusterWide: true, engine: 'Kubernetes AdminNetworkPolicy' },
  { groups: ['policy.networking.k8s.io'], kind: 'ClusterNetworkPolicy', clusterWide: true, engine: 'Kubernetes AdminNetworkPolicy' },
];

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A `NetworkPolicy` of the Kubernetes API (networking.k8s.io, or the old extensions group), not a CNI's kind of the same name. */
export function isKubernetesNetworkPolicy(r: Pick<Resource, 'kind' | 'apiVersion'>): boolean {
  const g = groupOf(r.apiVersion);
  return r.kind === 'NetworkPolicy' && (g === 'networking.k8s.io' || g === 'extensions');
}

export function otherPolicyOf(r: Resource): OtherPolicy | undefined {
  const g = groupOf(r.apiVersion);
  const known = KNOWN.find((k) => k.kind === r.kind && k.groups.includes(g));
  if (!known) return undefined;
  const namespace = known.clusterWide ? undefined : (r.namespace ?? DEFAULT_NAMESPACE);
  return { kind: r.kind, apiVersion: r.apiVersion, name: r.name, ...(namespace !== undefined ? { namespace } : {}), id: namespace !== undefined ? `${r.kind} ${namespace}/${r.name}` : `${r.kind} ${r.name}`, engine: known.engine, resource: r };
}

/** The policies of other kinds that can apply to pods of `namespace` (its own and every cluster-wide one). */
export function otherPoliciesIn(others: readonly OtherPolicy[], namespace: string): OtherPolicy[] {
  return others.filter((o) => o.namespace === undefined || o.namespace === namespace);
}

/** One sentence for reports: what is not evaluated and why. */
export function notEvaluatedReason(o: OtherPolicy): string {
  return `${o.id} (${o.engine}) is not evaluated by Rampart; ${o.namespace === undefined ? 'it is cluster-wide and may apply to pods of every namespace' : `it may apply to pods of namespace "${o.namespace}"`}`;
}
