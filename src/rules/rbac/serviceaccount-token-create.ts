import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['create'], targets: [{ group: '', resource: 'serviceaccounts', subresource: 'token' }] });

export default defineRule({
  meta: {
    id: 'rbac/serviceaccount-token-create',
    title: 'Create service account tokens',
    severity: 'high',
    rationale:
      'create on serviceaccounts/token (the TokenRequest API) mints a token for any service account of the namespace, so the holder gets the permissions of every one of them.',
    remediation: 'Remove create on serviceaccounts/token, or limit it with resourceNames to the one service account that is meant to be used.',
    references: { cis: ['5.1.13'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1528'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
