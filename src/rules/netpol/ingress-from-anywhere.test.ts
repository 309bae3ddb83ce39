import rule from './ingress-from-anywhere.js';
import { ruleTable } from '../testing/harness.js';

const np = (ingress: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n${ingress}`;

ruleTable(rule, {
  valid: [
    np('  - from: [{ipBlock: {cidr: 203.0.113.0/24}}]\n'),
    np('  - from: [{podSelector: {matchLabels: {app: lb}}}]\n    ports: [{port: 80}]\n'),
    { name: 'egress-only policy', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n' },
    { name: 'deny all', yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress: []\n' },
  ],
  invalid: [
    {
      name: '0.0.0.0/0 points at the cidr, even with excepts',
      yaml: np('  - from:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [10.0.0.0/8]\n'),
      findings: [{ path: '/spec/ingress/0/from/0/ipBlock/cidr', line: 9, column: 9, message: 'except 10.0.0.0/8' }],
    },
    {
      name: 'IPv6 ::/0 and a rule without from',
      yaml: np('  - from: [{ipBlock: {cidr: "::/0"}}]\n  - ports: [{port: 443}]\n'),
      findings: [
        { path: '/spec/ingress/0/from/0/ipBlock/cidr', line: 7, column: 23, message: '::/0' },
        { path: '/spec/ingress/1', line: 8, column: 5, message: 'has no `from`' },
      ],
    },
  ],
});
