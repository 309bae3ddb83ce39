// The pods and namespaces a reachability analysis talks about, built from manifests.
// Workloads stand for their pod templates; Pod objects are grouped under their controller.
import type { Resource } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { podSpecOf, podLabels } from '../../model/workloads.js';
import { isProtocol, type Protocol } from './ports.js';
import { DEFAULT_NAMESPACE, parsePolicy, type Policy } from './policy.js';
import { isKubernetesNetworkPolicy, otherPolicyOf, type OtherPolicy } from './other-policies.js';

/** Kinds whose pods run and take part in traffic (PodTemplate is only a template). */
export const TRAFFIC_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'DeploymentConfig'];

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface PodInfo {
  namespace: string;
  /** Workload name (the controller's for owned Pods). */
  name: string;
  /** Workload kind (`Pod` for a bare Pod). */
  kind: string;
  /** `namespace/name[Kind]`, the workload peer name (np-guard's spelling). */
  key: string;
  /** The Pod's own name when this came from a Pod object. */
  podName?: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  hostNetwork: boolean;
  resource?: Resource;
}

export interface Cluster {
  pods: PodInfo[];
  /** Namespace name → labels (with `kubernetes.io/metadata.name` added). */
  namespaces: Map<string, Record<string, string>>;
  policies: Policy[];
  /** CNI and AdminNetworkPolicy objects: not evaluated; conclusions they could change are withheld. */
  otherPolicies: OtherPolicy[];
}

export const NAME_LABEL = 'kubernetes.io/metadata.name';

function containerPorts(spec: Record<string, unknown>): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of asArray(spec.containers as never)) {
    if (!isObject(c)) continue;
    for (const p of asArray(c.ports)) {
      if (!isObject(p) || typeof p.containerPort !== 'number') continue;
      const protocol = p.protocol === undefined ? 'TCP' : p.protocol;
      if (!isProtocol(protocol)) continue;
      const cp: ContainerPort = { port: p.containerPort, protocol };
      if (typeof p.name === 'string') cp.name = p.name;
      out.push(cp);
    }
  }
  return out;
}

/** The controller owner of a Pod (name and kind), if any. */
/** Owners that are workload controllers; a static pod's owner (a Node) is not. */
const CONTROLLER_KINDS = new Set([...TRAFFIC_KINDS.filter((k) => k !== 'Pod'), 'Pod']);

function controllerOf(r: Resource): { name: string; kind: string } | undefined {
  const refs = asArray(getOwnerRefs(r));
  const ctrl = refs.find((o) => isObject(o) && o.controller === true) ?? refs[0];
  if (!isObject(ctrl) || typeof ctrl.name !== 'string') return undefined;
  const kind = asString(ctrl.kind) ?? 'Pod';
  return CONTROLLER_KINDS.has(kind) ? { name: ctrl.name, kind } : undefined;
}

function getOwnerRefs(r: Resource) {
  return asObject(r.object.metadata)?.ownerReferences;
}

export function podFromResource(r: Resource): PodInfo | undefined {
  if (!TRAFFIC_KINDS.includes(r.kind)) return undefined;
  const pod = podSpecOf(r);
  const namespace = r.namespace ?? DEFAULT_NAMESPACE;
  let name = r.name;
  let kind = r.kind;
  let podName: string | undefined;
  if (r.kind === 'Pod') {
    podName = r.name;
    const owner = controllerOf(r);
    if (owner) {
      name = owner.name;
      kind = owner.kind;
    }
  }
  const info: PodInfo = {
    namespace,
    name,
    kind,
    key: `${namespace}/${name}[${kind}]`,
    labels: r.kind === 'Pod' ? r.labels : podLabels(r),
    ports: pod ? containerPorts(pod.spec) : [],
    hostNetwork: pod?.spec.hostNetwork === true,
    resource: r,
  };
  if (podName !== undefined) info.podName = podName;
  return info;
}

/** Views already built, by the resources array (with its length, so an array grown since is seen). */
const built = new WeakMap<readonly Resource[], { length: number; cluster: Cluster }>();

/**
 * Builds the cluster view from resources: pods, namespaces with labels, parsed policies. Built once
 * per resources array: the four NetworkPolicy rules and the attack graph each ask for the index's
 * `all`, and a view reads every object. Callers must not mutate it.
 */
export function clusterFromResources(resources: readonly Resource[]): Cluster {
  const hit = built.get(resources);
  if (hit && hit.length === resources.length) return hit.cluster;
  const cluster = buildCluster(resources);
  built.set(resources, { length: resources.length, cluster });
  return cluster;
}

function buildCluster(resources: readonly Resource[]): Cluster {
  const pods: PodInfo[] = [];
  const namespaces = new Map<string, Record<string, string>>();
  const policies: Policy[] = [];
  const otherPolicies: OtherPolicy[] = [];
  const ensureNs = (ns: string) => {
    if (!namespaces.has(ns)) namespaces.set(ns, { [NAME_LABEL]: ns });
  };
  for (const r of resources) {
    if (r.kind === 'Namespace') {
      namespaces.set(r.name, { ...r.labels, [NAME_LABEL]: r.name });
      continue;
    }
    if (isKubernetesNetworkPolicy(r)) {
      const p = parsePolicy(r.object, r);
      ensureNs(p.namespace);
      policies.push(p);
      continue;
    }
    const other = otherPolicyOf(r);
    if (other) {
      otherPolicies.push(other);
      continue;
    }
    const pod = podFromResource(r);
    if (pod) {
      ensureNs(pod.namespace);
      pods.push(pod);
    }
  }
  return { pods, namespaces, policies, otherPolicies };
}
