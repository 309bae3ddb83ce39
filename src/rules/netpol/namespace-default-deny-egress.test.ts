import rule from './namespace-default-deny-egress.js';
import { ruleTable } from '../testing/harness.js';

const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec: {containers: [{name: c, image: x}]}\n';
const np = (spec: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    { name: 'default deny egress', yaml: pod + np('  podSelector: {}\n  policyTypes: [Egress]\n') },
    { name: 'deny all both directions', yaml: pod + np('  podSelector: {}\n  policyTypes: [Ingress, Egress]\n') },
    { name: 'egress only to DNS is still a default deny', yaml: pod + np('  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: 53, protocol: UDP}]}]\n') },
  ],
  invalid: [
    { name: 'ingress default deny only', yaml: pod + np('  podSelector: {}\n  policyTypes: [Ingress]\n'), findings: [{ path: '/metadata/namespace', line: 5, column: 3, severity: 'low', message: 'no default-deny egress' }] },
    { name: 'policyTypes absent with egress: [] is Ingress only', yaml: pod + np('  podSelector: {}\n  egress: []\n'), findings: [{ path: '/metadata/namespace', line: 5 }] },
    { name: 'allow-all egress does not deny', yaml: pod + np('  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]\n'), findings: [{ path: '/metadata/namespace' }] },
    { name: 'a malformed policy does not count', yaml: pod + np('  podSelector: {}\n  policyTypes: [egress]\n'), findings: [{ path: '/metadata/namespace' }] },
  ],
});
