import rule from './resource-limits.js';
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
    resources:
      limits: {cpu: 500m, memory: 128Mi}
`,
    {
      name: 'a LimitRange with default limits in the same namespace supplies them',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: "1", memory: 256Mi}
`,
    },
    {
      name: 'pod-level resources bound every container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources:
    limits: {cpu: "2", memory: 1Gi}
  containers:
  - name: app
    image: nginx:1.27
`,
    },
    { name: 'option: only memory limits required', options: { resources: ['memory'] }, yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: a:1\n    resources: {limits: {memory: 64Mi}}\n' },
    { name: 'wrong field types do not crash', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: "x"\n' },
    { name: 'non-workload kinds are ignored', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n' },
  ],
  invalid: [
    {
      name: 'no resources at all points at the container',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
`,
      findings: [{ path: '/spec/template/spec/containers/0', line: 8, column: 9, message: 'container "app" has no CPU and memory limit' }],
    },
    {
      name: 'a zero limit counts as missing; points at limits; init containers count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
    resources:
      requests: {cpu: 100m}
  containers:
  - name: app
    image: nginx:1.27
    resources:
      limits:
        cpu: "0"
        memory: 128Mi
`,
      findings: [
        { path: '/spec/initContainers/0/resources', line: 8, column: 5, message: 'init container "setup" has no CPU and memory limit' },
        { path: '/spec/containers/0/resources/limits', line: 14, column: 7, message: 'container "app" has no CPU limit' },
      ],
    },
    {
      name: 'a LimitRange in another namespace does not count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {limits: {cpu: 100m}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: b}
spec:
  limits:
  - type: Container
    default: {memory: 256Mi}
`,
      findings: [{ path: '/spec/containers/0/resources/limits', message: 'no memory limit' }],
    },
    {
      name: 'mistyped resources never throw and count as missing',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: a:1\n    resources: []\n',
      findings: [{ path: '/spec/containers/0', line: 6, column: 5, message: 'no CPU and memory limit' }],
    },
  ],
});
