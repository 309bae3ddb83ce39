// Gateway API routes (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute): the Gateways they attach
// to and the Services they send traffic to, with ReferenceGrants for backends in other namespaces.
import type { Resource } from './types.js';
import { asArray, asObject, asString } from './json.js';

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export function isGatewayRoute(r: Resource): boolean {
  return ROUTE_KINDS.includes(r.kind) && groupOf(r.apiVersion) === GATEWAY_GROUP;
}

export interface RouteParent {
  name: string;
  namespace: string;
  path: string;
}

/** The Gateways a route attaches to (parentRefs of kind Gateway, the default). */
export function routeGateways(route: Resource): RouteParent[] {
  const out: RouteParent[] = [];
  asArray(asObject(route.object.spec)?.parentRefs).forEach((p, i) => {
    const o = asObject(p);
    const name = asString(o?.name);
    if (!name || (asString(o?.kind) ?? 'Gateway') !== 'Gateway' || (asString(o?.group) ?? GATEWAY_GROUP) !== GATEWAY_GROUP) return;
    out.push({ name, namespace: asString(o?.namespace) ?? route.namespace ?? '', path: `/spec/parentRefs/${i}` });
  });
  return out;
}

export interface RouteBackend {
  service: string;
  namespace: string;
  /** JSON Pointer of the backendRef. */
  path: string;
}

/** The Services a route sends traffic to (backendRefs of kind Service, the default, in core). */
export function routeBackends(route: Resource): RouteBackend[] {
  const out: RouteBackend[] = [];
  asArray(asObject(route.object.spec)?.rules).forEach((rule, i) =>
    asArray(asObject(rule)?.backendRefs).forEach((b, j) => {
      const o = asObject(b);
      const name = asString(o?.name);
      if (!name || (asString(o?.kind) ?? 'Service') !== 'Service' || (asString(o?.group) ?? '') !== '') return;
      out.push({ service: name, namespace: asString(o?.namespace) ?? route.namespace ?? '', path: `/spec/rules/${i}/backendRefs/${j}` });
    }),
  );
  return out;
}

/** Whether a ReferenceGrant in the backend's namespace lets routes of this kind and namespace reach that Service. */
export function referenceGranted(grants: readonly Resource[], route: Resource, backend: RouteBackend): boolean {
  const from = route.namespace ?? '';
  if (backend.namespace === from) return true;
  return grants.some((g) => {
    if ((g.namespace ?? '') !== backend.namespace) return false;
    const spec = asObject(g.object.spec);
    const fromOk = asArray(spec?.from).some((f) => {
      const o = asObject(f);
      return asString(o?.group) === GATEWAY_GROUP && asString(o?.kind) === route.kind && asString(o?.namespace) === from;
    });
    const toOk = asArray(spec?.to).some((t) => {
      const o = asObject(t);
      return (asString(o?.group) ?? '') === '' && asString(o?.kind) === 'Service' && (asString(o?.name) === undefined || asString(o?.name) === backend.service);
    });
    return fromOk && toOk;
  });
}
