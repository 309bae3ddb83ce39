import rule from './system-masters-binding.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    { name: 'the bootstrap cluster-admin binding (labelled rbac-defaults)', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: cluster-admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: "system:masters"}]\n' },
    { name: 'a user named system:masters is not the group', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: "system:masters"}]\n' },
    { name: 'subjects of the wrong type', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [3, {kind: Group}]\n' },
  ],
  invalid: [
    {
      name: 'a user binding that names system:masters',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: admins
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- kind: User
  name: alice
- kind: Group
  name: system:masters
`,
      findings: [{ path: '/subjects/1/name', line: 10, column: 3, message: 'ClusterRoleBinding admins names Group system:masters' }],
    },
  ],
});
