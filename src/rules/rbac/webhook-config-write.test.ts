import rule from './webhook-config-write.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: hooks
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'reading webhook configurations', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations], verbs: [get, list, watch]}\n') },
    { name: 'updating its own webhook by name (e.g. to inject the CA bundle)', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], resourceNames: [my-webhook], verbs: [get, update]}\n') },
  ],
  invalid: [
    {
      name: 'create mutating webhooks',
      yaml: role(`- apiGroups:
  - admissionregistration.k8s.io
  resources:
  - mutatingwebhookconfigurations
  verbs: [create, get]
`),
      findings: [{ path: '/rules/0/resources/0', line: 9, column: 5, message: 'grants create on mutatingwebhookconfigurations' }],
    },
    { name: 'delete validating webhooks through a verb wildcard', yaml: role('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: ["*"]}\n'), findings: [{ path: '/rules/0/resources/0', line: 6, message: 'validatingwebhookconfigurations' }] },
  ],
});
