import rule from './kube-proxy-metrics-bind.js';
import { ruleTable } from '../testing/harness.js';

const config = (addr: string) => `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
metricsBindAddress: ${addr}
`;

const configMap = (addr: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: kube-proxy, namespace: kube-system}
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    metricsBindAddress: ${addr}
  kubeconfig.conf: "apiVersion: v1\\nkind: Config\\n"
`;

const daemonSet = (args: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.31.0
        command:
        - /usr/local/bin/kube-proxy
        - --config=/var/lib/kube-proxy/config.conf
${args}`;

ruleTable(rule, {
  valid: [
    config('127.0.0.1:10249'),
    { name: 'empty means the loopback default', yaml: config('""') },
    { name: 'IPv6 loopback', yaml: config('"[::1]:10249"') },
    { name: 'kubeadm ConfigMap with loopback', yaml: configMap('127.0.0.1:10249') },
    { name: 'DaemonSet without the flag', yaml: daemonSet('') },
    { name: 'other binaries are not kube-proxy', yaml: daemonSet('').replace('/usr/local/bin/kube-proxy', '/bin/proxy') + '        - --metrics-bind-address=0.0.0.0:1\n' },
    { name: 'wrong types do not crash', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: [1]\n' },
  ],
  invalid: [
    { name: 'every interface', yaml: config('0.0.0.0:10249'), findings: [{ path: '/metricsBindAddress', line: 4, column: 1, message: 'listens on every interface' }] },
    { name: 'a bare port binds every interface', yaml: config('":10249"'), findings: [{ path: '/metricsBindAddress', line: 4, message: ':10249 listens on every interface' }] },
    { name: 'node IP', yaml: config('10.0.0.5:10249'), findings: [{ path: '/metricsBindAddress', message: 'listens on 10.0.0.5, not loopback' }] },
    { name: 'in the kubeadm ConfigMap: points at the data key', yaml: configMap('0.0.0.0:10249'), findings: [{ path: '/data/config.conf', line: 5, column: 3, message: 'config.conf: metricsBindAddress 0.0.0.0:10249' }] },
    { name: 'flag on the DaemonSet', yaml: daemonSet('        - --metrics-bind-address=0.0.0.0:10249\n'), findings: [{ path: '/spec/template/spec/containers/0/command/2', line: 15, column: 11, message: 'container "kube-proxy": --metrics-bind-address=0.0.0.0:10249' }] },
  ],
});
