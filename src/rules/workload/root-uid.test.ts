import rule from './root-uid.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    { name: 'non-zero UIDs', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - {name: a, image: "a:1", securityContext: {runAsUser: 10001}}\n' },
    { name: 'no runAsUser at all (runAsNonRoot is the PSS rule\'s job)', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "a:1"}]\n' },
    {
      name: 'pod sets 0 but every container overrides it',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0}\n  containers:\n  - {name: a, image: "a:1", securityContext: {runAsUser: 1000}}\n',
    },
    { name: 'Windows pods', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  securityContext: {runAsUser: 0}\n  containers: [{name: a, image: "a:1"}]\n' },
  ],
  invalid: [
    {
      name: 'container-level runAsUser: 0 points at it',
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
          runAsUser: 0
`,
      findings: [{ path: '/spec/template/spec/containers/0/securityContext/runAsUser', line: 11, column: 11, message: 'container "app" sets runAsUser: 0' }],
    },
    {
      name: 'pod-level 0 inherited by the containers that do not override it; string "0" too',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    runAsUser: 0
  initContainers:
  - name: init
    image: a:1
  containers:
  - name: app
    image: a:1
    securityContext: {runAsUser: 1000}
  - name: side
    image: a:1
    securityContext: {runAsUser: "0"}
`,
      findings: [
        { path: '/spec/securityContext/runAsUser', line: 6, column: 5, message: 'pod securityContext sets runAsUser: 0, inherited by init container "init"' },
        { path: '/spec/containers/1/securityContext/runAsUser', line: 16, column: 23, message: 'container "side"' },
      ],
    },
  ],
});
