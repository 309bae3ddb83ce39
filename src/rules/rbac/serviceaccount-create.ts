import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation fact 20: no rights on its own; the new account is a foothold once any binding names it.
const SPEC = grantSpec({ verbs: ['create', 'update', 'patch'], targets: [{ group: '', resource: 'serviceaccounts' }] });

export default defineRule({
  meta: {
    id: 'rbac/serviceaccount-create',
    title: 'Create service accounts',
    severity: 'info',
    rationale:
      'A new service account has no permissions, so this is not an escalation by itself. Combined with pod creation it gives a subject an identity of its own choosing to run as, and any RoleBinding that names a service account before it exists (or a group such as system:serviceaccounts:NS) hands the new account those rights.',
    remediation: 'Create service accounts through the same reviewed manifests as the workloads that use them; remove create on serviceaccounts from runtime identities.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: service accounts'],
      mitre: ['T1136'],
      urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
