import { defineRule } from '../../engine/rule.js';
import { DEFAULT_ROLE_NAMES, bindingOf, isUserBinding } from '../../analyses/rbac/grants.js';
import { scanPolicy } from '../../analyses/rbac/scan-policy.js';

export default defineRule({
  meta: {
    id: 'rbac/missing-role',
    title: 'Binding to a role that is not in the input',
    severity: 'info',
    rationale:
      'The binding references a Role or ClusterRole that is neither among the scanned objects nor (when the bootstrap policy is loaded) a Kubernetes default. What it grants could not be evaluated, so the rbac rules and escalation paths may miss what it gives its subjects; on a cluster, a binding to a missing role grants nothing until a role of that name is created — by whoever may create it.',
    remediation: 'Scan the role together with the binding (or fix the roleRef name); delete the binding if the role is gone for good.',
    references: { cis: [], nsa: ['Authentication and authorization: least privilege'], mitre: [], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding'] },
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
  },
  check(ctx) {
    if (!isUserBinding(ctx.resource, ctx.settings)) return;
    const b = bindingOf(ctx.resource);
    if (!b || (b.roleRef.kind !== 'Role' && b.roleRef.kind !== 'ClusterRole') || (b.kind === 'ClusterRoleBinding' && b.roleRef.kind === 'Role')) return;
    const sp = scanPolicy(ctx.index, ctx.settings);
    // The authorizer index holds the scanned roles, the defaults when loaded, and cluster-admin (every cluster has it).
    const indexed = sp.bindingOf.get(ctx.resource);
    if (!indexed || sp.index.roleOf(indexed)) return;
    // Without the bootstrap policy (--no-rbac-defaults), a default role's name is no sign that it is missing.
    if (!sp.hasDefaults && b.roleRef.kind === 'ClusterRole' && (DEFAULT_ROLE_NAMES.has(b.roleRef.name) || b.roleRef.name.startsWith('system:'))) return;
    const where = b.roleRef.kind === 'Role' ? ` in namespace ${b.namespace}` : '';
    ctx.report({
      message: `${b.kind} ${b.name} references ${b.roleRef.kind} ${b.roleRef.name}${where}, which is not in the input${sp.hasDefaults ? ' nor among the Kubernetes defaults' : ' (the bootstrap policy is not loaded)'}; what it grants was not evaluated`,
      path: '/roleRef/name',
    });
  },
});
