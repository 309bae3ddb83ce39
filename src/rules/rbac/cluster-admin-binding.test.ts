import rule from './cluster-admin-binding.js';
import { ruleTable } from '../testing/harness.js';

const crb = (role: string, subjects: string, name = 'b') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${role}
subjects:
${subjects}`;
const WILDCARD_ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n---\n';

ruleTable(rule, {
  valid: [
    { name: 'admin is not cluster-admin', yaml: crb('admin', '- {kind: User, name: alice}\n') },
    { name: 'a role with explicit verbs', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: some}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: [get, list]}\n---\n' + crb('some', '- {kind: User, name: alice}\n') },
    { name: 'system: bindings are Kubernetes defaults', yaml: crb('cluster-admin', '- {kind: Group, name: "system:masters"}\n', '"system:test"') },
    { name: 'a binding with a broken roleRef', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: "cluster-admin"\n' },
  ],
  invalid: [
    {
      name: 'cluster-admin to a user (high), pointing at roleRef.name',
      yaml: crb('cluster-admin', '- kind: User\n  name: alice\n'),
      findings: [{ path: '/roleRef/name', line: 8, column: 3, severity: 'high', message: 'ClusterRoleBinding b binds cluster-admin to User alice' }],
    },
    {
      name: 'cluster-admin to a service account (critical)',
      yaml: crb('cluster-admin', '- {kind: ServiceAccount, name: account1, namespace: namespace-dev}\n', 'role-binding1'),
      findings: [{ path: '/roleRef/name', line: 8, severity: 'critical', message: 'to ServiceAccount namespace-dev/account1' }],
    },
    {
      name: 'a full-wildcard role to system:authenticated (critical)',
      yaml: WILDCARD_ROLE + crb('all', '- {kind: Group, name: "system:authenticated"}\n'),
      findings: [{ path: '/roleRef/name', line: 14, severity: 'critical', message: 'every verb on every resource' }],
    },
    {
      name: 'all ordinary verbs on "*" resources is cluster-admin in practice',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ops}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch, create, update, patch, delete]}\n---\n' + crb('ops', '- {kind: User, name: alice}\n'),
      findings: [{ path: '/roleRef/name', line: 14, severity: 'high', message: 'ClusterRole ops (every verb on every resource) to User alice' }],
    },
    {
      name: 'RoleBinding to a full-wildcard Role',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: all, namespace: dev}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: all}\nsubjects: [{kind: User, name: bob}]\n',
      findings: [{ path: '/roleRef/name', line: 10, severity: 'high', message: 'in namespace dev to User bob' }],
    },
  ],
});
