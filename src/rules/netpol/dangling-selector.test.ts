import rule from './dangling-selector.js';
import { ruleTable } from '../testing/harness.js';

const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: []}\n---\n';
const np = (spec: string, ns = 'shop') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: ${ns}}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    web + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n'),
    { name: 'empty selectors match by definition', yaml: np('  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]\n') },
    { name: 'peers in other namespaces are not judged', yaml: web + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: elsewhere}}}]}]\n') },
  ],
  invalid: [
    {
      name: 'policy selects nothing (label typo)',
      yaml: web + np('  podSelector:\n    matchLabels: {app: wbe}\n'),
      findings: [{ path: '/spec/podSelector', line: 13, column: 3, message: 'podSelector (app=wbe) matches no workload in namespace "shop"' }],
    },
    {
      name: 'peer selects nothing; a workload in another namespace does not count',
      yaml: web.replace('namespace: shop', 'namespace: other') + np('  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n'),
      findings: [{ path: '/spec/ingress/0/from/0/podSelector', line: 16, column: 7, message: 'ingress peer podSelector (app=web)' }],
    },
  ],
});
