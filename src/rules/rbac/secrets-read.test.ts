import rule from './secrets-read.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: r
  namespace: dev
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'pods only', yaml: role('- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}\n') },
    { name: 'secrets create/update only (no read)', yaml: role('- {apiGroups: [""], resources: [secrets], verbs: [create, update]}\n') },
    { name: 'one named Secret (resourceNames) is least privilege', yaml: role('- {apiGroups: [""], resources: [secrets], resourceNames: [app-tls], verbs: [get]}\n') },
    { name: 'secrets in another API group are not core Secrets', yaml: role('- {apiGroups: [example.com], resources: [secrets], verbs: [get]}\n') },
    { name: 'system: roles are skipped', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:x"}\nrules:\n- {apiGroups: [""], resources: [secrets], verbs: [list]}\n' },
    { name: 'full wildcards are reported once by rbac/wildcard-rules', yaml: role('- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n') },
  ],
  invalid: [
    {
      name: 'get on secrets points at the resource entry',
      yaml: role(`- apiGroups:
  - ""
  resources:
  - configmaps
  - secrets
  verbs:
  - get
`),
      findings: [{ path: '/rules/0/resources/1', line: 11, column: 5, message: 'Role dev/r rule 0 grants get on secrets' }],
    },
    {
      name: 'list through a verb wildcard, watch through a resource wildcard',
      yaml: role('- {apiGroups: [""], resources: [secrets], verbs: ["*"]}\n- {apiGroups: ["*"], resources: ["*"], verbs: [watch]}\n', 'ClusterRole'),
      findings: [
        { path: '/rules/0/resources/0', line: 7, message: 'grants get on secrets' },
        { path: '/rules/1/resources/0', line: 8, message: 'grants watch on secrets' },
      ],
    },
  ],
});
