import { defineRule } from '../../engine/rule.js';
import { bindingOf, isUserBinding } from '../../analyses/rbac/grants.js';
import { pointer } from '../../model/json.js';

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
    if (!isUserBinding(ctx.resource)) return;
    const b = bindingOf(ctx.resource);
    if (!b) return;
    for (const s of b.subjects) {
      if (s.kind !== 'Group' || s.name !== 'system:masters') continue;
      ctx.report({ message: `${b.kind} ${b.name} names Group system:masters, which bypasses authorization`, path: pointer('subjects', s.index, 'name') });
    }
  },
});
