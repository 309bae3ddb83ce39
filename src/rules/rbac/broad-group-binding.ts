import { defineRule } from '../../engine/rule.js';
import { bindingOf, isUserBinding } from '../../analyses/rbac/grants.js';
import { isBroadSubject, describeBindingSubject, SAFE_BROAD_ROLES } from '../../analyses/rbac/subject-risk.js';
import { pointer } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'rbac/broad-group-binding',
    title: 'Role bound to every user, every service account or anonymous requests',
    severity: 'high',
    rationale:
      'system:authenticated holds every user and service account of the cluster (and, on managed clusters, sometimes any cloud account); system:unauthenticated and system:anonymous are requests without credentials; system:serviceaccounts is every pod. A role bound to them is granted to all of these.',
    remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
    references: { cis: ['5.1.1'], nsa: ['Authentication and authorization: disable anonymous access'], mitre: ['T1078.001'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
  },
  check(ctx) {
    if (!isUserBinding(ctx.resource)) return;
    const b = bindingOf(ctx.resource);
    if (!b || (b.roleRef.kind === 'ClusterRole' && SAFE_BROAD_ROLES.has(b.roleRef.name))) return;
    for (const s of b.subjects) {
      if (!isBroadSubject(s)) continue;
      const anonymous = s.name === 'system:unauthenticated' || s.name === 'system:anonymous';
      ctx.report({
        message: `${b.kind} ${b.name} grants ${b.roleRef.kind} ${b.roleRef.name}${b.kind === 'RoleBinding' ? ` in namespace ${b.namespace}` : ''} to ${describeBindingSubject(s, b)}${anonymous ? ' (requests without credentials)' : ''}`,
        path: pointer('subjects', s.index, 'name'),
        ...(anonymous ? { severity: 'critical' as const } : {}),
      });
    }
  },
});
