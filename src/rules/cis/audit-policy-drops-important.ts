import { defineRule } from '../../engine/rule.js';
import { byRule, IMPORTANT_PROBES, simulate, summariseProbes } from '../../analyses/node/audit-policy.js';

export default defineRule({
  meta: {
    id: 'cis/audit-policy-drops-important',
    title: 'Audit policy drops security-relevant requests',
    severity: 'medium',
    rationale: 'Rules are evaluated in order and the first match wins, so an early "level: None" rule silences everything it matches. Secret access, exec/attach/port-forward into pods, RBAC changes and token requests are what an investigation needs first.',
    remediation: 'Narrow the None rule (by users, verbs or resources) so that it matches only noise, or move it below rules that log these requests at Metadata.',
    references: { cis: ['3.2.2'], nsa: ['Audit logging and threat detection'], mitre: ['T1562.008', 'T1609'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
    kinds: ['Policy'],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('audit.k8s.io/')) return;
    const dropped = simulate(ctx.resource.object, IMPORTANT_PROBES).filter((o) => o.rule?.level === 'None');
    for (const [rule, probes] of byRule(dropped)) {
      ctx.report({ message: `rule ${rule.index} (level None) drops ${summariseProbes(probes)}`, path: rule.path });
    }
  },
});
