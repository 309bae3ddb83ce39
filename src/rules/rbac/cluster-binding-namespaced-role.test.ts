import rule from './cluster-binding-namespaced-role.js';
import { ruleTable } from '../testing/harness.js';

const crb = (role: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: b
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects:
- {kind: ServiceAccount, name: reloader, namespace: tools}
`;
const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'the role needs cluster scope (nodes)', yaml: role('- {apiGroups: [""], resources: [configmaps, nodes], verbs: [get]}\n') + crb('r') },
    { name: 'non-resource URLs need a ClusterRoleBinding', yaml: role('- {nonResourceURLs: [/metrics], verbs: [get]}\n') + crb('r') },
    { name: 'wildcard resources may include cluster-scoped ones', yaml: role('- {apiGroups: [apps], resources: ["*"], verbs: [get]}\n') + crb('r') },
    { name: 'the role is not in the input', yaml: crb('view') },
    { name: 'a RoleBinding is what it should be', yaml: role('- {apiGroups: [""], resources: [configmaps], verbs: [get]}\n') + '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: tools}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: reloader}]\n' },
  ],
  invalid: [
    {
      name: 'namespaced resources only, one service account',
      yaml: role('- {apiGroups: [""], resources: [configmaps, secrets], verbs: [get, list, watch]}\n- {apiGroups: [apps], resources: [deployments], verbs: [patch]}\n') + crb('r'),
      findings: [{ path: '/kind', line: 9, column: 1, message: 'a RoleBinding there would do', resource: 'ClusterRoleBinding/b' }],
    },
  ],
});
