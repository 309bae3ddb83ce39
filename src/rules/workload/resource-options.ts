// Option parsing shared by the resource-limits and resource-requests rules (not a rule itself).
import type { ComputeResource } from '../../model/compute-resources.js';

/** The `resources` option: a list of cpu/memory. Anything else is a configuration error, not a silent pass. */
export function resourceListOption(v: unknown): ComputeResource[] {
  if (!Array.isArray(v) || !v.every((x) => x === 'cpu' || x === 'memory')) {
    throw new Error(`option "resources" must be a list of "cpu" and "memory", got ${JSON.stringify(v)}`);
  }
  return v as ComputeResource[];
}
