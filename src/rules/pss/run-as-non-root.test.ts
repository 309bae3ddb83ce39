import rule from './run-as-non-root.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}, {name: b}]\n',
    { name: 'baseline does not require it', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n', settings: { pss: { level: 'baseline' } } },
    { name: 'user-namespace pods are exempt from v1.35', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers: [{name: a}]\n' },
  ],
  invalid: [
    {
      name: 'explicit false on a container overrides pod true',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - name: a
    securityContext:
      runAsNonRoot: false
`,
      findings: [{ path: '/spec/containers/0/securityContext/runAsNonRoot', line: 9, column: 7, severity: 'medium', message: 'sets securityContext.runAsNonRoot=false' }],
    },
    {
      name: 'unset everywhere points at each container; user namespaces did not help before v1.35',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  initContainers:\n  - name: i\n  containers:\n  - name: a\n    securityContext: {}\n',
      settings: { pss: { version: 'v1.34' } },
      findings: [
        { path: '/spec/initContainers/0', line: 7, column: 5, message: 'init container "i" does not set securityContext.runAsNonRoot=true' },
        { path: '/spec/containers/0/securityContext', line: 10, column: 5, message: 'container "a"' },
      ],
    },
  ],
});
