import rule from './namespace-invalid-label.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.30\n    pod-security.kubernetes.io/audit-version: latest\n'],
  invalid: [
    {
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: Restricted
    pod-security.kubernetes.io/enforce-version: "1.30"
    pod-security.kubernetes.io/warn: strict
`,
      findings: [
        { path: '/metadata/labels/pod-security.kubernetes.io~1enforce', line: 6, column: 5, severity: 'medium', message: 'PSA treats it as restricted' },
        { path: '/metadata/labels/pod-security.kubernetes.io~1enforce-version', line: 7, column: 5, message: 'treats it as latest' },
        { path: '/metadata/labels/pod-security.kubernetes.io~1warn', line: 8, column: 5, message: 'PSA treats it as privileged' },
      ],
    },
  ],
});
