import { defineRule } from '../../engine/rule.js';
import { reportBindingSubjects } from '../../analyses/rbac/grants.js';

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
    reportBindingSubjects(
      ctx,
      (s) => s.kind === 'ServiceAccount' && s.name === 'default',
      (s, b) => `${b.kind} ${b.name} grants ${b.roleRef.kind} ${b.roleRef.name} to the default service account of namespace ${s.namespace || b.namespace || '(no namespace)'}`,
    );
  },
});
