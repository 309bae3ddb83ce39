// The cluster's RBAC as `rampart scan` sees it: the scanned objects plus, when the CLI passed them in
// `settings.rbac.defaultObjects`, the bootstrap roles and bindings every cluster has. The defaults
// are context only: rules resolve roleRefs and escalation steps through them but never report on them.
import type { Resource } from '../../model/types.js';
import type { ResourceIndex } from '../../model/index.js';
import { isObject } from '../../model/json.js';
import { RbacIndex } from './authorizer.js';
import { mergePolicies, policyFromResources, type BindingDef, type Policy, type RoleDef } from './policy.js';

export interface ScanPolicy {
  policy: Policy;
  index: RbacIndex;
  /** Bootstrap objects (from settings); never the subject of a finding. */
  defaults: ReadonlySet<Resource>;
  hasDefaults: boolean;
  /** The binding read from each scanned or default object. */
  bindingOf: ReadonlyMap<Resource, BindingDef>;
}

function isResource(x: unknown): x is Resource {
  return isObject(x) && typeof x.kind === 'string' && typeof x.name === 'string' && isObject(x.object) && isObject(x.labels);
}

/** The bootstrap objects handed to rules in `settings.rbac.defaultObjects` (anything else is ignored). */
export function defaultObjectsOf(settings: Readonly<Record<string, unknown>>): Resource[] {
  const rbac = settings.rbac;
  if (!isObject(rbac) || rbac.defaults === false || !Array.isArray(rbac.defaultObjects)) return [];
  // The same list for the same settings: callers key their caches by it (once per scan, not per call).
  let objects = defaultObjects.get(rbac.defaultObjects);
  if (!objects) defaultObjects.set(rbac.defaultObjects, (objects = (rbac.defaultObjects as unknown[]).filter(isResource)));
  return objects;
}

const defaultObjects = new WeakMap<unknown[], Resource[]>();

const cache = new WeakMap<ResourceIndex, { defaults: unknown; value: ScanPolicy }>();

/**
 * The bootstrap objects' policy, read once per list (a scan of a folder of projects has one world per
 * project, each with the same defaults). Its roles and bindings are never written after they are read,
 * so every world shares them (read-only), and caches keyed by role or binding serve every world.
 */
function defaultPolicyOf(defaults: Resource[]): Policy {
  let p = defaultPolicies.get(defaults);
  if (!p) defaultPolicies.set(defaults, (p = policyFromResources(defaults)));
  return p;
}

const defaultPolicies = new WeakMap<Resource[], Policy>();

/** Policy and authorizer index over scanned + default objects, built once per scan. */
export function scanPolicy(resources: ResourceIndex, settings: Readonly<Record<string, unknown>>): ScanPolicy {
  const rbac = isObject(settings.rbac) ? settings.rbac : {};
  const hit = cache.get(resources);
  if (hit && hit.defaults === rbac.defaultObjects) return hit.value;
  const defaults = defaultObjectsOf(settings);
  const policy = mergePolicies(defaultPolicyOf(defaults), policyFromResources(resources.all));
  // Without the defaults, bindings to cluster-admin still resolve: it exists in every cluster with fixed rules.
  const bindingOf = new Map<Resource, BindingDef>();
  for (const b of policy.bindings) if (b.resource) bindingOf.set(b.resource, b);
  const value: ScanPolicy = { policy, index: new RbacIndex(policy, { assumeClusterAdmin: true }), defaults: new Set(defaults), hasDefaults: defaults.length > 0, bindingOf };
  cache.set(resources, { defaults: rbac.defaultObjects, value });
  return value;
}

/**
 * The bootstrap role a binding references when that role is not among the scanned objects
 * (a user binding to `edit`, `admin`, `view`, `system:*`), with its aggregated rules.
 */
export function defaultRoleOf(b: BindingDef, sp: ScanPolicy): RoleDef | undefined {
  if (!sp.hasDefaults) return undefined;
  const role = sp.index.roleOf(b);
  return role?.resource && sp.defaults.has(role.resource) ? role : undefined;
}
