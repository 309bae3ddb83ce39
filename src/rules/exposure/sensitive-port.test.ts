import rule from './sensitive-port.js';
import { ruleTable } from '../testing/harness.js';

const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ops\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    svc('web', '  type: LoadBalancer\n  ports: [{port: 443, targetPort: 8443}]\n'),
    { name: 'dashboard kept internal', yaml: svc('kubernetes-dashboard', '  ports: [{port: 443, targetPort: 8443}]\n') },
    { name: 'the API server Service itself', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {ports: [{port: 443, targetPort: 6443}]}\n' },
    { name: 'named target port', yaml: svc('web', '  ports: [{port: 80, targetPort: http}]\n') },
  ],
  invalid: [
    {
      name: 'kubelet behind a NodePort: high, points at the port',
      yaml: svc('kubelet', '  type: NodePort\n  ports:\n  - port: 10250\n'),
      findings: [{ path: '/spec/ports/0/port', line: 9, column: 5, severity: 'high', message: 'kubelet API' }],
    },
    {
      name: 'etcd target port on a ClusterIP Service: medium',
      yaml: svc('etcd', '  ports:\n  - port: 80\n    targetPort: 2379\n'),
      findings: [{ path: '/spec/ports/0/targetPort', line: 9, column: 5, severity: 'medium', message: 'etcd client API' }],
    },
    {
      name: 'dashboard on a public LoadBalancer (by selector)',
      yaml: svc('ui', '  type: LoadBalancer\n  selector: {k8s-app: kubernetes-dashboard}\n  ports: [{port: 443, targetPort: 8443}]\n'),
      findings: [{ path: '/spec/type', line: 7, column: 3, message: 'dashboard Service "ui"' }],
    },
  ],
});
