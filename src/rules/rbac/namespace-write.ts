import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation fact 17. A Role can grant this too: patching Namespace N is a request in namespace N.
// resourceNames only choose which namespaces may be relabelled, so they still count.
const SPEC = grantSpec({ verbs: ['update', 'patch'], targets: [{ group: '', resource: 'namespaces', ownNamespace: true }], evenWithResourceNames: true });

export default defineRule({
  meta: {
    id: 'rbac/namespace-write',
    title: 'Change Namespace labels',
    severity: 'medium',
    rationale:
      'update or patch on a Namespace changes its labels: pod-security.kubernetes.io/enforce can be lowered to privileged, after which anyone who can create pods there can run privileged pods and take over the node; labels that NetworkPolicy namespaceSelectors match can open traffic the administrators did not intend. A RoleBinding grants it on its own namespace.',
    remediation: 'Leave namespace labels to cluster administrators; remove update/patch on namespaces from workload and tenant roles, or protect the Pod Security labels with an admission policy.',
    references: {
      cis: [],
      nsa: ['Pod security: Pod Security Admission'],
      mitre: ['T1562.001'],
      urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
