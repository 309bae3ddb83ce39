import { defineRule } from '../../engine/rule.js';
import { bindingOf, isUserBinding } from '../../analyses/rbac/grants.js';
import { pointer } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'rbac/default-service-account-binding',
    title: 'Role bound to a default service account',
    severity: 'medium',
    rationale:
      'Every pod that does not name a service account runs as "default", so a role bound to it is granted to all of them, including pods added later by anyone who can create pods in the namespace.',
    remediation: 'Create a dedicated service account for the workload that needs the role, bind the role to it, and set serviceAccountName on that workload.',
    references: { cis: ['5.1.5'], nsa: ['Authentication and authorization: service accounts'], mitre: ['T1078.001'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
  },
  check(ctx) {
    if (!isUserBinding(ctx.resource)) return;
    const b = bindingOf(ctx.resource);
    if (!b) return;
    for (const s of b.subjects) {
      if (s.kind !== 'ServiceAccount' || s.name !== 'default') continue;
      const ns = s.namespace || b.namespace || '(no namespace)';
      ctx.report({ message: `${b.kind} ${b.name} grants ${b.roleRef.kind} ${b.roleRef.name} to the default service account of namespace ${ns}`, path: pointer('subjects', s.index, 'name') });
    }
  },
});
