import { defineRule, type Report } from '../../engine/rule.js';
import type { Resource } from '../../model/types.js';
import { asObject, isObject } from '../../model/json.js';
import { backendContainers, imageName, ingressBackends, isExternallyExposed, serviceBackends, servicePorts, type BackendContainer } from '../../model/services.js';

/**
 * Control-plane and node components by their usual port. A port number alone does not say what
 * listens (prometheus-adapter serves on 6443, metrics-server on 10250, CoreDNS's etcd is not the
 * cluster's): the component is named only when the backing pods' images (or container names) show it.
 */
interface Component {
  ports: number[];
  /** What it is, said when the images confirm it. */
  what: string;
  /** Image names (last repository segment) or container names of the component. */
  images: RegExp;
}

const COMPONENTS: Component[] = [
  { ports: [10250], what: 'the kubelet API (runs commands in any pod of its node)', images: /^(kubelet|hyperkube)$/ },
  { ports: [10255], what: 'the kubelet read-only API', images: /^(kubelet|hyperkube)$/ },
  { ports: [2379], what: "etcd's client API (no authentication without client certificates: whoever reaches it reads and writes every key)", images: /^etcd$/ },
  { ports: [2380], what: "etcd's peer API", images: /^etcd$/ },
  { ports: [6443], what: 'the Kubernetes API server', images: /^(kube-apiserver|hyperkube)$/ },
  { ports: [10257], what: 'kube-controller-manager', images: /^(kube-controller-manager|hyperkube)$/ },
  { ports: [10259], what: 'kube-scheduler', images: /^(kube-scheduler|hyperkube)$/ },
  { ports: [4194], what: 'cAdvisor', images: /^cadvisor$/ },
  { ports: [2375], what: 'the Docker API without TLS (root on the node)', images: /^(docker|dind)$/ },
  { ports: [2376], what: 'the Docker API (root on the node)', images: /^(docker|dind)$/ },
];

/** The usual occupant of a port, said with a hedge when no image confirms it. */
const USUAL: Record<number, string> = {
  10250: 'the kubelet API',
  10255: 'the kubelet read-only API',
  2379: "etcd's client API",
  2380: "etcd's peer API",
  6443: 'the Kubernetes API server',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
  4194: 'cAdvisor',
  2375: 'the Docker API without TLS',
  2376: 'the Docker API',
};

/** Admin UIs and tools that must not face the outside without authentication in front. */
interface App {
  name: string;
  images: RegExp;
  /** Service names that give it away when no image is in the input. */
  services: RegExp;
  severity: 'high' | 'medium';
}

const APPS: App[] = [
  { name: 'the Kubernetes Dashboard', images: /^(dashboard|kubernetes-dashboard.*)$/, services: /^kubernetes-dashboard(-web|-kong-proxy)?$/, severity: 'high' },
  { name: 'Argo CD', images: /^argocd$/, services: /^argocd-server$/, severity: 'high' },
  { name: 'Jenkins', images: /^jenkins$/, services: /^jenkins$/, severity: 'high' },
  { name: 'Prometheus', images: /^prometheus$/, services: /^prometheus(-k8s|-server|-operated)?$/, severity: 'medium' },
  { name: 'Alertmanager', images: /^alertmanager$/, services: /^alertmanager(-main|-operated)?$/, severity: 'medium' },
  { name: 'Grafana', images: /^grafana$/, services: /^grafana$/, severity: 'medium' },
  { name: 'Kibana', images: /^kibana$/, services: /^kibana(-kb-http)?$/, severity: 'medium' },
];

const DASHBOARD = /(^|[-_.])(kubernetes-dashboard|dashboard)($|[-_.])/;

/** Ingress annotations that put authentication or a source allowlist in front of every backend. */
const INGRESS_ACCESS_CONTROL = ['nginx.ingress.kubernetes.io/auth-url', 'nginx.ingress.kubernetes.io/auth-type', 'nginx.ingress.kubernetes.io/whitelist-source-range', 'nginx.ingress.kubernetes.io/auth-tls-secret'];

function matches(re: RegExp, c: BackendContainer): boolean {
  return re.test(nameOfImage(c.image)) || re.test(c.container);
}

/**
 * `imageName`, remembered (bounded): each backend container's image is matched against every
 * known app and component, and the Services of one namespace share backends.
 */
const imageNames = new Map<string, string>();

function nameOfImage(image: string): string {
  let name = imageNames.get(image);
  if (name === undefined) {
    name = imageName(image);
    if (imageNames.size >= 4096) imageNames.clear();
    imageNames.set(image, name);
  }
  return name;
}

/** The cluster's own etcd or API server: a control-plane pod in kube-system (host network, or labelled so). */
function isControlPlane(c: BackendContainer): boolean {
  const labels = c.workload.kind === 'Pod' ? c.workload.labels : (asObject(asObject(asObject(asObject(c.workload.object.spec)?.template)?.metadata)?.labels) ?? {});
  return (c.workload.namespace ?? '') === 'kube-system' && (c.hostNetwork || labels.tier === 'control-plane' || labels.component === 'etcd' || labels.component === 'kube-apiserver');
}

function appOf(containers: BackendContainer[]): { app: App; evidence: string } | undefined {
  for (const app of APPS) {
    const c = containers.find((x) => matches(app.images, x));
    if (c) return { app, evidence: `image ${c.image} in ${c.workload.kind} "${c.workload.name}"` };
  }
  return undefined;
}

function checkService(r: Resource, index: Parameters<typeof serviceBackends>[0], report: (rep: Report) => void): void {
  // The API server's own Service (default/kubernetes, 443 → 6443) is how pods reach the API.
  if (r.name === 'kubernetes' && (r.namespace ?? 'default') === 'default') return;
  const external = isExternallyExposed(r);
  const where = external ? 'an externally reachable' : 'a cluster-internal';
  // The backends and their containers only for a Service that has a usual port or faces outside (few do).
  let backends: Resource[] | undefined;
  let containers: BackendContainer[] | undefined;
  const backing = () => {
    if (!containers) {
      backends = serviceBackends(index, r);
      containers = backendContainers(backends ?? []);
    }
    return containers;
  };
  for (const p of servicePorts(r)) {
    for (const [field, value] of [['port', p.port], ['targetPort', p.targetPort]] as const) {
      if (typeof value !== 'number' || !USUAL[value]) continue;
      const path = `/spec/ports/${p.index}/${field}`;
      const containers = backing();
      if (containers.length === 0) {
        // Nothing in the input backs it: the port suggests the component, but cannot show it.
        report({ path, severity: external ? 'medium' : 'low', message: `${where} Service "${r.name}" exposes ${value}, the usual port of ${USUAL[value]}; ${backends === undefined ? 'it has no selector' : 'no workload of the input matches its selector'}, so what listens there is not known` });
        break;
      }
      const component = COMPONENTS.find((c) => c.ports.includes(value));
      const hit = component && containers.find((c) => matches(component.images, c));
      if (!component || !hit) break; // another application uses the number (prometheus-adapter on 6443, CoreDNS's etcd plugin port…)
      const what = component.images.source.includes('etcd') && isControlPlane(hit) ? "the cluster's etcd (every Secret in the cluster)" : component.what;
      report({ path, severity: external ? 'high' : 'medium', message: `${where} Service "${r.name}" exposes ${value}, served by ${hit.image} in ${hit.workload.kind} "${hit.workload.name}": ${what}` });
      break;
    }
  }
  if (!external || !isObject(r.object.spec)) return;
  const app = appOf(backing());
  if (app) {
    report({ path: '/spec/type', severity: app.app.severity, message: `Service "${r.name}" exposes ${app.app.name} (${app.evidence}) outside the cluster` });
    return;
  }
  const selector = asObject(asObject(r.object.spec)?.selector) ?? {};
  const isDashboard = DASHBOARD.test(r.name) || Object.values(selector).some((v) => typeof v === 'string' && DASHBOARD.test(v));
  if (isDashboard) report({ path: '/spec/type', message: `dashboard Service "${r.name}" is reachable from outside the cluster` });
}

function checkIngress(r: Resource, index: Parameters<typeof serviceBackends>[0], report: (rep: Report) => void): void {
  if (INGRESS_ACCESS_CONTROL.some((a) => r.annotations[a] !== undefined)) return;
  const seen = new Set<string>();
  for (const b of ingressBackends(r)) {
    if (seen.has(b.service)) continue;
    seen.add(b.service);
    const svc = index.find('Service', b.service, r.namespace ?? '');
    const containers = backendContainers((svc && serviceBackends(index, svc)) ?? []);
    const byImage = appOf(containers);
    const app = byImage?.app ?? (containers.length === 0 ? APPS.find((a) => a.services.test(b.service)) : undefined);
    if (!app) continue;
    const evidence = byImage ? byImage.evidence : `by the backend Service's name; ${svc ? 'no workload of the input backs it' : 'the Service is not in the input'}`;
    report({ path: b.path, severity: app.severity, message: `Ingress "${r.name}" exposes ${app.name} (Service "${b.service}", ${evidence}) without authentication or a source allowlist at the Ingress` });
  }
}

export default defineRule({
  meta: {
    id: 'exposure/sensitive-port',
    title: 'Service or Ingress exposes a control-plane port or an admin application',
    severity: 'high',
    rationale:
      'The kubelet API (10250) runs commands in any pod of its node, etcd (2379) holds every key it stores (for the cluster\'s etcd, every Secret), and admin applications (the Kubernetes Dashboard, Argo CD, Jenkins, Prometheus, Grafana…) have been the entry point of public cluster compromises (Tesla, 2018). A Service or Ingress in front of them hands that power to whoever can reach it. What listens is told by the backing pods\' images, not the port number alone.',
    remediation:
      'Do not put control-plane or node ports behind a Service. Reach dashboards and admin tools with kubectl port-forward or behind an authenticating proxy (e.g. nginx auth-url, oauth2-proxy) and a source allowlist, never a public LoadBalancer, NodePort or open Ingress.',
    references: {
      nsa: ['Network separation and hardening: control plane hardening'],
      mitre: ['T1609', 'T1552.007', 'T1133'],
      urls: ['https://kubernetes.io/docs/reference/networking/ports-and-protocols/'],
    },
    kinds: ['Service', 'Ingress'],
  },
  check(ctx) {
    const report = (rep: Report) => ctx.report(rep);
    if (ctx.resource.kind === 'Ingress') checkIngress(ctx.resource, ctx.index, report);
    else checkService(ctx.resource, ctx.index, report);
  },
});
