import rule from './resource-requests.js';
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
      requests: {cpu: 100m, memory: 64Mi}
`,
    {
      name: 'a limit alone also sets the request (API server defaulting)',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: a:1\n    resources: {limits: {cpu: 1, memory: 1Gi}}\n',
    },
    {
      name: 'LimitRange defaultRequest (or default) in the same namespace',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: a:1
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits:
  - type: Container
    defaultRequest: {cpu: 100m}
    default: {memory: 128Mi}
`,
    },
    { name: 'option: only cpu requests required', options: { resources: ['cpu'] }, yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: "a:1", resources: {requests: {cpu: 10m}}}\n' },
  ],
  invalid: [
    {
      name: 'missing memory request points at requests',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      containers:
      - name: db
        image: postgres:16
        resources:
          requests:
            cpu: 250m
`,
      findings: [{ path: '/spec/template/spec/containers/0/resources/requests', line: 11, column: 11, message: 'container "db" has no memory request' }],
    },
    {
      name: 'CronJob pod template; a LimitRange of type Pod does not default containers',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: busybox:1.36
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits:
  - type: Pod
    max: {cpu: "2"}
`,
      findings: [{ path: '/spec/jobTemplate/spec/template/spec/containers/0', line: 10, column: 13, message: 'no CPU and memory request' }],
    },
  ],
});
