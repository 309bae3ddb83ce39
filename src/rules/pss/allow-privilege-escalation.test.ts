import rule from './allow-privilege-escalation.js';
import { ruleTable } from '../testing/harness.js';

const UNSET_WINDOWS = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  containers:\n  - name: a\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {allowPrivilegeEscalation: false}\n',
    { name: 'Windows pods are exempt from v1.25', yaml: UNSET_WINDOWS },
    { name: 'the field (and the check) start at v1.8', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n', settings: { pss: { version: 'v1.7' } } },
  ],
  invalid: [
    { name: 'Windows pods were not exempt before v1.25', yaml: UNSET_WINDOWS, settings: { pss: { version: 'v1.24' } }, findings: [{ path: '/spec/containers/0', line: 7, column: 5, severity: 'medium' }] },
    {
      yaml: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        securityContext:\n          allowPrivilegeEscalation: true\n',
      findings: [{ path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', line: 10, column: 11, message: 'container "a" sets securityContext.allowPrivilegeEscalation=true' }],
    },
  ],
});
