import rule from './binding-write.js';
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
    { name: 'reading bindings', yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, clusterrolebindings], verbs: [get, list, watch]}\n') },
    { name: 'bindings in another API group do not exist', yaml: role('- {apiGroups: [""], resources: [rolebindings], verbs: [create]}\n') },
    { name: 'a Role cannot grant clusterrolebindings (cluster-scoped)', yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}\n', 'Role') },
    { name: 'writing roles is not writing bindings', yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [create]}\n') },
  ],
  invalid: [
    {
      name: 'create rolebindings points at the resource',
      yaml: role(`- apiGroups: [rbac.authorization.k8s.io]
  resources:
  - roles
  - rolebindings
  verbs: [create, update]
`, 'Role'),
      findings: [{ path: '/rules/0/resources/1', line: 10, column: 5, severity: 'low', message: 'Role dev/r rule 0 grants create on rolebindings' }],
    },
    {
      name: 'patch clusterrolebindings in a ClusterRole; "*" resources of the group count',
      yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [patch]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: ["*"], verbs: [update]}\n'),
      findings: [
        { path: '/rules/0/resources/0', line: 7, message: 'grants patch on clusterrolebindings' },
        { path: '/rules/1/resources/0', line: 8, message: 'grants update on rolebindings' },
      ],
    },
  ],
});
