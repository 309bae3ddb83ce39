import rule from './etcd-unique-ca.js';
import { ruleTable } from '../testing/harness.js';

/** Same layout as the control-plane flag tables: the command starts at line 11, flags at 13 + index. */
const staticPod = (component: string, flags: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: ${component}
  namespace: kube-system
  labels: {component: ${component}, tier: control-plane}
spec:
  containers:
  - name: ${component}
    image: registry.k8s.io/${component}:v1.31.0
    command:
    - ${component}
${flags.map((f) => `    - ${f}`).join('\n')}
`;

const etcd = (ca?: string) => staticPod('etcd', ['--data-dir=/var/lib/etcd', ...(ca ? [`--trusted-ca-file=${ca}`] : [])]);
const apiserver = staticPod('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']);

ruleTable(rule, {
  valid: [
    { name: 'kubeadm layout: separate etcd CA', yaml: `${etcd('/etc/kubernetes/pki/etcd/ca.crt')}---\n${apiserver}` },
    { name: 'etcd alone with its own CA', yaml: etcd('/etc/kubernetes/pki/etcd/ca.crt') },
    { name: 'the API server is not etcd', yaml: apiserver },
  ],
  invalid: [
    { name: 'same CA as the API server clients', yaml: `${etcd('/etc/kubernetes/pki/ca.crt')}---\n${apiserver}`, findings: [{ path: '/spec/containers/0/command/2', line: 14, column: 7, resource: 'Pod/etcd', message: 'the same CA the API server uses' }] },
    { name: 'no trusted CA at all', yaml: etcd(), findings: [{ path: '/spec/containers/0/command', line: 11, column: 5, message: '--trusted-ca-file is not set' }] },
  ],
});
