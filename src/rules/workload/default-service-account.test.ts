import rule from './default-service-account.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    { name: 'a dedicated ServiceAccount', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: web\n  containers: []\n' },
    {
      name: 'default account without a mounted token grants the pod nothing',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: []\n',
    },
    {
      name: 'the default ServiceAccount in the input has automounting off',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers: []
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
`,
    },
  ],
  invalid: [
    {
      name: 'explicit serviceAccountName: default points at the field',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      serviceAccountName: default
      containers: []
`,
      findings: [{ path: '/spec/template/spec/serviceAccountName', line: 7, column: 7, message: 'names the "default" ServiceAccount' }],
    },
    {
      name: 'no serviceAccountName at all points at the pod spec',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: []
`,
      findings: [{ path: '/spec/template/spec', line: 6, column: 5, message: 'sets no serviceAccountName' }],
    },
    {
      name: 'deprecated serviceAccount: default',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccount: default\n  containers: []\n',
      findings: [{ path: '/spec/serviceAccount', line: 5, column: 3 }],
    },
  ],
});
