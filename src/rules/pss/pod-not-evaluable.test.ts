import rule from './pod-not-evaluable.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {privileged: false, runAsUser: 1000}\n',
    { name: 'fields PSA does not read are not its business', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: 42\n' },
  ],
  invalid: [
    {
      name: 'wrong types are reported once each, never thrown',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: "true"
  containers:
  - name: a
    securityContext:
      privileged: "true"
      runAsUser: "0"
  - name: b
    securityContext: []
`,
      findings: [
        { path: '/spec/hostNetwork', line: 5, column: 3, severity: 'high', message: 'hostNetwork must be a boolean' },
        { path: '/spec/containers/0/securityContext/privileged', line: 9, column: 7, message: 'privileged must be a boolean' },
        { path: '/spec/containers/0/securityContext/runAsUser', line: 10, column: 7, message: 'runAsUser must be an integer' },
        { path: '/spec/containers/1/securityContext', line: 12, column: 5, message: 'securityContext must be an object' },
      ],
    },
    { name: 'a container list that is not a list', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: "x"\n', findings: [{ path: '/spec/containers', line: 5, column: 3, message: 'containers must be a list' }] },
  ],
});
