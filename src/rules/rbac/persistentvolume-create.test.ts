import rule from './persistentvolume-create.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string, kind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: storage
  namespace: dev
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'claims are what users need', yaml: role('- {apiGroups: [""], resources: [persistentvolumeclaims], verbs: [create]}\n') },
    { name: 'reading volumes', yaml: role('- {apiGroups: [""], resources: [persistentvolumes], verbs: [get, list, watch]}\n') },
    { name: 'a Role cannot grant cluster-scoped persistentvolumes', yaml: role('- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}\n', 'Role') },
  ],
  invalid: [
    {
      name: 'create persistentvolumes',
      yaml: role(`- apiGroups: [""]
  resources: [persistentvolumeclaims, persistentvolumes]
  verbs: [create, delete]
`),
      findings: [{ path: '/rules/0/resources/1', line: 8, column: 39, message: 'grants create on persistentvolumes' }],
    },
  ],
});
