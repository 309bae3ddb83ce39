import rule from './namespace-warn-audit-weaker.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit: restricted\n',
    { name: 'unset warn follows enforce', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n' },
  ],
  invalid: [
    {
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.37
    pod-security.kubernetes.io/warn: baseline
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/audit-version: v1.25
`,
      findings: [
        { path: '/metadata/labels/pod-security.kubernetes.io~1warn', line: 8, column: 5, severity: 'low', message: 'warn level baseline is weaker than enforce level restricted' },
        { path: '/metadata/labels/pod-security.kubernetes.io~1audit', line: 9, column: 5, message: 'audit version v1.25 is older than enforce version v1.37' },
      ],
    },
  ],
});
