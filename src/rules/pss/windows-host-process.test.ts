import rule from './windows-host-process.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  securityContext: {windowsOptions: {hostProcess: false}}\n  containers: [{name: a}]\n'],
  invalid: [
    {
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    windowsOptions: {hostProcess: true}
  containers:
  - name: a
    securityContext:
      windowsOptions:
        hostProcess: true
`,
      findings: [
        { path: '/spec/securityContext/windowsOptions/hostProcess', line: 6, column: 22, severity: 'critical', message: 'pod sets' },
        { path: '/spec/containers/0/securityContext/windowsOptions/hostProcess', line: 11, column: 9, message: 'container "a"' },
      ],
    },
  ],
});
