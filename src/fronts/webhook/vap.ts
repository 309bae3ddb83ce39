// The webhook evaluates the same ValidatingAdmissionPolicies as `scan --policies`, on the real
// request: its operation, userInfo (for `request.userInfo` and the authorizer), object and oldObject.
import type { AdmissionRequest } from '../../input/admission.js';
import type { LoadedPolicies } from '../../analyses/vap/policy.js';
import { evaluateRequest, type VapRequest } from '../../analyses/vap/evaluate.js';
import { rbacAuthorize } from '../../analyses/vap/rbac-authorize.js';
import { ACTION_SEVERITY } from '../../analyses/vap/scan.js';
import type { AdmissionContext } from './admit.js';
import type { Mode, Verdict } from './policy.js';

function vapRequest(req: AdmissionRequest): VapRequest {
  return {
    operation: req.operation,
    group: req.kind.group,
    version: req.kind.version,
    kind: req.kind.kind,
    resource: req.resource.resource,
    subResource: req.subResource ?? '',
    name: req.name ?? '',
    namespace: req.namespace ?? '',
    object: req.object ?? null,
    oldObject: req.oldObject ?? null,
    userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid ? { uid: req.userInfo.uid } : {}) },
    dryRun: req.dryRun,
  };
}

/** Verdicts from the policies' validationActions (Deny → enforce, Warn → warn, Audit → audit); errors under failurePolicy Fail follow the same actions (Deny: the request is denied as not evaluated). */
export function vapVerdicts(policies: LoadedPolicies, ctx: AdmissionContext, req: AdmissionRequest, settings: Readonly<Record<string, unknown>>): { verdicts: Verdict[]; failures: string[] } {
  const out = evaluateRequest(policies, vapRequest(req), { resources: ctx.resources, authorize: rbacAuthorize(ctx.index, settings) });
  const verdicts: Verdict[] = [];
  const push = (policy: string, actions: readonly ('Deny' | 'Warn' | 'Audit')[], path: string, message: string) => {
    const modes = new Set<Mode>(actions.map((a) => (a === 'Deny' ? 'enforce' : a === 'Warn' ? 'warn' : 'audit')));
    // Deny and Warn together: denied, and the warning shown too, as the API server does.
    for (const mode of modes) {
      if (mode === 'audit' && modes.size > 1) continue;
      const severity = mode === 'enforce' ? ACTION_SEVERITY.Deny : mode === 'warn' ? ACTION_SEVERITY.Warn : ACTION_SEVERITY.Audit;
      verdicts.push({ ruleId: `vap/${policy}`, severity, path, message, mode, existing: false });
    }
  };
  for (const v of out.violations) push(v.policy.name, v.actions, v.path ?? '', v.message);
  const failures: string[] = [];
  for (const p of out.problems) {
    if (p.ignored) continue;
    // failurePolicy Fail: the error is enforced by the binding's actions, as the API server does; with Deny it denies.
    if (p.binding.validationActions.includes('Deny')) failures.push(p.message);
    else push(p.policy.name, p.binding.validationActions, '', `not evaluated: ${p.message}`);
  }
  return { verdicts, failures };
}
