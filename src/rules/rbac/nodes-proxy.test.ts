import rule from './nodes-proxy.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'metrics and stats are enough for monitoring', yaml: role('- {apiGroups: [""], resources: [nodes, nodes/metrics, nodes/stats], verbs: [get, list]}\n') },
    { name: 'nodes/* is not a wildcard', yaml: role('- {apiGroups: [""], resources: ["nodes/*"], verbs: [get]}\n') },
    { name: 'a Role cannot grant nodes/proxy', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules:\n- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}\n' },
  ],
  invalid: [
    {
      name: 'get nodes/proxy',
      yaml: role(`- apiGroups: [""]
  resources:
  - nodes
  - nodes/proxy
  verbs: [get, list, watch]
`),
      findings: [{ path: '/rules/0/resources/1', line: 9, column: 5, message: 'grants get on nodes/proxy' }],
    },
    { name: '*/proxy matches nodes/proxy', yaml: role('- {apiGroups: [""], resources: ["*/proxy"], verbs: [create]}\n'), findings: [{ path: '/rules/0/resources/0', line: 6, message: 'create on nodes/proxy' }] },
  ],
});
