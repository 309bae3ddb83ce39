// CPU and memory requests/limits of a container as Kubernetes would apply them.
import type { ResourceIndex } from './index.js';
import type { Resource } from './types.js';
import { allContainers, describeContainer, type ContainerRef } from './workloads.js';
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

/**
 * The `resources` option of the rules that require a bound (which of cpu/memory must be set), as
 * metadata: its JSON Schema and default (both).
 */
export function boundOption(bound: ResourceBound): { optionsSchema: Record<string, unknown>; defaults: { resources: ComputeResource[] } } {
  const noun = bound === 'limits' ? 'a limit' : 'a request';
  return {
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { resources: { type: 'array', items: { enum: ['cpu', 'memory'] }, uniqueItems: true, description: `Resources that must have ${noun}.` } },
    },
    defaults: { resources: ['cpu', 'memory'] },
  };
}

/** The `resources` option: a list of cpu/memory. Anything else is a configuration error, not a silent pass. */
export function resourceListOption(v: unknown): ComputeResource[] {
  if (!Array.isArray(v) || !v.every((x) => x === 'cpu' || x === 'memory')) {
    throw new Error(`option "resources" must be a list of "cpu" and "memory", got ${JSON.stringify(v)}`);
  }
  return v as ComputeResource[];
}

export interface MissingBound {
  container: ContainerRef;
  /** The wanted resources whose bound is not set, in the order asked for. */
  missing: ComputeResource[];
  /** Where to point: the deepest existing object on the way to `resources.<bound>`. */
  path: string;
  /** E.g. `container "app" has no CPU and memory limit`. */
  message: string;
}

/** Containers and init containers of a workload that lack `bound` for some of `wanted` (after defaults). */
export function missingBounds(resource: Resource, bound: ResourceBound, wanted: ComputeResource[], index: ResourceIndex): MissingBound[] {
  const out: MissingBound[] = [];
  for (const c of allContainers(resource, ['containers', 'initContainers'])) {
    const missing = wanted.filter((res) => !boundOf(c, bound, res, index).set);
    if (missing.length === 0) continue;
    const what = missing.map((m) => (m === 'cpu' ? 'CPU' : 'memory')).join(' and ');
    out.push({ container: c, missing, path: boundPath(c, bound), message: `${describeContainer(c)} has no ${what} ${bound === 'limits' ? 'limit' : 'request'}` });
  }
  return out;
}
