import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation fact 23.
const G = 'admissionregistration.k8s.io';
const SPEC = grantSpec({
  verbs: ['create', 'update', 'patch', 'delete'],
  targets: ['mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'].map((resource) => ({ group: G, resource })),
});

export default defineRule({
  meta: {
    id: 'rbac/admission-policy-write',
    title: 'Write admission policies or their bindings',
    severity: 'high',
    rationale:
      'ValidatingAdmissionPolicies and their bindings enforce rules on every request of the cluster; whoever writes them can switch enforcement off or exempt their own requests. MutatingAdmissionPolicies rewrite admitted objects, so their writers can add privileged containers or host mounts to other users\' pods.',
    remediation: 'Keep admission policies and bindings with cluster administrators (or the GitOps controller that applies reviewed policy); remove write verbs from other roles.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1562.001'],
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/', 'https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
