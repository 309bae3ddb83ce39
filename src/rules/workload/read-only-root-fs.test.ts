import rule from './read-only-root-fs.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      readOnlyRootFilesystem: true
`,
    { name: 'non-workload kinds are ignored', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n' },
    { name: 'wrong field types do not crash', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: "x"\n' },
  ],
  invalid: [
    {
      name: 'explicit false points at the value',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          readOnlyRootFilesystem: false
`,
      findings: [{ path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', line: 11, column: 11, message: 'sets readOnlyRootFilesystem=false' }],
    },
    {
      name: 'missing securityContext points at the container; init containers count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
  containers:
  - name: app
    image: nginx:1.27
    securityContext: []
`,
      findings: [
        { path: '/spec/initContainers/0', line: 6, column: 5, message: 'init container "setup"' },
        { path: '/spec/containers/0', line: 9, column: 5, message: 'container "app"' },
      ],
    },
  ],
});
