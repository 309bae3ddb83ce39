import rule from './automount-sa-token.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    {
      name: 'pod spec turns it off',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: [{name: app, image: "a:1"}]\n',
    },
    {
      name: 'its ServiceAccount in the input turns it off and the pod does not override',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: app, image: "a:1"}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
`,
    },
    {
      name: 'the pod setting wins over a ServiceAccount that allows it',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: web
  automountServiceAccountToken: false
  containers: [{name: app, image: "a:1"}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
automountServiceAccountToken: true
`,
    },
    {
      name: 'the deprecated serviceAccount field names the account',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccount: old\n  containers: []\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: old}\nautomountServiceAccountToken: false\n',
    },
    { name: 'not a workload', yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n' },
  ],
  invalid: [
    {
      name: 'explicit true on the pod wins over the ServiceAccount and points at the field',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: test
  automountServiceAccountToken: true
  containers: [{name: app, image: "a:1"}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: test}
automountServiceAccountToken: false
`,
      findings: [{ path: '/spec/automountServiceAccountToken', line: 6, column: 3, message: 'sets automountServiceAccountToken: true' }],
    },
    {
      name: 'ServiceAccount in the input sets true; points at the pod spec',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: app, image: "a:1"}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
automountServiceAccountToken: true
`,
      findings: [{ path: '/spec/template/spec', line: 6, column: 5, message: 'ServiceAccount "web" sets it to true' }],
    },
    {
      name: 'a ServiceAccount of the same name in another namespace does not count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
spec:
  serviceAccountName: web
  containers: []
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: b}
automountServiceAccountToken: false
`,
      findings: [{ path: '/spec', message: 'ServiceAccount "web" is not in the input' }],
    },
    {
      name: 'a mistyped value is not "off" (the API server would reject it)',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: "false"\n  containers: []\n',
      findings: [{ path: '/spec', line: 4, column: 1, message: 'ServiceAccount "default" is not in the input' }],
    },
  ],
});
