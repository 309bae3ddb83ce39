import rule from './seccomp-profile-restricted.js';
import { ruleTable } from '../testing/harness.js';

const UNSET = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: a}]\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {seccompProfile: {type: Localhost, localhostProfile: x.json}}\n',
    { name: 'the check starts at v1.19', yaml: UNSET, settings: { pss: { version: 'v1.18' } } },
  ],
  invalid: [{ yaml: UNSET, findings: [{ path: '/spec/containers/0/securityContext', line: 7, column: 5, severity: 'medium', message: 'does not set securityContext.seccompProfile' }] }],
});
