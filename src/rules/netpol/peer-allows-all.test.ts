import rule from './peer-allows-all.js';
import { ruleTable } from '../testing/harness.js';

const np = (body: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n  podSelector: {}\n${body}`;

ruleTable(rule, {
  valid: [
    np('  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n'),
    np('  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: x}}\n'),
    { name: 'ipBlock peers are for another rule', yaml: np('  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n') },
    { name: 'egress rules of an ingress-only policy are inert', yaml: np('  policyTypes: [Ingress]\n  egress:\n  - to:\n    - namespaceSelector: {}\n') },
    { name: 'wrong types do not throw', yaml: np('  ingress: "x"\n') },
  ],
  invalid: [
    {
      name: 'namespaceSelector {} alone: every pod in the cluster',
      yaml: np('  ingress:\n  - from:\n    - namespaceSelector: {}\n'),
      findings: [{ path: '/spec/ingress/0/from/0/namespaceSelector', line: 8, column: 7, severity: 'medium', message: 'every pod in every namespace' }],
    },
    {
      name: 'namespaceSelector {} AND podSelector: labels in every namespace (low); podSelector {} alone (info)',
      yaml: np('  egress:\n  - to:\n    - namespaceSelector: {}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}\n    - podSelector: {}\n'),
      findings: [
        { path: '/spec/egress/0/to/0/namespaceSelector', line: 8, column: 7, severity: 'low', message: 'in every namespace' },
        { path: '/spec/egress/0/to/1/podSelector', line: 10, column: 7, severity: 'info', message: 'every pod in namespace "shop"' },
      ],
    },
  ],
});
