import rule from './host-ports.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 0\n'],
  invalid: [
    {
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    ports:
    - containerPort: 80
      hostPort: 8080
`,
      findings: [{ path: '/spec/containers/0/ports/0/hostPort', line: 9, column: 7, severity: 'high', message: 'container "a" uses hostPort 8080' }],
    },
  ],
});
