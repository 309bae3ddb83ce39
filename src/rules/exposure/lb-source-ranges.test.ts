import rule from './lb-source-ranges.js';
import { ruleTable } from '../testing/harness.js';

const svc = (spec: string, annotations = '{}') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: ${annotations}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    svc('  type: LoadBalancer\n  loadBalancerSourceRanges: [203.0.113.0/24]\n'),
    { name: 'annotation form', yaml: svc('  type: LoadBalancer\n', '{service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8"}') },
    { name: 'internal load balancer (AWS)', yaml: svc('  type: LoadBalancer\n', '{service.beta.kubernetes.io/aws-load-balancer-internal: "true"}') },
    { name: 'internal load balancer (GKE)', yaml: svc('  type: LoadBalancer\n', '{networking.gke.io/load-balancer-type: Internal}') },
    { name: 'ClusterIP', yaml: svc('  ports: [{port: 80}]\n') },
    { name: 'wrong types', yaml: svc('  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports: "x"\n') },
  ],
  invalid: [
    { name: 'no ranges', yaml: svc('  type: LoadBalancer\n  ports: [{port: 443}]\n'), findings: [{ path: '/spec/type', line: 7, column: 3, message: 'sets no loadBalancerSourceRanges' }] },
    { name: 'open range listed', yaml: svc('  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n  - 0.0.0.0/0\n'), findings: [{ path: '/spec/loadBalancerSourceRanges/1', line: 10, column: 5, message: '0.0.0.0/0' }] },
    { name: 'internal annotation set to false', yaml: svc('  type: LoadBalancer\n', '{service.beta.kubernetes.io/azure-load-balancer-internal: "false"}'), findings: [{ path: '/spec/type', line: 7 }] },
  ],
});
