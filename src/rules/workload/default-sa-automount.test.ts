import rule from './default-sa-automount.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\nautomountServiceAccountToken: false\n',
    { name: 'another ServiceAccount is workload/automount-sa-token\'s concern, through the pods that use it', yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n' },
  ],
  invalid: [
    {
      name: 'unset',
      yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n',
      findings: [{ path: '', line: 1, severity: 'low', message: 'ServiceAccount default in namespace shop does not set automountServiceAccountToken: false' }],
    },
    {
      name: 'explicitly true (a string "false" is not false either)',
      yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\nautomountServiceAccountToken: true\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: web}\nautomountServiceAccountToken: "false"\n',
      findings: [
        { path: '/automountServiceAccountToken', line: 4, message: 'sets automountServiceAccountToken: true' },
        { path: '/automountServiceAccountToken', line: 9, message: 'namespace web does not set' },
      ],
    },
  ],
});
