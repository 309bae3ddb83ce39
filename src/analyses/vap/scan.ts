// Policies over a set of scanned objects: every object is admitted as a CREATE (an UPDATE when an old
// version is given), and the outcome is turned into one rule per policy (`vap/<name>`) whose findings
// the engine reports, plus errors (not evaluated) and notes (failurePolicy Ignore).
import type { InputError, JsonObject, Resource, Severity, Skipped } from '../../model/types.js';
import type { Report, Rule } from '../../engine/rule.js';
import { evaluateRequest, requestFor, type RequestUser, type VapContext, type Violation } from './evaluate.js';
import { isVapKind, loadPolicies, type LoadedPolicies } from './policy.js';

export const ACTION_SEVERITY: Record<'Deny' | 'Warn' | 'Audit', Severity> = { Deny: 'high', Warn: 'medium', Audit: 'info' };

export interface VapEvaluationInput {
  /** The scanned objects: each is a target; Namespaces and params are also looked up among them. */
  resources: readonly Resource[];
  /** Old versions (kind/namespace/name) for UPDATE evaluation. */
  old: readonly Resource[];
  user: RequestUser;
  authorize: VapContext['authorize'];
  budget?: number;
}

export interface VapEvaluation {
  errors: InputError[];
  skipped: Skipped[];
  /** Objects evaluated (targets). */
  evaluated: number;
}

const keyOf = (r: Resource) => `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;

function severityOf(v: Violation): Severity {
  return v.actions.includes('Deny') ? ACTION_SEVERITY.Deny : v.actions.includes('Warn') ? ACTION_SEVERITY.Warn : ACTION_SEVERITY.Audit;
}

/**
 * The policies of the --policies files, compiled once. Its rules (one per policy, `vap/<name>`)
 * exist before any evaluation, so config and --rule can name them; `evaluate` fills what they report.
 */
export class PolicySet {
  readonly loaded: LoadedPolicies;
  readonly rules: Rule[] = [];
  private reports = new Map<Resource, Map<string, Report[]>>();

  constructor(policyObjects: readonly Resource[]) {
    this.loaded = loadPolicies(policyObjects);
    for (const policy of this.loaded.policies.values()) {
      const id = `vap/${policy.name}`;
      this.rules.push({
        meta: {
          id,
          title: `ValidatingAdmissionPolicy ${policy.name}`,
          severity: 'high',
          rationale: `The object fails the ValidatingAdmissionPolicy ${policy.name} (${policy.resource.file}); the API server would act on it per the binding's validationActions.`,
          remediation: 'Change the object so that the policy admits it, or change the policy or its binding.',
          references: {},
        },
        check: (c) => {
          for (const rep of this.reports.get(c.resource)?.get(policy.name) ?? []) c.report(rep);
        },
      });
    }
  }

  /** Admits every object of `input.resources`; compile errors of the policies come with each evaluation's errors. */
  evaluate(input: VapEvaluationInput): VapEvaluation {
    const out: VapEvaluation = { errors: [...this.loaded.errors], skipped: [], evaluated: 0 };
    const oldByKey = new Map(input.old.map((r) => [keyOf(r), r.object as JsonObject]));
    const ctx: VapContext = { resources: input.resources, authorize: input.authorize, ...(input.budget ? { budget: input.budget } : {}) };
    for (const r of input.resources) {
      if (isVapKind(r)) continue;
      out.evaluated++;
      const res = evaluateRequest(this.loaded, requestFor(r, input.user, oldByKey.get(keyOf(r))), ctx);
      for (const v of res.violations) {
        const rep: Report = {
          message: v.message,
          severity: severityOf(v),
          details: { binding: v.binding.name, validationActions: v.actions, reason: v.reason, ...(v.params ? { params: v.params } : {}), ...(v.auditAnnotations ? { auditAnnotations: v.auditAnnotations } : {}) },
        };
        if (v.path) rep.path = v.path;
        let byPolicy = this.reports.get(r);
        if (!byPolicy) this.reports.set(r, (byPolicy = new Map()));
        byPolicy.set(v.policy.name, [...(byPolicy.get(v.policy.name) ?? []), rep]);
      }
      for (const p of res.problems) {
        const loc = p.policy.resource.locator.locate(p.pointer);
        const what = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} (${r.file})`;
        if (p.ignored) out.skipped.push({ file: loc.file || p.policy.resource.file, line: loc.line, reason: `${p.message}; failurePolicy Ignore: ${what} admitted without this policy`, failsClosed: false });
        else out.errors.push({ file: loc.file || p.policy.resource.file, line: loc.line, column: loc.column, message: `${p.message}; ${what} is not evaluated by this policy (failurePolicy Fail)` });
      }
    }
    return out;
  }
}

/** One-shot: load the policies, evaluate them over the objects, and hand back the rules with the outcome. */
export function scanPolicies(input: VapEvaluationInput & { policyObjects: readonly Resource[] }): VapEvaluation & { rules: Rule[] } {
  const set = new PolicySet(input.policyObjects);
  return { ...set.evaluate(input), rules: set.rules };
}
