import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['create', 'update', 'patch', 'delete'], targets: [{ group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' }, { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' }] });

export default defineRule({
  meta: {
    id: 'rbac/webhook-config-write',
    title: 'Write admission webhook configurations',
    severity: 'high',
    rationale:
      'Whoever writes a mutating or validating webhook configuration receives every admitted object (Secrets included), can rewrite pods to add privileged containers, and can switch off policy enforcement.',
    remediation: 'Keep create/update/patch/delete on mutatingwebhookconfigurations and validatingwebhookconfigurations for cluster administrators; operators that manage their own webhook should use resourceNames.',
    references: { cis: ['5.1.12'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1562.001', 'T1552.007'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
