import rule from './pod-exec.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: r
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'pods/log is not exec', yaml: role('- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, create]}\n') },
    { name: 'wrong verb on pods/exec', yaml: role('- {apiGroups: [""], resources: [pods/exec], verbs: [list]}\n') },
    { name: 'pods/* is not a wildcard for Kubernetes', yaml: role('- {apiGroups: [""], resources: ["pods/*"], verbs: [create]}\n') },
    { name: 'the admin default role is not a user finding', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: admin}\nrules:\n- {apiGroups: [""], resources: [pods/attach], verbs: [create]}\n' },
  ],
  invalid: [
    {
      name: 'explicit pods/exec create',
      yaml: role(`- apiGroups: [""]
  resources:
  - pods
  - pods/exec
  verbs: [create]
`),
      findings: [{ path: '/rules/0/resources/1', line: 9, column: 5, message: 'grants create on pods/exec' }],
    },
    {
      name: 'attach via verb wildcard, exec via resource wildcard with get, portforward',
      yaml: role('- {apiGroups: [""], resources: [pods/attach], verbs: ["*"]}\n- {apiGroups: [""], resources: ["*"], verbs: [get]}\n- {apiGroups: [""], resources: [pods/portforward], verbs: [create]}\n'),
      findings: [
        { path: '/rules/0/resources/0', message: 'create on pods/attach' },
        { path: '/rules/1/resources/0', message: 'get on pods/exec' },
        { path: '/rules/2/resources/0', message: 'create on pods/portforward' },
      ],
    },
  ],
});
