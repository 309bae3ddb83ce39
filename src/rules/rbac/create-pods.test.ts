import rule from './create-pods.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role1
  namespace: namespace-dev
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'read pods', yaml: role('- {apiGroups: [""], resources: [pods], verbs: [get]}\n') },
    { name: 'deployments in the core group do not exist', yaml: role('- {apiGroups: [""], resources: [deployments], verbs: [create]}\n') },
    { name: 'create limited by resourceNames can never match (create has no name)', yaml: role('- {apiGroups: [""], resources: [pods], resourceNames: [p], verbs: [create]}\n') },
  ],
  invalid: [
    {
      name: 'create pods',
      yaml: role(`- apiGroups: [""]
  resources: ["pods"]
  verbs: ["create"]
`),
      findings: [{ path: '/rules/0/resources/0', line: 8, column: 15, message: 'Role namespace-dev/role1 rule 0 grants create on pods' }],
    },
    {
      name: 'controllers in apps and batch count, also through group wildcards',
      yaml: role('- {apiGroups: [apps], resources: [statefulsets, deployments], verbs: [create]}\n- {apiGroups: ["*"], resources: [cronjobs], verbs: ["*"]}\n'),
      findings: [
        { path: '/rules/0/resources/1', message: 'create on deployments' },
        { path: '/rules/1/resources/0', message: 'create on cronjobs' },
      ],
    },
  ],
});
