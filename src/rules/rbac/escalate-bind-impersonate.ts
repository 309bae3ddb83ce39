import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const ROLE_VERBS = ['escalate', 'bind'];
const SPEC = grantSpec({
  verbs: ['impersonate'],
  targets: [
    { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verbs: ROLE_VERBS },
    { group: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ROLE_VERBS },
    { group: '', resource: 'groups' },
    { group: '', resource: 'users' },
    { group: '', resource: 'serviceaccounts' },
    { group: 'authentication.k8s.io', resource: 'uids' },
    { group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes' },
  ],
  evenWithResourceNames: true,
  pointAt: 'verbs',
});

export default defineRule({
  meta: {
    id: 'rbac/escalate-bind-impersonate',
    title: 'escalate, bind or impersonate',
    severity: 'critical',
    rationale:
      'escalate lets a subject write roles with permissions it does not hold, bind lets it bind any role (cluster-admin included), and impersonate lets it act as other users, groups or service accounts (system:masters included). Each defeats RBAC privilege-escalation prevention.',
    remediation: 'Remove escalate, bind and impersonate; where a controller needs them, limit them with resourceNames to the exact roles or identities.',
    references: { cis: ['5.1.8'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1098', 'T1078'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
