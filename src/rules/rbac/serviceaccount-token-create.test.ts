import rule from './serviceaccount-token-create.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: tokens
  namespace: ci
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'reading service accounts', yaml: role('- {apiGroups: [""], resources: [serviceaccounts], verbs: [get, list]}\n') },
    { name: 'a token for one named service account', yaml: role('- {apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [builder], verbs: [create]}\n') },
  ],
  invalid: [
    {
      name: 'create serviceaccounts/token',
      yaml: role(`- apiGroups: [""]
  resources:
  - serviceaccounts/token
  verbs:
  - create
`),
      findings: [{ path: '/rules/0/resources/0', line: 9, column: 5, message: 'Role ci/tokens rule 0 grants create on serviceaccounts/token' }],
    },
    { name: 'through */token', yaml: role('- {apiGroups: [""], resources: ["*/token"], verbs: ["*"]}\n'), findings: [{ path: '/rules/0/resources/0', line: 7 }] },
  ],
});
