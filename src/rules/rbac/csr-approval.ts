import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';
import { ruleAllows, type Request } from '../../analyses/rbac/match.js';
import { policyRule, type PolicyRule } from '../../analyses/rbac/policy.js';

const CERTS = 'certificates.k8s.io';
const req = (verb: string, resource: string, subresource = ''): Request => ({ kind: 'resource', verb, namespace: '', apiGroup: CERTS, resource, subresource, name: '' });
/** Any rule of the role allows one of the requests (resourceNames ignored: one signer is enough). */
const grants = (rules: readonly PolicyRule[], reqs: Request[]) => rules.some((r) => reqs.some((q) => ruleAllows(policyRule(r.verbs, r.apiGroups, r.resources, [], r.nonResourceURLs, r.index, r.from), q)));
const UPDATE = ['update', 'patch'];

/**
 * Issuing a certificate takes two grants: approving needs update on certificatesigningrequests/approval AND
 * approve on the signer; signing needs update on certificatesigningrequests/status AND sign on the signer.
 * One half alone (Argo CD's server role updates approval, but approves no signer) issues nothing.
 */
function issues(rules: readonly PolicyRule[]): boolean {
  const approve = grants(rules, UPDATE.map((v) => req(v, 'certificatesigningrequests', 'approval'))) && grants(rules, [req('approve', 'signers')]);
  const sign = grants(rules, UPDATE.map((v) => req(v, 'certificatesigningrequests', 'status'))) && grants(rules, [req('sign', 'signers')]);
  return approve || sign;
}

const SPEC = grantSpec({
  verbs: ['update', 'patch', 'approve', 'sign'],
  targets: [
    { group: CERTS, resource: 'certificatesigningrequests', subresource: 'approval' },
    { group: CERTS, resource: 'certificatesigningrequests', subresource: 'status' },
    { group: CERTS, resource: 'signers' },
  ],
  evenWithResourceNames: true,
  when: issues,
});

export default defineRule({
  meta: {
    id: 'rbac/csr-approval',
    title: 'Approve or sign certificate signing requests',
    severity: 'high',
    rationale:
      'update on certificatesigningrequests/approval with approve on a signer (or update on certificatesigningrequests/status with sign on a signer) issues client certificates: for kubernetes.io/kube-apiserver-client that can be any user or group, system:masters included. Either half alone issues nothing.',
    remediation: 'Leave CSR approval and signing to the controller manager and the node bootstrap flow; limit signers with resourceNames.',
    references: { cis: ['5.1.11'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1649'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/', 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
