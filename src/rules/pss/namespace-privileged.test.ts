import rule from './namespace-privileged.js';
import { ruleTable } from '../testing/harness.js';

const PRIV = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: agents\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn: privileged\n',
    { name: 'exempt namespaces are skipped', yaml: PRIV, settings: { pss: { exemptions: { namespaces: ['agents'] } } } },
  ],
  invalid: [{ yaml: PRIV, findings: [{ path: '/metadata/labels/pod-security.kubernetes.io~1enforce', line: 6, column: 5, severity: 'medium', message: 'enforces the privileged' }] }],
});
