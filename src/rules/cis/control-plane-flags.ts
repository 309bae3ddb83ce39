// Rules for control-plane static Pods (kube-apiserver, etcd, kube-controller-manager, kube-scheduler),
// one per CIS item, generated from the data in analyses/node/control-plane-checks.ts (the kube-linter
// pattern: one template, many documented checks).
import { defineRule, type Rule } from '../../engine/rule.js';
import { CONTROL_PLANE_CHECKS, type FlagCheck } from '../../analyses/node/control-plane-checks.js';
import { controlPlaneFlags } from '../../analyses/node/flags.js';
import { evaluateFlagCheck } from '../../analyses/node/evaluate.js';
import { cisCheckRuleMeta, violationReport } from '../../analyses/node/check-meta.js';

export function flagRule(check: FlagCheck): Rule {
  return defineRule({
    meta: { ...cisCheckRuleMeta(check), ...(check.tests.some((t) => t.fix !== undefined) ? { fixClass: 'may-break' as const, fixRisk: 'a component flag changes how the control plane serves (clients or probes relying on the old setting fail)' } : {}), kinds: ['Pod'] },
    check(ctx) {
      const flags = controlPlaneFlags(ctx.resource);
      if (!flags || flags.component !== check.component) return;
      const v = evaluateFlagCheck(check, flags);
      if (v) ctx.report(violationReport(v));
    },
  });
}

export const controlPlaneFlagRules: Rule[] = CONTROL_PLANE_CHECKS.map(flagRule);
