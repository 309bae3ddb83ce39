import { defineRule } from '../../engine/rule.js';
import { asObject, isObject } from '../../model/json.js';
import { isExternallyExposed, servicePorts } from './service.js';

/** Well-known control-plane and node ports that should never be behind a Service, let alone an external one. */
const SENSITIVE: Record<number, string> = {
  10250: 'kubelet API (exec into any pod on the node)',
  10255: 'kubelet read-only API',
  2379: 'etcd client API (every Secret in the cluster)',
  2380: 'etcd peer API',
  6443: 'Kubernetes API server',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
  4194: 'cAdvisor',
  2375: 'Docker API without TLS',
  2376: 'Docker API',
};

const DASHBOARD = /(^|[-_.])(kubernetes-dashboard|dashboard)($|[-_.])/;

export default defineRule({
  meta: {
    id: 'exposure/sensitive-port',
    title: 'Service exposes a sensitive control-plane port or dashboard',
    severity: 'high',
    rationale:
      'The kubelet API (10250) runs commands in any pod of its node, etcd (2379) holds every Secret, and the Kubernetes Dashboard has been the entry point of public cluster compromises (Tesla, 2018). A Service in front of them hands that power to whoever can reach the Service.',
    remediation: 'Do not put control-plane or node ports behind a Service. Reach the dashboard with kubectl port-forward or behind an authenticating proxy, never a public LoadBalancer or NodePort.',
    references: {
      nsa: ['Network separation and hardening: control plane hardening'],
      mitre: ['T1609', 'T1552.007', 'T1133'],
      urls: ['https://kubernetes.io/docs/reference/networking/ports-and-protocols/'],
    },
    kinds: ['Service'],
  },
  check(ctx) {
    const r = ctx.resource;
    // The API server's own Service (default/kubernetes, 443 → 6443) is how pods reach the API.
    if (r.name === 'kubernetes' && (r.namespace ?? 'default') === 'default') return;
    const external = isExternallyExposed(r);
    const where = external ? 'an externally reachable' : 'a cluster-internal';
    for (const p of servicePorts(r)) {
      for (const [field, value] of [['port', p.port], ['targetPort', p.targetPort]] as const) {
        if (typeof value !== 'number' || !SENSITIVE[value]) continue;
        ctx.report({ path: `/spec/ports/${p.index}/${field}`, severity: external ? 'high' : 'medium', message: `${where} Service "${r.name}" exposes ${value}, the ${SENSITIVE[value]}` });
        break;
      }
    }
    if (!external) return;
    const selector = asObject(asObject(r.object.spec)?.selector) ?? {};
    const isDashboard = DASHBOARD.test(r.name) || Object.values(selector).some((v) => typeof v === 'string' && DASHBOARD.test(v));
    if (isDashboard && isObject(r.object.spec)) ctx.report({ path: '/spec/type', message: `dashboard Service "${r.name}" is reachable from outside the cluster` });
  },
});
