import { defineRule } from '../../engine/rule.js';
import { isKubernetesNetworkPolicy, parsePolicy } from '../../analyses/netpol/index.js';

export default defineRule({
  meta: {
    id: 'netpol/ingress-from-anywhere',
    title: 'Ingress allowed from any address',
    severity: 'medium',
    rationale:
      'An ingress ipBlock of 0.0.0.0/0 (or ::/0), or an ingress rule without `from`, accepts connections from the whole internet wherever the pod is reachable (LoadBalancer, NodePort, routable pod IPs). It usually outlives the debugging session it was written for.',
    remediation: 'Limit `from` to the load balancer or office ranges that need access, or to the ingress controller pods; keep world-open ingress on the ingress controller only.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1190', 'T1133'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
    },
    kinds: ['NetworkPolicy'],
  },
  check(ctx) {
    // Calico and Antrea also have a kind named NetworkPolicy, with another schema.
    if (!isKubernetesNetworkPolicy(ctx.resource)) return;
    const p = parsePolicy(ctx.resource.object);
    if (!p.types.ingress) return;
    for (const rule of p.ingress) {
      if (rule.peers === 'all') {
        ctx.report({ path: rule.path, message: `ingress rule ${rule.index} has no \`from\`: every source, inside and outside the cluster, may connect${rule.ports === 'all' ? ' on every port' : ''}` });
        continue;
      }
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock' && peer.prefix === 0) {
          ctx.report({ path: `${peer.path}/ipBlock/cidr`, message: `ingress from ${peer.cidr}${peer.except.length ? ` (except ${peer.except.join(', ')})` : ''}: the whole internet may connect` });
        }
      }
    }
  },
});
