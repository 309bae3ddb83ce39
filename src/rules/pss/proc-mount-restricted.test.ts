import rule from './proc-mount-restricted.js';
import { ruleTable } from '../testing/harness.js';

const USERNS = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: a\n    securityContext:\n      procMount: Unmasked\n';

ruleTable(rule, {
  valid: [
    { name: 'baseline allows it in a user namespace', yaml: USERNS, settings: { pss: { level: 'baseline' } } },
    { name: 'the check does not exist before v1.35 (baseline procMount covers it)', yaml: USERNS, settings: { pss: { version: 'v1.34' } } },
  ],
  invalid: [{ yaml: USERNS, findings: [{ path: '/spec/containers/0/securityContext/procMount', line: 9, column: 7, severity: 'medium', message: 'procMount="Unmasked"' }] }],
});
