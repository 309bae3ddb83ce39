import rule from './serviceaccount-create.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: dev
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'read service accounts', yaml: role('- {apiGroups: [""], resources: [serviceaccounts], verbs: [get, list]}\n') },
    { name: 'serviceaccounts/token is another rule (rbac/serviceaccount-token-create)', yaml: role('- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}\n') },
  ],
  invalid: [
    {
      name: 'create serviceaccounts is info',
      yaml: role(`- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [create]
`),
      findings: [{ path: '/rules/0/resources/0', line: 8, column: 15, severity: 'info', message: 'Role dev/r rule 0 grants create on serviceaccounts' }],
    },
  ],
});
