import rule from './csr-approval.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: csr
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'creating and reading CSRs', yaml: role('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get, list, watch]}\n') },
    // Argo CD's server role has the approval half only: it can mark a CSR approved for no signer, which issues nothing.
    { name: 'update on the approval subresource without approve on any signer', yaml: role('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests, certificatesigningrequests/approval], verbs: [get, list, update, patch]}\n') },
    { name: 'approve on a signer without the approval subresource', yaml: role('- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}\n') },
    { name: 'sign on a signer without status update', yaml: role('- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [sign]}\n') },
    { name: 'the CSR approver default roles', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:certificate-controller"}\nrules:\n- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}\n' },
  ],
  invalid: [
    {
      name: 'approval subresource and approve on a signer',
      yaml: role(`- apiGroups: [certificates.k8s.io]
  resources: [certificatesigningrequests/approval]
  verbs: [update]
- apiGroups: [certificates.k8s.io]
  resources: [signers]
  resourceNames: [kubernetes.io/kube-apiserver-client]
  verbs: [approve]
`),
      findings: [
        { path: '/rules/0/resources/0', line: 7, column: 15, message: 'grants update on certificatesigningrequests/approval' },
        { path: '/rules/1/resources/0', line: 10, message: 'grants approve on signers' },
      ],
    },
    { name: 'sign on signers with status update', yaml: role('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/status, signers], verbs: [update, sign]}\n'), findings: [{ path: '/rules/0/resources/0', message: 'update on certificatesigningrequests/status' }] },
  ],
});
