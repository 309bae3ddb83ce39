import { defineRule } from '../../engine/rule.js';
import { reportBindingSubjects } from '../../analyses/rbac/grants.js';

export default defineRule({
  meta: {
    id: 'rbac/system-masters-binding',
    title: 'Binding names the system:masters group',
    severity: 'critical',
    rationale:
      'Members of system:masters bypass RBAC and admission webhooks entirely, and membership comes from a client certificate that cannot be revoked by RBAC. A binding that names the group shows it is in use as a way to grant access.',
    remediation: 'Do not use system:masters for users or automation; create a dedicated group and bind it to the role it needs.',
    references: { cis: ['5.1.7'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1078'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
  },
  check(ctx) {
    reportBindingSubjects(
      ctx,
      (s) => s.kind === 'Group' && s.name === 'system:masters',
      (_s, b) => `${b.kind} ${b.name} names Group system:masters, which bypasses authorization`,
    );
  },
});
