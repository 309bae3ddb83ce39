import rule from './namespace-no-enforce.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n',
    { name: 'exempt namespaces are skipped', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n', settings: { pss: { exemptions: { namespaces: ['kube-system'] } } } },
  ],
  invalid: [
    {
      name: 'suggests the strongest level its workloads in the input satisfy',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: web
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers: [{name: a}]
`,
      findings: [{ path: '/metadata/labels', line: 5, column: 3, severity: 'medium', message: 'its 1 workload in the input would all be admitted at baseline' }],
    },
    { name: 'no labels at all', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: empty\n', findings: [{ path: '/metadata', line: 3, column: 1, message: 'no workloads for it in the input' }] },
  ],
});
