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

/** Verdicts from the policies' validationActions (Deny → enforce, Warn → warn, Audit → audit); errors under failurePolicy Fail deny. */
export function vapVerdicts(policies: LoadedPolicies, ctx: AdmissionContext, req: AdmissionRequest, settings: Readonly<Record<string, unknown>>): { verdicts: Verdict[]; failures: string[] } {
  const out = evaluateRequest(policies, vapRequest(req), { resources: ctx.resources, authorize: rbacAuthorize(ctx.index, settings) });
  const verdicts: Verdict[] = [];
  for (const v of out.violations) {
    const modes: Mode[] = v.actions.map((a) => (a === 'Deny' ? 'enforce' : a === 'Warn' ? 'warn' : 'audit'));
    // Deny and Warn together: denied, and the warning shown too, as the API server does.
    for (const mode of new Set(modes)) {
      if (mode === 'audit' && modes.length > 1) continue;
      const severity = mode === 'enforce' ? ACTION_SEVERITY.Deny : mode === 'warn' ? ACTION_SEVERITY.Warn : ACTION_SEVERITY.Audit;
      verdicts.push({ ruleId: `vap/${v.policy.name}`, severity, path: v.path ?? '', message: v.message, mode, existing: false });
    }
  }
  return { verdicts, failures: out.problems.filter((p) => !p.ignored).map((p) => p.message) };
}
