// CPU and memory requests/limits of a container as Kubernetes would apply them.
import type { ResourceIndex } from './index.js';
import type { ContainerRef } from './workloads.js';
import { asArray, asObject, asString, getIn } from './json.js';

export type ComputeResource = 'cpu' | 'memory';
export type ResourceBound = 'limits' | 'requests';

/** A quantity that is absent, mistyped or zero bounds nothing. */
export function isUnsetQuantity(v: unknown): boolean {
  if (typeof v === 'number') return !(v > 0);
  if (typeof v !== 'string') return true;
  return /^\s*[+]?0*(\.0*)?\s*([a-zA-Z]{0,2})\s*$/.test(v) && !/[1-9]/.test(v);
}

export interface BoundSource {
  set: boolean;
  /** Where it comes from when set. */
  from?: 'container' | 'limit' | 'pod' | 'limitrange';
}

/**
 * Whether the container's `bound` of `res` is set, counting what the API server fills in:
 * a request defaults to the container's limit, pod-level resources bound all containers, and a
 * LimitRange of type Container in the same namespace (found in the input) supplies defaults.
 */
export function boundOf(c: ContainerRef, bound: ResourceBound, res: ComputeResource, index: ResourceIndex): BoundSource {
  if (!isUnsetQuantity(getIn(c.container, 'resources', bound, res))) return { set: true, from: 'container' };
  if (bound === 'requests' && !isUnsetQuantity(getIn(c.container, 'resources', 'limits', res))) return { set: true, from: 'limit' };
  if (!isUnsetQuantity(getIn(c.pod.spec, 'resources', bound, res))) return { set: true, from: 'pod' };
  const ns = c.pod.resource.namespace ?? '';
  for (const lr of index.ofKind('LimitRange')) {
    if ((lr.namespace ?? '') !== ns) continue;
    for (const item of asArray(getIn(lr.object, 'spec', 'limits'))) {
      const o = asObject(item);
      if (!o || asString(o.type) !== 'Container') continue;
      // defaultRequest falls back to default (the default limit) when unset.
      const keys = bound === 'limits' ? ['default'] : ['defaultRequest', 'default'];
      if (keys.some((k) => !isUnsetQuantity(getIn(o, k, res)))) return { set: true, from: 'limitrange' };
    }
  }
  return { set: false };
}

/** The deepest existing object on the way to `resources.<bound>`, for pointing at the right line. */
export function boundPath(c: ContainerRef, bound: ResourceBound): string {
  const r = asObject(c.container.resources);
  if (!r) return c.path;
  if (asObject(r[bound])) return `${c.path}/resources/${bound}`;
  return `${c.path}/resources`;
}
