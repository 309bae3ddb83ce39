import rule from './probes.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    {
      name: 'both probes',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
        readinessProbe: {tcpSocket: {port: 8080}}
`,
    },
    { name: 'Jobs run to completion', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: "a:1"}]\n' },
    { name: 'CronJobs run to completion', yaml: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: "a:1"}]\n' },
    { name: 'a bare pod that is not restarted is a task', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n  containers: [{name: a, image: "a:1"}]\n' },
    { name: 'init containers need no probes', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: "a:1"}]\n  containers: []\n' },
    { name: 'option: only readiness required', options: { probes: ['readiness'] }, yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "a:1", readinessProbe: {exec: {command: [true]}}}]\n' },
  ],
  invalid: [
    {
      name: 'one finding per container naming what is missing',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      containers:
      - name: db
        image: postgres:16
        readinessProbe: {exec: {command: [pg_isready]}}
      - name: exporter
        image: exporter:1
`,
      findings: [
        { path: '/spec/template/spec/containers/0', line: 8, column: 9, message: 'container "db" has no livenessProbe', severity: 'low' },
        { path: '/spec/template/spec/containers/1', line: 11, column: 9, message: 'container "exporter" has no livenessProbe and no readinessProbe' },
      ],
    },
    {
      name: 'a mistyped probe does not count',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    livenessProbe: "yes"\n    readinessProbe: {tcpSocket: {port: 1}}\n',
      findings: [{ path: '/spec/containers/0', line: 6, column: 5, message: 'has no livenessProbe' }],
    },
  ],
});
