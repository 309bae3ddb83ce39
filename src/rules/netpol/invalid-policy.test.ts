import rule from './invalid-policy.js';
import { ruleTable } from '../testing/harness.js';

const np = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [np('  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{port: 80, endPort: 90}]}]\n')],
  invalid: [
    {
      name: 'quoted port number',
      yaml: np('  podSelector: {}\n  ingress:\n  - ports:\n    - port: "8080"\n'),
      findings: [{ path: '/spec/ingress/0/ports/0/port', line: 8, column: 7, message: 'must contain a letter' }],
    },
    {
      name: 'bad CIDR and wrong types',
      yaml: np('  podSelector: []\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/33}\n'),
      findings: [
        { path: '/spec/podSelector', line: 5, column: 3, message: 'not an object' },
        { path: '/spec/egress/0/to/0/ipBlock/cidr', line: 8, column: 17, message: 'not a valid CIDR' },
      ],
    },
  ],
});
