import rule from './node-port.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: ClusterIP, ports: [{port: 80}]}\n', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: []\n'],
  invalid: [
    {
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  ports:\n  - {port: 80, nodePort: 30080}\n  - {port: 443}\n',
      findings: [{ path: '/spec/type', line: 5, column: 3, message: 'at 30080, 443 (random node port)' }],
    },
  ],
});
