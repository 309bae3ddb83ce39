import rule from './default-service-account-binding.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    { name: 'a dedicated service account', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: app}]\n' },
    { name: 'a user called default', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: User, name: default}]\n' },
  ],
  invalid: [
    {
      name: 'the default SA of the binding namespace (namespace omitted)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: psp
  namespace: longhorn-system
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- kind: ServiceAccount
  name: default
`,
      findings: [{ path: '/subjects/0/name', line: 9, column: 3, message: 'default service account of namespace longhorn-system' }],
    },
    {
      name: 'a ClusterRoleBinding naming default SAs of two namespaces',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n- {kind: ServiceAccount, name: default, namespace: a}\n- {kind: ServiceAccount, name: default, namespace: b}\n',
      findings: [{ path: '/subjects/0/name', line: 6, message: 'namespace a' }, { path: '/subjects/1/name', line: 7, message: 'namespace b' }],
    },
  ],
});
