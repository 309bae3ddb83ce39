// `scan --policies PATH`: ValidatingAdmissionPolicies (and their bindings and params) read from files,
// evaluated against the scanned objects as CREATE requests (UPDATE with --old) from the --as user.
import type { Rule } from '../engine/rule.js';
import type { InputError, Resource, Skipped } from '../model/types.js';

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

/**
 * Loads the policy files, evaluates them over `load.resources` (scanned files or a live cluster's
 * objects) and returns one rule per policy (errors go to `load`).
 */
export async function policyRules(
  values: { policies?: string[]; old?: string[]; as?: string; 'as-group'?: string[] },
  load: { resources: Resource[]; errors: InputError[]; skipped: Skipped[] },
  settings: Readonly<Record<string, unknown>>,
): Promise<Rule[]> {
  if (!values.policies?.length) return [];
  const [{ loadInputs }, { scanPolicies }, { rbacAuthorize }, { ResourceIndex }, { userInfo }] = await Promise.all([
    import('../input/files.js'),
    import('../analyses/vap/scan.js'),
    import('../analyses/vap/rbac-authorize.js'),
    import('../model/index.js'),
    import('../analyses/rbac/match.js'),
  ]);
  const policies = await loadInputs(values.policies, undefined, false);
  const old = values.old?.length ? await loadInputs(values.old, undefined, false) : undefined;
  for (const l of [policies, old]) {
    if (!l) continue;
    load.errors.push(...l.errors);
    load.skipped.push(...l.skipped);
  }
  const u = userInfo(values.as ?? DEFAULT_REQUESTER, values['as-group'] ?? []);
  const result = scanPolicies({
    policyObjects: policies.resources,
    resources: load.resources,
    old: old?.resources ?? [],
    user: { username: u.name, groups: u.groups },
    authorize: rbacAuthorize(new ResourceIndex(load.resources), settings),
  });
  load.errors.push(...result.errors);
  load.skipped.push(...result.skipped);
  return result.rules;
}
