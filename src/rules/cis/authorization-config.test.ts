import rule from './authorization-config.js';
import { ruleTable } from '../testing/harness.js';

const config = (types: string) => `apiVersion: apiserver.config.k8s.io/v1
kind: AuthorizationConfiguration
authorizers:
${types}`;
const a = (t: string, name = t.toLowerCase()) => `- type: ${t}\n  name: ${name}\n`;

ruleTable(rule, {
  valid: [
    config(a('Node') + a('RBAC')),
    { name: 'with a webhook after Node and RBAC', yaml: config(a('Node') + a('RBAC') + a('Webhook')) },
    { name: 'another group\'s AuthorizationConfiguration', yaml: 'apiVersion: example.com/v1\nkind: AuthorizationConfiguration\nauthorizers: []\n' },
  ],
  invalid: [
    {
      name: 'AlwaysAllow and no RBAC',
      yaml: config(a('Node') + a('AlwaysAllow')),
      findings: [
        { path: '/authorizers', line: 3, column: 1, message: 'no authorizer of type RBAC' },
        { path: '/authorizers/1/type', line: 6, column: 3, severity: 'critical', message: 'authorizer 1 is AlwaysAllow' },
      ],
    },
    { name: 'RBAC only', yaml: config(a('RBAC')), findings: [{ path: '/authorizers', message: 'no authorizer of type Node' }] },
    {
      name: 'wrong types do not crash',
      yaml: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: [1]\n',
      findings: [
        { path: '/authorizers', message: 'type Node' },
        { path: '/authorizers', message: 'type RBAC' },
        { path: '/authorizers/0', message: 'has no type' },
      ],
    },
  ],
});
