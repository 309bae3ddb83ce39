import rule from './host-namespaces.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: false\n  hostPID: false\n  containers: [{name: a}]\n',
    { name: 'wrong top-level types do not crash', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: "x"\n' },
  ],
  invalid: [
    {
      name: 'each host namespace is its own finding',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      hostIPC: true
      containers: [{name: a}]
`,
      findings: [
        { path: '/spec/template/spec/hostNetwork', line: 7, column: 7, severity: 'high', message: 'hostNetwork=true' },
        { path: '/spec/template/spec/hostPID', line: 8, column: 7, message: 'hostPID=true' },
        { path: '/spec/template/spec/hostIPC', line: 9, column: 7, message: 'hostIPC=true' },
      ],
    },
  ],
});
