import rule from './escalate-bind-impersonate.js';
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
    { name: 'ordinary role management', yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [get, list, create, update]}\n') },
    { name: 'impersonate verb on an unrelated resource', yaml: role('- {apiGroups: [""], resources: [configmaps], verbs: [impersonate]}\n') },
    { name: 'a Role cannot grant impersonation of users (cluster-scoped)', yaml: role('- {apiGroups: [""], resources: [users], verbs: [impersonate]}\n', 'Role') },
    { name: 'the clusterrole-aggregation-controller default role', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:clusterrole-aggregation-controller"}\nrules:\n- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, get, list, patch, update, watch]}\n' },
  ],
  invalid: [
    {
      name: 'escalate on clusterroles points at the verb',
      yaml: role(`- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs:
  - update
  - escalate
`),
      findings: [{ path: '/rules/0/verbs/1', line: 11, column: 5, message: 'grants escalate on clusterroles' }],
    },
    {
      name: 'bind limited by resourceNames still counts; impersonate groups; "*" verbs on serviceaccounts include impersonate',
      yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [cluster-admin], verbs: [bind]}\n- {apiGroups: [""], resources: [groups], resourceNames: ["system:masters"], verbs: [impersonate]}\n- {apiGroups: [""], resources: [serviceaccounts], verbs: ["*"]}\n'),
      findings: [
        { path: '/rules/0/verbs/0', line: 7, message: 'grants bind on clusterroles' },
        { path: '/rules/1/verbs/0', line: 8, message: 'grants impersonate on groups' },
        { path: '/rules/2/verbs/0', line: 9, message: 'grants impersonate on serviceaccounts' },
      ],
    },
    {
      name: 'a Role with bind on roles',
      yaml: role('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}\n', 'Role'),
      findings: [{ path: '/rules/0/verbs/0', message: 'Role dev/r rule 0 grants bind on roles' }],
    },
  ],
});
