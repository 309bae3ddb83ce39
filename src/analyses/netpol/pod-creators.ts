// Objects in the input that may create pods the manifests do not show: operators' custom resources
// (Prometheus, Alertmanager, CephCluster, Kafka, …) and workloads whose service account may create
// pods or pod controllers (Longhorn's manager, Rook's operator). A selector that matches no pod
// template in the input may still match the pods these create.
import type { Resource } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { podSpecOf } from '../../model/workloads.js';
import { TRAFFIC_KINDS } from './cluster.js';
import { otherPolicyOf } from './other-policies.js';
import { DEFAULT_NAMESPACE } from './policy.js';

/** API groups served by Kubernetes itself: objects in any other group are custom resources. */
const BUILTIN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
  'policy.networking.k8s.io',
  'gateway.networking.k8s.io',
  'snapshot.storage.k8s.io',
  'metrics.k8s.io',
]);

/** Custom resources that only configure something (scraping, certificates, routes): they create no pods. */
const CONFIG_ONLY = new Set([
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/ScrapeConfig',
  'monitoring.coreos.com/AlertmanagerConfig',
  'cert-manager.io/Certificate',
  'cert-manager.io/CertificateRequest',
  'cert-manager.io/Issuer',
  'traefik.io/IngressRoute',
  'traefik.io/Middleware',
  'traefik.containo.us/IngressRoute',
  'traefik.containo.us/Middleware',
  'autoscaling.k8s.io/VerticalPodAutoscaler',
  'keda.sh/ScaledObject',
  'kyverno.io/Policy',
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/SecretStore',
  'bitnami.com/SealedSecret',
  'networking.istio.io/VirtualService',
  'networking.istio.io/DestinationRule',
  'networking.istio.io/Gateway',
  'networking.istio.io/ServiceEntry',
  'security.istio.io/PeerAuthentication',
  'security.istio.io/AuthorizationPolicy',
  'security.istio.io/RequestAuthentication',
]);

/** Resources whose creation makes pods. */
const POD_MAKING = new Set(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers', '*']);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function rulesCreatePods(role: Resource): boolean {
  const rules = asArray(asObject(role.object)?.rules);
  return rules.some((r) => {
    if (!isObject(r)) return false;
    const verbs = asArray(r.verbs);
    const groups = asArray(r.apiGroups);
    const resources = asArray(r.resources);
    return (
      verbs.some((v) => v === 'create' || v === '*') &&
      groups.some((g) => g === '' || g === 'apps' || g === 'batch' || g === '*') &&
      resources.some((x) => typeof x === 'string' && POD_MAKING.has(x)) &&
      asArray(r.resourceNames).length === 0
    );
  });
}

export interface PodCreator {
  /** What may create pods, for messages: `Prometheus monitoring/k8s (custom resource)`. */
  evidence: string;
}

/**
 * Per namespace, the first object of the input that may create pods there (undefined: none).
 * Custom resources count in their own namespace; a workload counts where its service account may
 * create pods or controllers: a RoleBinding's namespace, or every namespace for a ClusterRoleBinding.
 */
export function podCreators(resources: readonly Resource[]): (namespace: string) => PodCreator | undefined {
  const byNs = new Map<string, PodCreator>();
  let everywhere: PodCreator | undefined;
  const roles = new Map<string, Resource>();
  const workloadsBySa = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.kind === 'Role' || r.kind === 'ClusterRole') roles.set(`${r.kind}/${r.kind === 'Role' ? (r.namespace ?? DEFAULT_NAMESPACE) : ''}/${r.name}`, r);
    else if (TRAFFIC_KINDS.includes(r.kind)) {
      const spec = podSpecOf(r)?.spec;
      const sa = asString(spec?.serviceAccountName) ?? asString(spec?.serviceAccount) ?? 'default';
      const key = `${r.namespace ?? DEFAULT_NAMESPACE}/${sa}`;
      const list = workloadsBySa.get(key);
      if (list) list.push(r);
      else workloadsBySa.set(key, [r]);
    } else if (r.namespace !== undefined && !BUILTIN_GROUPS.has(groupOf(r.apiVersion)) && !CONFIG_ONLY.has(`${groupOf(r.apiVersion)}/${r.kind}`) && !otherPolicyOf(r) && !byNs.has(r.namespace)) {
      byNs.set(r.namespace, { evidence: `${r.kind} ${r.namespace}/${r.name} (a custom resource: its operator may create pods)` });
    }
  }
  for (const b of resources) {
    if (b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') continue;
    const ref = asObject(asObject(b.object)?.roleRef);
    const refKind = asString(ref?.kind);
    const refName = asString(ref?.name);
    const bindingNs = b.kind === 'RoleBinding' ? (b.namespace ?? DEFAULT_NAMESPACE) : undefined;
    const role = refKind === 'Role' ? roles.get(`Role/${bindingNs}/${refName}`) : roles.get(`ClusterRole//${refName}`);
    if (!role || !rulesCreatePods(role)) continue;
    for (const s of asArray(asObject(b.object)?.subjects)) {
      if (!isObject(s) || s.kind !== 'ServiceAccount' || typeof s.name !== 'string') continue;
      const saNs = asString(s.namespace) ?? bindingNs ?? DEFAULT_NAMESPACE;
      const w = workloadsBySa.get(`${saNs}/${s.name}`)?.[0];
      if (!w) continue;
      const creator = { evidence: `${w.kind} ${saNs}/${w.name} (service account ${s.name} may create pods through ${b.kind} ${b.name})` };
      if (bindingNs === undefined) everywhere ??= creator;
      else if (!byNs.has(bindingNs)) byNs.set(bindingNs, creator);
    }
  }
  return (ns) => byNs.get(ns) ?? everywhere;
}
