// Which ServiceAccount a pod runs as, and whether its API token gets mounted.
import type { Resource } from './types.js';
import type { PodSpecRef } from './workloads.js';
import type { ResourceIndex } from './index.js';
import { asString } from './json.js';

export interface ServiceAccountUse {
  /** Effective name: serviceAccountName, else the deprecated serviceAccount, else `default`. */
  name: string;
  /** JSON Pointer (relative to the object) of the field that names it, or undefined when defaulted. */
  path?: string;
}

export function serviceAccountOf(pod: PodSpecRef): ServiceAccountUse {
  const byName = asString(pod.spec.serviceAccountName);
  if (byName) return { name: byName, path: `${pod.path}/serviceAccountName` };
  const deprecated = asString(pod.spec.serviceAccount);
  if (deprecated) return { name: deprecated, path: `${pod.path}/serviceAccount` };
  return { name: 'default' };
}

/**
 * The ServiceAccount object in the input that the pod would use: same name, same namespace
 * (an object without a namespace is taken to share the namespace it is applied to, so two
 * unnamespaced objects match).
 */
export function findServiceAccount(index: ResourceIndex, workload: Resource, name: string): Resource | undefined {
  const ns = workload.namespace ?? '';
  return index.named('ServiceAccount', name, ns).find((sa) => sa.apiVersion === 'v1');
}

export interface TokenMount {
  /** Whether the kubelet mounts the ServiceAccount API token into the pod. */
  mounted: boolean;
  /** Who decides: the pod spec, the ServiceAccount object in the input, or the Kubernetes default. */
  decidedBy: 'pod' | 'serviceAccount' | 'default';
  serviceAccount: ServiceAccountUse;
  /** The ServiceAccount object, when it is in the input. */
  serviceAccountObject?: Resource;
}

/**
 * Kubernetes semantics: the pod's automountServiceAccountToken wins when set; otherwise the
 * ServiceAccount's; otherwise the token is mounted. Only a boolean `false` turns it off
 * (a mistyped value would be rejected by the API server, so it never counts as off).
 */
export function tokenMountOf(pod: PodSpecRef, index: ResourceIndex): TokenMount {
  const serviceAccount = serviceAccountOf(pod);
  const sa = findServiceAccount(index, pod.resource, serviceAccount.name);
  // Literals rather than spreading a two-shaped base: two rules ask per workload on every admission request.
  const mount = (mounted: boolean, decidedBy: TokenMount['decidedBy']): TokenMount =>
    sa ? { serviceAccount, serviceAccountObject: sa, mounted, decidedBy } : { serviceAccount, mounted, decidedBy };
  const podValue = pod.spec.automountServiceAccountToken;
  if (typeof podValue === 'boolean') return mount(podValue, 'pod');
  const saValue = sa?.object.automountServiceAccountToken;
  if (typeof saValue === 'boolean') return mount(saValue, 'serviceAccount');
  return mount(true, 'default');
}
