// What a workload can reach if an attacker runs code in it: the internet (a Service or Ingress
// routes to it), the node (privileged, host namespaces, hostPath), the API (its service account's
// RBAC). Pure: reads the scanned objects and the RBAC and PSS analyses.
import type { Resource } from '../../model/types.js';
import type { ResourceIndex } from '../../model/index.js';
import { podSpecOf } from '../../model/workloads.js';
import { tokenMountOf } from '../../model/service-accounts.js';
import { ingressBackends, isExternallyExposed, serviceBackends, serviceType } from '../../model/services.js';
import { podInputOf } from '../pss/resource.js';
import { attributeOffences } from '../pss/evaluate.js';
import { LATEST_MINOR } from '../pss/types.js';
import { scanPolicy } from '../rbac/scan-policy.js';
import { serviceAccountUser } from '../rbac/match.js';
import { scanEscalationGraph } from '../rbac/scan-graph.js';
import { DEFAULT_NAMESPACE } from '../rbac/policy.js';

export interface Reach {
  /** How the internet reaches it: `Service web (LoadBalancer)`, `Ingress web via Service web`. */
  exposedBy: string[];
  /** Node access: `privileged`, `host namespaces`, `hostPath volumes`. */
  hostAccess: string[];
  /** What its mounted service account token can do: `read secrets in namespace x`, `escalate to cluster-admin`. */
  apiAccess: string[];
}

/** Baseline PSS checks that hand the node to whoever runs code in the pod. */
const HOST_CHECKS: Record<string, string> = { privileged: 'runs privileged', hostNamespaces: 'shares host namespaces', hostPathVolumes: 'mounts hostPath volumes' };

function exposure(workload: Resource, index: ResourceIndex): string[] {
  const ns = workload.namespace ?? '';
  const out: string[] = [];
  const routesTo = new Map<string, Resource>();
  for (const svc of index.ofKind('Service')) {
    if ((svc.namespace ?? '') !== ns || !serviceBackends(index, svc)?.includes(workload)) continue;
    routesTo.set(svc.name, svc);
    if (isExternallyExposed(svc)) out.push(`Service ${svc.name} (${serviceType(svc)})`);
  }
  for (const ing of index.ofKind('Ingress')) {
    if ((ing.namespace ?? '') !== ns) continue;
    const via = [...new Set(ingressBackends(ing).map((b) => b.service))].filter((s) => routesTo.has(s));
    if (via.length) out.push(`Ingress ${ing.name} via Service ${via.join(', ')}`);
  }
  return out;
}

function hostAccess(workload: Resource): string[] {
  const input = podInputOf(workload);
  if (!input) return [];
  const checks = new Set(attributeOffences(input, 'baseline', LATEST_MINOR).offences.map((o) => o.check));
  return Object.entries(HOST_CHECKS).flatMap(([id, what]) => (checks.has(id) ? [what] : []));
}

function apiAccess(workload: Resource, index: ResourceIndex, settings: Readonly<Record<string, unknown>>): string[] {
  const pod = podSpecOf(workload);
  if (!pod) return [];
  const token = tokenMountOf(pod, index);
  if (!token.mounted) return [];
  const ns = workload.namespace ?? DEFAULT_NAMESPACE;
  const sa = token.serviceAccount.name;
  const user = serviceAccountUser(ns, sa);
  const rbac = scanPolicy(index, settings).index;
  const out: string[] = [];
  const graph = scanEscalationGraph(index, settings);
  if (graph.shortestPath({ kind: 'ServiceAccount', name: sa, namespace: ns }, 'cluster-admin')) out.push(`service account ${sa} can escalate to cluster-admin`);
  else if (['get', 'list'].some((verb) => rbac.allows(user, { kind: 'resource', verb, namespace: ns, apiGroup: '', resource: 'secrets', subresource: '', name: '' })))
    out.push(`service account ${sa} can read secrets in namespace ${ns}`);
  return out;
}

export function workloadReach(workload: Resource, index: ResourceIndex, settings: Readonly<Record<string, unknown>>): Reach {
  return { exposedBy: exposure(workload, index), hostAccess: hostAccess(workload), apiAccess: apiAccess(workload, index, settings) };
}
