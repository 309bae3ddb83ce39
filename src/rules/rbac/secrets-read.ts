import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['get', 'list', 'watch'], targets: [{ group: '', resource: 'secrets' }] });

export default defineRule({
  meta: {
    id: 'rbac/secrets-read',
    title: 'Read access to Secrets',
    severity: 'high',
    rationale:
      'get, list and watch on secrets return the full Secret data (list and watch too, not only names): passwords, API keys, TLS keys and legacy service-account tokens, which are credentials of other identities.',
    remediation: 'Grant secrets access only to the named Secrets the workload needs (resourceNames with get), or mount Secrets as volumes instead of reading them through the API.',
    references: { cis: ['5.1.2'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1552.007', 'T1528'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
