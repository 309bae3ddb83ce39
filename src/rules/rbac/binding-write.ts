import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation fact 3: without `bind` the API server only accepts bindings to roles whose permissions
// the writer already holds, so this hands on access rather than gaining it.
const SPEC = grantSpec({
  verbs: ['create', 'update', 'patch'],
  targets: [
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  ],
});

export default defineRule({
  meta: {
    id: 'rbac/binding-write',
    title: 'Create or change role bindings',
    severity: 'low',
    rationale:
      'Whoever writes RoleBindings or ClusterRoleBindings decides who else holds its permissions: a compromised holder can hand them to identities it controls and keep access after its own binding is removed. Without the bind verb the API server only accepts roles whose permissions the writer already holds, so this is not an escalation by itself (with bind it is: see rbac/escalate-bind-impersonate).',
    remediation: 'Keep binding management with cluster administrators or the GitOps controller; grant it to a workload only in the namespace it manages, and never together with bind or escalate.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1098'],
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
