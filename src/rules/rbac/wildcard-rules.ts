import { defineRule } from '../../engine/rule.js';
import { describeRole, isFullWildcard, isUserRole, ownRules } from '../../analyses/rbac/grants.js';

export default defineRule({
  meta: {
    id: 'rbac/wildcard-rules',
    title: 'Wildcard in RBAC rule',
    severity: 'high',
    rationale:
      'A "*" in verbs, resources or apiGroups grants everything that exists now and everything added later (new resources, CRDs, subresources such as pods/exec and secrets). "*" on all three is cluster-admin.',
    remediation: 'List the verbs, API groups and resources the subject needs instead of "*".',
    references: { cis: ['5.1.3'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1078'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['Role', 'ClusterRole'],
  },
  check(ctx) {
    if (!isUserRole(ctx.resource, ctx.settings)) return;
    for (const rule of ownRules(ctx.resource)) {
      const fields = (['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const).filter((f) => rule[f].includes('*'));
      if (fields.length === 0) continue;
      const first = fields[0]!;
      const full = isFullWildcard(rule);
      ctx.report({
        message: `${describeRole(ctx.resource)} rule ${rule.index} uses "*" in ${fields.join(', ')}${full ? ' (every verb on every resource: cluster-admin equivalent' + (ctx.resource.kind === 'ClusterRole' ? ')' : ' in its namespace)') : ''}`,
        path: `/rules/${rule.index}/${first}/${rule[first].indexOf('*')}`,
        // "*" verbs on named resources is the mildest form; "*" on every resource in a ClusterRole is cluster-admin.
        ...(full && ctx.resource.kind === 'ClusterRole' ? { severity: 'critical' as const } : fields.length === 1 && first === 'verbs' ? { severity: 'medium' as const } : {}),
      });
    }
  },
});
