import { defineRule } from '../../engine/rule.js';
import { bindingOf, isUserBinding, referencedRole } from '../../analyses/rbac/grants.js';
import { CLUSTER_SCOPED } from '../../analyses/rbac/resources.js';

export default defineRule({
  meta: {
    id: 'rbac/cluster-binding-namespaced-role',
    title: 'ClusterRoleBinding where a RoleBinding would do',
    severity: 'low',
    rationale:
      'The ClusterRole grants only namespaced resources, yet the ClusterRoleBinding grants them in every namespace, including kube-system and namespaces created later. RoleBindings to the same ClusterRole in the namespaces that need it give the subject the same abilities there and nothing elsewhere.',
    remediation: 'Replace the ClusterRoleBinding with RoleBindings (roleRef kind ClusterRole) in the namespaces the subjects work in.',
    references: { cis: [], nsa: ['Authentication and authorization: least privilege'], mitre: [], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: ['ClusterRoleBinding'],
  },
  check(ctx) {
    if (!isUserBinding(ctx.resource, ctx.settings)) return;
    const b = bindingOf(ctx.resource);
    if (!b || b.roleRef.kind !== 'ClusterRole') return;
    const role = referencedRole(b, ctx.index);
    // Unknown or aggregated roles: what they grant is not in the input, so nothing can be concluded.
    if (!role || role.aggregation || role.rules.length === 0) return;
    const namespacedOnly = role.rules.every(
      (r) => r.nonResourceURLs.length === 0 && r.resources.length > 0 && r.resources.every((res) => !res.startsWith('*') && !CLUSTER_SCOPED.has(res.split('/')[0]!)),
    );
    if (!namespacedOnly) return;
    const sas = b.subjects.filter((s) => s.kind === 'ServiceAccount' && s.namespace);
    const namespaces = [...new Set(sas.map((s) => s.namespace!))];
    const hint = sas.length === b.subjects.length && namespaces.length === 1 ? `; if its service account only works in ${namespaces[0]}, a RoleBinding there would do` : '';
    ctx.report({ message: `ClusterRoleBinding ${b.name} grants ClusterRole ${b.roleRef.name}, which holds only namespaced resources, in every namespace${hint}`, path: '/kind' });
  },
});
