import rule from './namespace-old-version.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.37\n',
    { name: 'unpinned (latest) is not old', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n' },
  ],
  invalid: [
    {
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30
`,
      findings: [{ path: '/metadata/labels/pod-security.kubernetes.io~1enforce-version', line: 7, column: 5, severity: 'low', message: 'enforces baseline at v1.30; 5 check changes since are not enforced: seLinuxOptions (v1.31), sysctls (v1.32), hostProbesAndHostLifecycle (v1.34)' }],
    },
  ],
});
