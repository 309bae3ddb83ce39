import rule from './workload-not-selected.js';
import { ruleTable } from '../testing/harness.js';

const deploy = (labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: ${labels}
    spec: {containers: [{name: c, image: nginx:1.27}]}
`;
const np = (sel: string, extra = '') => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n  podSelector: ${sel}\n${extra}`;

ruleTable(rule, {
  valid: [
    { name: 'selected by label', yaml: deploy('{app: web}') + np('{matchLabels: {app: web}}') },
    { name: 'selected by empty selector', yaml: deploy('{app: web}') + np('{}') },
    { name: 'selected for egress only still counts', yaml: deploy('{app: web}') + np('{matchExpressions: [{key: app, operator: Exists}]}', '  policyTypes: [Egress]\n') },
    { name: 'kube-system ignored', yaml: deploy('{app: web}').replace('namespace: shop', 'namespace: kube-system') },
  ],
  invalid: [
    {
      name: 'no policy in the namespace: points at the pod template labels',
      yaml: deploy('{app: web}'),
      findings: [{ path: '/spec/template/metadata/labels', line: 9, column: 7, message: 'is selected by no NetworkPolicy' }],
    },
    {
      name: 'policies exist but none matches; a policy in another namespace does not count',
      yaml: deploy('{app: web}') + np('{matchLabels: {app: api}}') + np('{}').replace('namespace: shop', 'namespace: other'),
      findings: [{ path: '/spec/template/metadata/labels', line: 9, message: 'none matches its pod labels' }],
    },
    {
      name: 'template without labels points at the template metadata; bare pod points at its labels',
      yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n  template:\n    metadata: {}\n    spec: {containers: []}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels: {a: b}\nspec: {containers: []}\n',
      findings: [
        { path: '/spec/template/metadata', line: 6, column: 5, resource: 'Deployment/d' },
        { path: '/metadata/labels', line: 14, column: 3, resource: 'Pod/p' },
      ],
    },
  ],
});
