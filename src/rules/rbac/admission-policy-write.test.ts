import rule from './admission-policy-write.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string, kind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: r
  namespace: dev
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'reading policies', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies, validatingadmissionpolicybindings], verbs: [get, list, watch]}\n') },
    { name: 'a Role cannot grant them (cluster-scoped)', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies], verbs: [create]}\n', 'Role') },
    { name: 'status updates of a policy', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies/status], verbs: [update]}\n') },
    { name: 'webhook configurations are another rule (rbac/webhook-config-write)', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [create]}\n') },
  ],
  invalid: [
    {
      name: 'delete a validating policy binding switches enforcement off',
      yaml: role(`- apiGroups: [admissionregistration.k8s.io]
  resources:
  - validatingadmissionpolicybindings
  verbs: [delete]
`),
      findings: [{ path: '/rules/0/resources/0', line: 9, column: 5, severity: 'high', message: 'ClusterRole r rule 0 grants delete on validatingadmissionpolicybindings' }],
    },
    {
      name: 'mutating admission policies',
      yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicies], verbs: [create, patch]}\n'),
      findings: [{ path: '/rules/0/resources/0', line: 7, message: 'grants create on mutatingadmissionpolicies' }],
    },
  ],
});
