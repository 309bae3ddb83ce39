import rule from './node-write.js';
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
    { name: 'reading nodes', yaml: role('- {apiGroups: [""], resources: [nodes, nodes/status], verbs: [get, list, watch]}\n') },
    { name: 'a Role cannot grant node writes (cluster-scoped)', yaml: role('- {apiGroups: [""], resources: [nodes], verbs: [patch]}\n', 'Role') },
    { name: 'nodes/proxy is another rule (rbac/nodes-proxy)', yaml: role('- {apiGroups: [""], resources: [nodes/proxy], verbs: [update]}\n') },
  ],
  invalid: [
    {
      name: 'patch nodes (labels, taints, cordon)',
      yaml: role(`- apiGroups: [""]
  resources:
  - nodes
  verbs: [patch]
`),
      findings: [{ path: '/rules/0/resources/0', line: 9, column: 5, severity: 'medium', message: 'ClusterRole r rule 0 grants patch on nodes' }],
    },
    {
      name: 'update nodes/status',
      yaml: role('- {apiGroups: [""], resources: [nodes/status], verbs: [update]}\n'),
      findings: [{ path: '/rules/0/resources/0', line: 7, message: 'grants update on nodes/status' }],
    },
  ],
});
