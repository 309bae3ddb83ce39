import rule from './namespace-default-deny-ingress.js';
import { ruleTable } from '../testing/harness.js';

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
`;

ruleTable(rule, {
  valid: [
    { name: 'default deny ingress present', yaml: `${deploy}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n` },
    { name: 'policyTypes absent still means Ingress', yaml: `${deploy}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n` },
    { name: 'namespace-wide policy that allows only some sources is a default deny', yaml: `${deploy}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: same-ns, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]\n` },
    { name: 'kube-system is ignored by default', yaml: deploy.replace('namespace: shop', 'namespace: kube-system') },
    { name: 'namespaces without workloads are not reported', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n' },
  ],
  invalid: [
    {
      name: 'no policy: reported on the Namespace object when present',
      yaml: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${deploy}`,
      findings: [{ path: '/metadata/name', line: 4, column: 3, resource: 'Namespace/shop', message: 'namespace "shop" has no default-deny ingress' }],
    },
    {
      name: 'allow-all namespace policy is not a default deny; reported on the first workload',
      yaml: `${deploy}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{}]\n`,
      findings: [{ path: '/metadata/namespace', line: 5, column: 3, resource: 'Deployment/web' }],
    },
    {
      name: 'egress-only default deny does not count; ignoreNamespaces setting can be emptied',
      yaml: `${deploy.replace('namespace: shop', 'namespace: kube-system')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-egress, namespace: kube-system}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n`,
      settings: { netpol: { ignoreNamespaces: [] } },
      findings: [{ path: '/metadata/namespace', line: 5, message: 'namespace "kube-system"' }],
    },
    {
      name: 'workload without namespace counts as default',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n',
      findings: [{ path: '/metadata', line: 3, column: 1, message: 'namespace "default"' }],
    },
  ],
});
