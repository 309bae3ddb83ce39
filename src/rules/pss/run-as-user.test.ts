import rule from './run-as-user.js';
import { ruleTable } from '../testing/harness.js';

const ROOT = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsUser: 0\n  containers: [{name: a, securityContext: {runAsUser: 1000}}]\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers: [{name: a}]\n',
    { name: 'the check starts at v1.23', yaml: ROOT, settings: { pss: { version: 'v1.22' } } },
  ],
  invalid: [{ yaml: ROOT, findings: [{ path: '/spec/securityContext/runAsUser', line: 6, column: 5, severity: 'medium', message: 'pod sets securityContext.runAsUser=0' }] }],
});
