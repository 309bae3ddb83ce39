// `scan --policies PATH`: ValidatingAdmissionPolicies (and their bindings and params) read from files,
// evaluated against the scanned objects as CREATE requests (UPDATE with --old) from the --as user.
import type { InputError, Resource, Skipped } from '../model/types.js';
import type { CoverageRow } from '../engine/finding.js';
import type { AnyRule } from '../engine/rule.js';
import type { PolicySet } from '../analyses/vap/scan.js';

export const VAP_OPTIONS = {
  policies: { type: 'string', multiple: true },
  old: { type: 'string', multiple: true },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
} as const;

export const VAP_USAGE = `      --policies PATH   ValidatingAdmissionPolicies + bindings (+ params) to evaluate (repeatable; see docs/vap.md)
      --old PATH        old versions of the objects: those paired by kind/namespace/name are evaluated as UPDATE
      --as USER         requester for request.userInfo and the authorizer (default system:anonymous)
      --as-group G      group of the requester (repeatable)`;

export const DEFAULT_REQUESTER = 'system:anonymous';

/** The --policies files (and --old), read and compiled before the run so their rules can be named in config and --rule. */
export interface PolicyFiles {
  set: PolicySet;
  /** What the files hold (policies, bindings, params), for a set that adds a cluster's own policies. */
  objects: Resource[];
  old: Resource[];
  errors: InputError[];
  skipped: Skipped[];
}

export async function readPolicyFiles(values: { policies?: string[]; old?: string[] }): Promise<PolicyFiles | undefined> {
  if (!values.policies?.length) return undefined;
  const [{ loadInputs }, { PolicySet }] = await Promise.all([import('../input/files.js'), import('../analyses/vap/scan.js')]);
  const policies = await loadInputs(values.policies, undefined, false);
  const old = values.old?.length ? await loadInputs(values.old, undefined, false) : undefined;
  return {
    set: new PolicySet(policies.resources),
    objects: policies.resources,
    old: old?.resources ?? [],
    errors: [...policies.errors, ...(old?.errors ?? [])],
    skipped: [...policies.skipped, ...(old?.skipped ?? [])],
  };
}

/**
 * Evaluates the policies over `load.resources` (scanned files or a live cluster's objects) as the
 * --as user; errors and notes go into `load`, findings come from the set's rules when the engine runs.
 */
export async function evaluatePolicyFiles(
  files: PolicyFiles,
  values: { as?: string; 'as-group'?: string[] },
  load: PolicyLoad,
  settings: Readonly<Record<string, unknown>>,
): Promise<void> {
  await evaluateSet(files.set, files, values, load, settings);
}

type PolicyLoad = { resources: Resource[]; errors: InputError[]; skipped: Skipped[]; info?: { coverage: readonly CoverageRow[] } };

async function evaluateSet(set: PolicySet, files: PolicyFiles | undefined, values: { as?: string; 'as-group'?: string[] }, load: PolicyLoad, settings: Readonly<Record<string, unknown>>): Promise<void> {
  const [{ rbacAuthorize }, { ResourceIndex }, { userInfo }] = await Promise.all([import('../analyses/vap/rbac-authorize.js'), import('../model/index.js'), import('../analyses/rbac/match.js')]);
  const u = userInfo(values.as ?? DEFAULT_REQUESTER, values['as-group'] ?? []);
  const result = set.evaluate({ resources: load.resources, old: files?.old ?? [], user: { username: u.name, groups: u.groups }, authorize: rbacAuthorize(new ResourceIndex(load.resources), settings, rbacGaps(load.info?.coverage)) });
  load.errors.push(...(files?.errors ?? []), ...result.errors);
  load.skipped.push(...(files?.skipped ?? []), ...result.skipped);
}

/**
 * `scan --cluster`: the cluster's own ValidatingAdmissionPolicies and bindings (read with its
 * objects) are evaluated with the --policies files'; a file policy replaces the cluster's policy of
 * the same name (what would this new version reject?), and the cluster's bindings bind it. Returns
 * the rules for this cluster (`base` plus one per policy) when the cluster holds policies.
 */
export async function evaluateClusterPolicies(
  files: PolicyFiles | undefined,
  values: { as?: string; 'as-group'?: string[] },
  load: PolicyLoad,
  settings: Readonly<Record<string, unknown>>,
  base: readonly AnyRule[],
): Promise<AnyRule[] | undefined> {
  const { isVapKind, VAP_KIND } = await import('../analyses/vap/policy.js');
  const own = load.resources.filter(isVapKind);
  if (!own.length) {
    if (files) await evaluateSet(files.set, files, values, load, settings);
    return undefined;
  }
  const { PolicySet } = await import('../analyses/vap/scan.js');
  const replaced = new Set(files ? files.set.loaded.policies.keys() : []);
  const kept = own.filter((r) => !(r.kind === VAP_KIND && replaced.has(r.name)));
  for (const r of own) {
    if (kept.includes(r)) continue;
    load.skipped.push({ file: r.file, reason: `the cluster's ValidatingAdmissionPolicy ${r.name} is replaced by the --policies file's of the same name`, failsClosed: false });
  }
  const set = new PolicySet([...(files?.objects ?? []), ...kept]);
  await evaluateSet(set, files, values, load, settings);
  return [...base.filter((r) => !r.meta.id.startsWith('vap/')), ...set.rules];
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** RBAC kinds a live cluster did not let us read fully: the authorizer's denials are then errored. */
export function rbacGaps(coverage: readonly CoverageRow[] | undefined): string | undefined {
  const gaps = (coverage ?? []).filter((c) => RBAC_KINDS.has(c.kind) && (c.status === 'forbidden' || c.status === 'failed' || c.status === 'not-requested' || c.namespace !== undefined));
  return gaps.length ? gaps.map((c) => `${c.kind} ${c.namespace ? `read in ${c.namespace} only` : c.status}`).join(', ') : undefined;
}
