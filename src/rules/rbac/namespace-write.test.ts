import rule from './namespace-write.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string, kind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: r
  namespace: team
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'read namespaces', yaml: role('- {apiGroups: [""], resources: [namespaces], verbs: [get, list, watch]}\n') },
    { name: 'create namespaces does not relabel existing ones', yaml: role('- {apiGroups: [""], resources: [namespaces], verbs: [create]}\n') },
    { name: 'namespaces/status is not the labels', yaml: role('- {apiGroups: [""], resources: [namespaces/status], verbs: [patch]}\n') },
  ],
  invalid: [
    {
      name: 'patch namespaces cluster-wide',
      yaml: role(`- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, patch]
`),
      findings: [{ path: '/rules/0/resources/0', line: 8, column: 15, severity: 'medium', message: 'ClusterRole r rule 0 grants patch on namespaces' }],
    },
    {
      // A RoleBinding to this Role lets its holder patch the Namespace object "team" itself.
      name: 'a Role grants it on its own namespace',
      yaml: role('- {apiGroups: [""], resources: [namespaces], resourceNames: [team], verbs: [update]}\n', 'Role'),
      findings: [{ path: '/rules/0/resources/0', line: 7, message: 'Role team/r rule 0 grants update on namespaces' }],
    },
  ],
});
