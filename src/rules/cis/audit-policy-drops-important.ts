import { defineRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { byRule, importantProbes, simulate, summariseProbes } from '../../analyses/node/audit-policy.js';

export default defineRule({
  meta: {
    id: 'cis/audit-policy-drops-important',
    title: 'Audit policy drops security-relevant requests',
    severity: 'medium',
    rationale:
      'Rules are evaluated in order and the first match wins, so an early "level: None" rule silences everything it matches, and a rule whose omitStages (with the policy\'s) cover every stage of a request writes nothing for it either. Secret access, exec/attach/port-forward into pods, RBAC changes and token requests are what an investigation needs first: they must be logged at least at Metadata.',
    remediation: 'Narrow the None rule (by users, verbs or resources) so that it matches only noise, or move it below rules that log these requests at Metadata.',
    references: { cis: ['3.2.2'], nsa: ['Audit logging and threat detection'], mitre: ['T1562.008', 'T1609'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
    kinds: ['Policy'],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('audit.k8s.io/')) return;
    const all = importantProbes(ctx.resource.object);
    const outcomes = simulate(ctx.resource.object, all);
    const dropped = outcomes.filter((o) => o.level === 'None');
    for (const [rule, probes] of byRule(dropped)) {
      const stages = dropped.some((o) => o.rule === rule && o.stagesOmitted);
      ctx.report({
        message: stages
          ? `rule ${rule.index} (level ${rule.level}) drops ${summariseProbes(probes, all)}: its omitStages, with the policy's, omit every stage of these requests`
          : `rule ${rule.index} (level None) drops ${summariseProbes(probes, all)}`,
        path: stages ? (isObject(rule.rule.omitStages) || Array.isArray(rule.rule.omitStages) ? `${rule.path}/omitStages` : '/omitStages') : rule.path,
      });
    }
    // Requests no rule matches are not logged at all, not even at Metadata.
    const unmatched = outcomes.filter((o) => !o.rule).map((o) => o.probe);
    if (unmatched.length) ctx.report({ message: `no rule matches ${summariseProbes(unmatched, all)}, so these requests are not logged, not even at Metadata`, path: Array.isArray(ctx.resource.object.rules) ? '/rules' : '' });
  },
});
