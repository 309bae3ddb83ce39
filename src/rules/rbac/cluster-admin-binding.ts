import { defineRule } from '../../engine/rule.js';
import { bindingOf, isAdminEquivalent, isUserBinding, referencedRole } from '../../analyses/rbac/grants.js';
import { isBroadSubject, describeBindingSubject } from '../../analyses/rbac/subject-risk.js';

export default defineRule({
  meta: {
    id: 'rbac/cluster-admin-binding',
    title: 'Binding grants cluster-admin',
    severity: 'high',
    rationale:
      'cluster-admin (or any role with "*" or all the ordinary verbs on "*" resources in "*" API groups) can do anything, including reading every Secret and running privileged pods on every node. Bound to a service account, every pod that runs as it is a cluster takeover; bound to a broad group, every member is.',
    remediation: 'Bind a role with the permissions actually needed; keep cluster-admin for break-glass human access.',
    references: { cis: ['5.1.1'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1078'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
  },
  check(ctx) {
    if (!isUserBinding(ctx.resource, ctx.settings)) return;
    const b = bindingOf(ctx.resource);
    if (!b) return;
    const isClusterAdmin = b.roleRef.kind === 'ClusterRole' && b.roleRef.name === 'cluster-admin';
    const role = isClusterAdmin ? undefined : referencedRole(b, ctx.index);
    if (!isClusterAdmin && !role?.rules.some(isAdminEquivalent)) return;
    const risky = b.subjects.filter((s) => s.kind === 'ServiceAccount' || isBroadSubject(s));
    const who = b.subjects.map((s) => describeBindingSubject(s, b)).join(', ') || 'no subjects';
    const what = isClusterAdmin ? 'cluster-admin' : `${b.roleRef.kind} ${b.roleRef.name} (every verb on every resource)`;
    ctx.report({
      message: `${b.kind} ${b.name} binds ${what}${b.kind === 'RoleBinding' ? ` in namespace ${b.namespace}` : ''} to ${who}`,
      path: '/roleRef/name',
      ...(risky.length ? { severity: 'critical' as const } : {}),
    });
  },
});
