import rule from './proc-mount.js';
import { ruleTable } from '../testing/harness.js';

const USERNS = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: a\n    securityContext: {procMount: Unmasked}\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {procMount: Default}\n',
    { name: 'user-namespace pods may unmask /proc at baseline from v1.35', yaml: USERNS, settings: { pss: { level: 'baseline', version: 'v1.35' } } },
    { name: 'at restricted v1.35+ procMount_restricted reports it instead', yaml: USERNS },
  ],
  invalid: [
    { name: 'before v1.35 user namespaces did not matter', yaml: USERNS, settings: { pss: { level: 'baseline', version: 'v1.34' } }, findings: [{ path: '/spec/containers/0/securityContext/procMount', line: 8, column: 23, severity: 'high', message: 'procMount="Unmasked"' }] },
    {
      name: 'restricted, not in a user namespace: the baseline violation',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      procMount: Unmasked\n',
      findings: [{ path: '/spec/containers/0/securityContext/procMount', line: 8, column: 7 }],
    },
  ],
});
