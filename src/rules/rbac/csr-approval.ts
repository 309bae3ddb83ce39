import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, reportGrants, type GrantSpec } from '../../analyses/rbac/grants.js';

const SPEC: GrantSpec = { verbs: ['update', 'patch', 'approve', 'sign'], targets: [{ group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' }, { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'status' }, { group: 'certificates.k8s.io', resource: 'signers' }], evenWithResourceNames: true };

export default defineRule({
  meta: {
    id: 'rbac/csr-approval',
    title: 'Approve or sign certificate signing requests',
    severity: 'high',
    rationale:
      'update on certificatesigningrequests/approval with approve on a signer (or sign on a signer) issues client certificates: for kubernetes.io/kube-apiserver-client that can be any user or group, system:masters included.',
    remediation: 'Leave CSR approval and signing to the controller manager and the node bootstrap flow; limit signers with resourceNames.',
    references: { cis: ['5.1.11'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1649'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/', 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
