import rule from './sensitive-port.js';
import { ruleTable } from '../testing/harness.js';

const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ops\nspec:\n${spec}`;
/** A Deployment in ops labelled app=NAME running IMAGE (optionally as CONTAINER), then `---`. */
const deploy = (name: string, image: string, extra = '', ns = 'ops', container = 'main') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  template:\n    metadata: {labels: {app: ${name}${extra}}}\n    spec:\n      containers: [{name: ${container}, image: "${image}"}]\n---\n`;
const ingress = (service: string, annotations = '{}') =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: public, namespace: ops, annotations: ${annotations}}\nspec:\n  rules:\n  - host: ops.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: ${service}, port: {number: 80}}}\n`;

ruleTable(rule, {
  valid: [
    svc('web', '  type: LoadBalancer\n  ports: [{port: 443, targetPort: 8443}]\n'),
    { name: 'dashboard kept internal', yaml: svc('kubernetes-dashboard', '  ports: [{port: 443, targetPort: 8443}]\n') },
    { name: 'the API server Service itself', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {ports: [{port: 443, targetPort: 6443}]}\n' },
    { name: 'named target port', yaml: svc('web', '  ports: [{port: 80, targetPort: http}]\n') },
    {
      name: 'prometheus-adapter serves on 6443: the image says it is not the API server',
      yaml: deploy('prometheus-adapter', 'registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.11.2') + svc('prometheus-adapter', '  selector: {app: prometheus-adapter}\n  ports: [{port: 443, targetPort: 6443}]\n'),
    },
    { name: 'metrics-server on 10250 is not the kubelet', yaml: deploy('metrics-server', 'registry.k8s.io/metrics-server/metrics-server:v0.7.1') + svc('metrics-server', '  selector: {app: metrics-server}\n  ports: [{port: 443, targetPort: 10250}]\n') },
    { name: 'an Ingress to an ordinary application', yaml: deploy('shop', 'example/shop:1.0') + svc('shop', '  selector: {app: shop}\n  ports: [{port: 80}]\n') + '---\n' + ingress('shop') },
    { name: 'Argo CD behind an authenticating Ingress', yaml: deploy('argocd-server', 'quay.io/argoproj/argocd:v2.10.0') + svc('argocd-server', '  selector: {app: argocd-server}\n  ports: [{port: 80}]\n') + '---\n' + ingress('argocd-server', '{nginx.ingress.kubernetes.io/auth-url: "https://auth.example.com/oauth2/auth"}') },
    { name: 'Prometheus on a cluster-internal Service', yaml: deploy('prometheus', 'quay.io/prometheus/prometheus:v2.51.0') + svc('prometheus', '  selector: {app: prometheus}\n  ports: [{port: 9090}]\n') },
  ],
  invalid: [
    {
      name: 'kubelet port on a NodePort without a selector: what listens is not known, said so',
      yaml: svc('kubelet', '  type: NodePort\n  ports:\n  - port: 10250\n'),
      findings: [{ path: '/spec/ports/0/port', line: 9, column: 5, severity: 'medium', message: 'exposes 10250, the usual port of the kubelet API; it has no selector, so what listens there is not known' }],
    },
    {
      name: 'etcd target port, no workload in the input: low',
      yaml: svc('etcd', '  selector: {app: etcd}\n  ports:\n  - port: 80\n    targetPort: 2379\n'),
      findings: [{ path: '/spec/ports/0/targetPort', severity: 'low', message: 'no workload of the input matches its selector' }],
    },
    {
      name: 'an application etcd (CoreDNS/external-dns backend) is etcd, not every Secret of the cluster',
      yaml: deploy('etcd', 'quay.io/coreos/etcd:v3.5.9') + svc('etcd', '  type: NodePort\n  selector: {app: etcd}\n  ports: [{port: 2379}]\n'),
      findings: [{ path: '/spec/ports/0/port', severity: 'high', message: "served by quay.io/coreos/etcd:v3.5.9 in Deployment \"etcd\": etcd's client API (no authentication" }],
    },
    {
      name: "the cluster's etcd (control-plane pod in kube-system) holds every Secret",
      yaml:
        'apiVersion: v1\nkind: Pod\nmetadata: {name: etcd-node1, namespace: kube-system, labels: {component: etcd, tier: control-plane}}\nspec:\n  hostNetwork: true\n  containers: [{name: etcd, image: "registry.k8s.io/etcd:3.5.12-0"}]\n---\n' +
        'apiVersion: v1\nkind: Service\nmetadata: {name: etcd, namespace: kube-system}\nspec:\n  selector: {component: etcd}\n  ports: [{port: 2379}]\n',
      findings: [{ path: '/spec/ports/0/port', severity: 'medium', message: "the cluster's etcd (every Secret in the cluster)" }],
    },
    {
      name: 'dashboard on a public LoadBalancer (by selector, no workload in the input)',
      yaml: svc('ui', '  type: LoadBalancer\n  selector: {k8s-app: kubernetes-dashboard}\n  ports: [{port: 443, targetPort: 8443}]\n'),
      findings: [{ path: '/spec/type', line: 7, column: 3, message: 'dashboard Service "ui"' }],
    },
    {
      name: 'Prometheus on a public LoadBalancer, told by its image',
      yaml: deploy('metrics', 'quay.io/prometheus/prometheus:v2.51.0') + svc('metrics', '  type: LoadBalancer\n  selector: {app: metrics}\n  ports: [{port: 9090}]\n'),
      findings: [{ path: '/spec/type', severity: 'medium', message: 'Service "metrics" exposes Prometheus (image quay.io/prometheus/prometheus:v2.51.0 in Deployment "metrics") outside the cluster' }],
    },
    {
      name: 'Argo CD through an Ingress, told by the image behind the Service',
      yaml: deploy('argocd-server', 'quay.io/argoproj/argocd:v2.10.0') + svc('argocd-server', '  selector: {app: argocd-server}\n  ports: [{port: 80}]\n') + '---\n' + ingress('argocd-server'),
      findings: [{ path: '/spec/rules/0/http/paths/0/backend/service/name', severity: 'high', message: 'Ingress "public" exposes Argo CD (Service "argocd-server", image quay.io/argoproj/argocd:v2.10.0' }],
    },
    {
      name: 'Jenkins through an Ingress, the Service not in the input: told by its name, and said so',
      yaml: ingress('jenkins'),
      findings: [{ path: '/spec/rules/0/http/paths/0/backend/service/name', severity: 'high', message: "Jenkins (Service \"jenkins\", by the backend Service's name; the Service is not in the input)" }],
    },
    {
      name: 'Grafana through an Ingress (by the container image, whatever the Service is called)',
      yaml: deploy('viz', 'docker.io/grafana/grafana:10.4.0') + svc('viz', '  selector: {app: viz}\n  ports: [{port: 3000}]\n') + '---\n' + ingress('viz'),
      findings: [{ path: '/spec/rules/0/http/paths/0/backend/service/name', severity: 'medium', message: 'exposes Grafana' }],
    },
  ],
});
