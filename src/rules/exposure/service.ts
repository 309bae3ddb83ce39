// Shared reading of Service objects for the exposure rules (kept here: rules never import other rules).
import type { Resource } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';

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
