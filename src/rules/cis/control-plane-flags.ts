// Rules for control-plane static Pods (kube-apiserver, etcd, kube-controller-manager, kube-scheduler),
// one per CIS item, generated from the data in analyses/node/control-plane-checks.ts (the kube-linter
// pattern: one template, many documented checks).
import { defineRule, type Rule } from '../../engine/rule.js';
import { CONTROL_PLANE_CHECKS, type FlagCheck } from '../../analyses/node/control-plane-checks.js';
import { controlPlaneFlags } from '../../analyses/node/flags.js';
import { evaluateFlagCheck } from '../../analyses/node/evaluate.js';

export function flagRule(check: FlagCheck): Rule {
  const references: Rule['meta']['references'] = { cis: check.cis, nsa: check.nsa, mitre: check.mitre };
  if (check.urls) references.urls = check.urls;
  return defineRule({
    meta: {
      id: `cis/${check.name}`,
      title: check.title,
      severity: check.severity,
      rationale: check.note ? `${check.rationale} (${check.note})` : check.rationale,
      remediation: check.remediation,
      references,
      kinds: ['Pod'],
      ...(check.defaultOff ? { defaultOff: true } : {}),
    },
    check(ctx) {
      const flags = controlPlaneFlags(ctx.resource);
      if (!flags || flags.component !== check.component) return;
      const v = evaluateFlagCheck(check, flags);
      if (!v) return;
      ctx.report({ message: v.message, path: v.path, ...(v.fix ? { fix: [{ op: 'set', path: v.fix.path, value: v.fix.value }] } : {}) });
    },
  });
}

export const controlPlaneFlagRules: Rule[] = CONTROL_PLANE_CHECKS.map(flagRule);
