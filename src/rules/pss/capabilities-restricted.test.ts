import rule from './capabilities-restricted.js';
import { ruleTable } from '../testing/harness.js';

const NO_DROP = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]\n        add: [CHOWN, NET_BIND_SERVICE]\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n',
    { name: 'the check starts at v1.22', yaml: NO_DROP, settings: { pss: { version: 'v1.21' } } },
  ],
  invalid: [
    {
      name: 'missing ALL and adding a default capability are restricted-only',
      yaml: NO_DROP,
      findings: [
        { path: '/spec/containers/0/securityContext/capabilities/drop', line: 9, column: 9, severity: 'medium', message: 'does not drop ALL' },
        { path: '/spec/containers/0/securityContext/capabilities/add/0', line: 10, column: 15, message: 'adds capability CHOWN' },
      ],
    },
  ],
});
