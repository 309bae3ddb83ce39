// Policies over a set of scanned objects: every object is admitted as a CREATE (an UPDATE when an old
// version is given), and the outcome is turned into one rule per policy (`vap/<name>`) whose findings
// the engine reports, plus errors (not evaluated) and notes (failurePolicy Ignore).
import type { InputError, JsonObject, Resource, Severity, Skipped } from '../../model/types.js';
import type { Report, Rule } from '../../engine/rule.js';
import { evaluateRequest, requestFor, type RequestUser, type VapContext, type Violation } from './evaluate.js';
import { isVapKind, loadPolicies } from './policy.js';

export const ACTION_SEVERITY: Record<'Deny' | 'Warn' | 'Audit', Severity> = { Deny: 'high', Warn: 'medium', Audit: 'info' };

export interface VapScanInput {
  /** The objects of the --policies files (policies, bindings and any params beside them). */
  policyObjects: readonly Resource[];
  /** The scanned objects: each is a target; with policyObjects, the pool params and Namespaces come from. */
  resources: readonly Resource[];
  /** Old versions (kind/namespace/name) for UPDATE evaluation. */
  old: readonly Resource[];
  user: RequestUser;
  authorize: VapContext['authorize'];
  budget?: number;
}

export interface VapScan {
  rules: Rule[];
  errors: InputError[];
  skipped: Skipped[];
  /** Objects evaluated (targets). */
  evaluated: number;
}

const keyOf = (r: Resource) => `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;

function severityOf(v: Violation): Severity {
  return v.actions.includes('Deny') ? ACTION_SEVERITY.Deny : v.actions.includes('Warn') ? ACTION_SEVERITY.Warn : ACTION_SEVERITY.Audit;
}

export function scanPolicies(input: VapScanInput): VapScan {
  const loaded = loadPolicies(input.policyObjects);
  const out: VapScan = { rules: [], errors: [...loaded.errors], skipped: [], evaluated: 0 };
  const oldByKey = new Map(input.old.map((r) => [keyOf(r), r.object as JsonObject]));
  const ctx: VapContext = { resources: input.resources, authorize: input.authorize, ...(input.budget ? { budget: input.budget } : {}) };
  const reports = new Map<string, Map<Resource, Report[]>>();
  for (const r of input.resources) {
    if (isVapKind(r)) continue;
    out.evaluated++;
    const res = evaluateRequest(loaded, requestFor(r, input.user, oldByKey.get(keyOf(r))), ctx);
    for (const v of res.violations) {
      let byRes = reports.get(v.policy.name);
      if (!byRes) reports.set(v.policy.name, (byRes = new Map()));
      const rep: Report = {
        message: v.message,
        severity: severityOf(v),
        details: { binding: v.binding.name, validationActions: v.actions, reason: v.reason, ...(v.params ? { params: v.params } : {}), ...(v.auditAnnotations ? { auditAnnotations: v.auditAnnotations } : {}) },
      };
      if (v.path) rep.path = v.path;
      byRes.set(r, [...(byRes.get(r) ?? []), rep]);
    }
    for (const p of res.problems) {
      const loc = p.policy.resource.locator.locate(p.pointer);
      const what = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} (${r.file})`;
      if (p.ignored) out.skipped.push({ file: loc.file || p.policy.resource.file, line: loc.line, reason: `${p.message}; failurePolicy Ignore: ${what} admitted without this policy`, failsClosed: false });
      else out.errors.push({ file: loc.file || p.policy.resource.file, line: loc.line, column: loc.column, message: `${p.message}; ${what} is not evaluated by this policy (failurePolicy Fail)` });
    }
  }
  for (const policy of loaded.policies.values()) {
    const byRes = reports.get(policy.name) ?? new Map<Resource, Report[]>();
    out.rules.push({
      meta: {
        id: `vap/${policy.name}`,
        title: `ValidatingAdmissionPolicy ${policy.name}`,
        severity: 'high',
        rationale: `The object fails the ValidatingAdmissionPolicy ${policy.name} (${policy.resource.file}); the API server would act on it per the binding's validationActions.`,
        remediation: 'Change the object so that the policy admits it, or change the policy or its binding.',
        references: {},
      },
      check(c) {
        for (const rep of byRes.get(c.resource) ?? []) c.report(rep);
      },
    });
  }
  return out;
}
