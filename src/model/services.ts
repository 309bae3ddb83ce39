// Reading Service and Ingress objects: types, exposure, the workloads behind them. Shared by the
// exposure rules and the analyses (vulnerability ranking, attack paths): model, so analyses never import rules.
import type { Resource } from './types.js';
import type { ResourceIndex } from './index.js';
import { asArray, asObject, asString, isObject } from './json.js';
import { allContainers, WORKLOAD_KINDS } from './workloads.js';

/** Cloud annotations that make a LoadBalancer internal (not reachable from the internet). */
const INTERNAL_LB_ANNOTATIONS: Record<string, (v: string) => boolean> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': (v) => v !== 'false',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': (v) => v === 'internal',
  'networking.gke.io/load-balancer-type': (v) => v.toLowerCase() === 'internal',
  'cloud.google.com/load-balancer-type': (v) => v.toLowerCase() === 'internal',
  'service.beta.kubernetes.io/azure-load-balancer-internal': (v) => v === 'true',
  'service.beta.kubernetes.io/oci-load-balancer-internal': (v) => v === 'true',
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': (v) => v === 'private',
};

export function serviceType(r: Resource): string {
  return asString(asObject(r.object.spec)?.type) ?? 'ClusterIP';
}

export function isInternalLoadBalancer(r: Resource): boolean {
  return Object.entries(INTERNAL_LB_ANNOTATIONS).some(([k, test]) => r.annotations[k] !== undefined && test(r.annotations[k]!));
}

export function externalIPs(r: Resource): unknown[] {
  return asArray(asObject(r.object.spec)?.externalIPs);
}

/** Reachable from outside the cluster: an external LoadBalancer, a NodePort, or externalIPs. */
export function isExternallyExposed(r: Resource): boolean {
  const t = serviceType(r);
  return (t === 'LoadBalancer' && !isInternalLoadBalancer(r)) || t === 'NodePort' || externalIPs(r).length > 0;
}

export interface ServicePort {
  index: number;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  name?: string;
}

export function servicePorts(r: Resource): ServicePort[] {
  return asArray(asObject(r.object.spec)?.ports).flatMap((p, index) => {
    if (!isObject(p)) return [];
    const sp: ServicePort = { index };
    if (typeof p.port === 'number') sp.port = p.port;
    if (typeof p.targetPort === 'number' || typeof p.targetPort === 'string') sp.targetPort = p.targetPort;
    if (typeof p.nodePort === 'number') sp.nodePort = p.nodePort;
    if (typeof p.name === 'string') sp.name = p.name;
    return [sp];
  });
}

/** The workloads of the input a Service sends traffic to (same namespace, pod labels match its selector); undefined when it has no selector. */
export function serviceBackends(index: ResourceIndex, svc: Resource): Resource[] | undefined {
  const selector = asObject(asObject(svc.object.spec)?.selector);
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector)) if (typeof v === 'string') matchLabels[k] = v;
  return index.selectPods(WORKLOAD_KINDS, matchLabels, svc.namespace ?? '');
}

/** The repository's last path segment, without registry, tag or digest: `quay.io/argoproj/argocd:v2.9` → `argocd`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

export interface BackendContainer {
  workload: Resource;
  container: string;
  image: string;
  hostNetwork: boolean;
}

// Per list of workloads: `serviceBackends` hands Services with the same selector the same list, so
// one app copied across a namespace (every Service of N copies backed by N workloads) is read once.
const containersOfList = new WeakMap<readonly Resource[], BackendContainer[]>();

/** Every container (init containers excluded: they serve nothing) of the given workloads, with its image. Shared: do not mutate. */
export function backendContainers(workloads: readonly Resource[]): BackendContainer[] {
  let known = containersOfList.get(workloads);
  if (!known) containersOfList.set(workloads, (known = containersOf(workloads)));
  return known;
}

function containersOf(workloads: readonly Resource[]): BackendContainer[] {
  return workloads.flatMap((w) =>
    allContainers(w, ['containers']).flatMap((c) => {
      const image = asString(c.container.image);
      return image ? [{ workload: w, container: c.name, image, hostNetwork: c.pod.spec.hostNetwork === true }] : [];
    }),
  );
}

export interface IngressBackend {
  service: string;
  /** JSON Pointer of the service name inside the Ingress. */
  path: string;
}

/** Services an Ingress routes to (networking.k8s.io/v1 and the older serviceName form). */
export function ingressBackends(ing: Resource): IngressBackend[] {
  const spec = asObject(ing.object.spec);
  const out: IngressBackend[] = [];
  const read = (b: unknown, path: string) => {
    const o = asObject(b as never);
    const v1 = asString(asObject(o?.service)?.name);
    if (v1) out.push({ service: v1, path: `${path}/service/name` });
    else if (asString(o?.serviceName)) out.push({ service: asString(o?.serviceName)!, path: `${path}/serviceName` });
  };
  if (spec?.defaultBackend) read(spec.defaultBackend, '/spec/defaultBackend');
  else if (spec?.backend) read(spec.backend, '/spec/backend');
  asArray(spec?.rules).forEach((r, i) => asArray(asObject(asObject(r)?.http)?.paths).forEach((p, j) => read(asObject(p)?.backend, `/spec/rules/${i}/http/paths/${j}/backend`)));
  return out;
}
