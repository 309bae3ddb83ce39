import { defineRule } from '../../engine/rule.js';
import { bindingOf, isUserBinding, isUserRole, referencedRole } from '../../analyses/rbac/grants.js';
import { isBroadSubject, describeBindingSubject, SAFE_BROAD_ROLES } from '../../analyses/rbac/subject-risk.js';
import { pointer } from '../../model/json.js';

const READ_VERBS = new Set(['get', 'list', 'watch']);

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
    const b = bindingOf(ctx.resource);
    if (!b) return;
    const role = referencedRole(b, ctx.index);
    // A role written in the input (not a bootstrap role: recognised through the bootstrap policy when it is
    // loaded, not by a `system:` name) makes the binding the user's, whatever the binding is called.
    const written = !!role?.resource && isUserRole(role.resource, ctx.settings);
    if (!written && !isUserBinding(ctx.resource, ctx.settings)) return;
    // The discovery roles are meant for everyone.
    if (b.roleRef.kind === 'ClusterRole' && SAFE_BROAD_ROLES.has(b.roleRef.name) && !written) return;
    // A role in the input that only reads non-secret objects is a smaller exposure (e.g. a public version ConfigMap).
    const readOnly =
      !!role && role.rules.length > 0 && role.rules.every((r) => r.verbs.every((v) => READ_VERBS.has(v)) && !r.resources.some((x) => x === '*' || x === 'secrets' || x.includes('/')));
    for (const s of b.subjects) {
      if (!isBroadSubject(s)) continue;
      const anonymous = s.name === 'system:unauthenticated' || s.name === 'system:anonymous';
      const severity = anonymous ? (readOnly ? 'high' : 'critical') : readOnly ? 'medium' : undefined;
      ctx.report({
        message: `${b.kind} ${b.name} grants ${b.roleRef.kind} ${b.roleRef.name}${readOnly ? ' (read-only)' : ''}${b.kind === 'RoleBinding' ? ` in namespace ${b.namespace}` : ''} to ${describeBindingSubject(s, b)}${anonymous ? ' (requests without credentials)' : ''}`,
        path: pointer('subjects', s.index, 'name'),
        ...(severity ? { severity } : {}),
      });
    }
  },
});
