import rule from './wildcard-rules.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    { name: 'explicit verbs, groups and resources', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules:\n- {apiGroups: [""], resources: [pods], verbs: [get, list]}\n' },
    { name: 'system: roles are Kubernetes defaults, not user findings', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:test"}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n' },
    { name: 'the bootstrap cluster-admin role', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cluster-admin}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n' },
    { name: 'malformed rules do not crash', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- {apiGroups: "*", resources: 3, verbs: ["*"]}\n- "x"\n' },
    { name: 'rules that are not a list', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: {a: b}\n' },
  ],
  invalid: [
    {
      name: 'wildcard verbs on a named resource point at the "*" (medium)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role1
  namespace: namespace-dev
rules:
- apiGroups:
  - ""
  resources:
  - secrets
  verbs:
  - get
  - "*"
`,
      findings: [{ path: '/rules/0/verbs/1', line: 13, column: 5, severity: 'medium', message: 'rule 0 uses "*" in verbs' }],
    },
    {
      name: 'full wildcard ClusterRole is cluster-admin equivalent (critical), one finding per rule',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: all
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
- apiGroups: ["apps"]
  resources: ["*"]
  verbs: ["get"]
- nonResourceURLs: ["*"]
  verbs: ["get"]
`,
      findings: [
        { path: '/rules/0/verbs/0', line: 8, severity: 'critical', message: 'cluster-admin equivalent' },
        { path: '/rules/1/resources/0', line: 10, severity: 'high', message: 'uses "*" in resources' },
        { path: '/rules/2/nonResourceURLs/0', line: 12, severity: 'high', message: 'nonResourceURLs' },
      ],
    },
    {
      name: 'full wildcard in a Role holds in its namespace only (high)',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules:\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n',
      findings: [{ path: '/rules/0/verbs/0', severity: 'high', message: 'in its namespace' }],
    },
  ],
});
