import rule from './capabilities-baseline.js';
import { ruleTable } from '../testing/harness.js';

const WINDOWS_SYS_ADMIN = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: windows}
  containers:
  - name: a
    securityContext:
      capabilities:
        add: [SYS_ADMIN]
`;

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        add: [CHOWN, NET_BIND_SERVICE]\n',
    { name: 'restricted v1.25+ exempts Windows pods from the (overriding) capabilities check, as PSA does', yaml: WINDOWS_SYS_ADMIN },
  ],
  invalid: [
    {
      name: 'only the non-default capability is reported',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    securityContext:
      capabilities:
        add:
        - CHOWN
        - NET_RAW
`,
      findings: [{ path: '/spec/containers/0/securityContext/capabilities/add/1', line: 11, column: 11, severity: 'high', message: 'adds capability NET_RAW' }],
    },
    { name: 'the same Windows pod is denied at baseline', yaml: WINDOWS_SYS_ADMIN, settings: { pss: { level: 'baseline' } }, findings: [{ path: '/spec/containers/0/securityContext/capabilities/add/0', line: 10, column: 15 }] },
  ],
});
