import rule from './kube-system-config-read.js';
import { ruleTable } from '../testing/harness.js';

const role = (ns: string, rules: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: r
  namespace: ${ns}
rules:
${rules}`;
const READ = '- {apiGroups: [""], resources: [configmaps], verbs: [get, list]}\n';

ruleTable(rule, {
  valid: [
    { name: 'a Role in another namespace', yaml: role('apps', READ) },
    { name: 'writing ConfigMaps only', yaml: role('kube-system', '- {apiGroups: [""], resources: [configmaps], verbs: [create]}\n') },
    { name: 'a named ConfigMap (resourceNames)', yaml: role('kube-system', '- {apiGroups: [""], resources: [configmaps], resourceNames: [my-config], verbs: [get]}\n') },
  ],
  invalid: [
    {
      name: 'a Role in kube-system',
      yaml: role('kube-system', READ),
      findings: [{ path: '/rules/0/resources/0', line: 7, column: 33, severity: 'info', message: 'Role kube-system/r rule 0 grants get on configmaps' }],
    },
    {
      name: 'a ClusterRole reads them once a ClusterRoleBinding grants it',
      yaml: role('apps', READ, 'ClusterRole'),
      findings: [{ path: '/rules/0/resources/0', line: 7, message: 'ClusterRole r rule 0 grants get on configmaps' }],
    },
  ],
});
