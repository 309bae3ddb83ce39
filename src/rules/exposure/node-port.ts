import { defineRule } from '../../engine/rule.js';
import { serviceType, servicePorts } from '../../model/services.js';

export default defineRule({
  meta: {
    id: 'exposure/node-port',
    title: 'NodePort Service',
    severity: 'low',
    rationale:
      'A NodePort Service opens its port on every node of the cluster. Node addresses are often reachable from wider networks than pod addresses, and the port bypasses the ingress layer (TLS, authentication, rate limits). NetworkPolicy may not see the original client address after SNAT.',
    remediation: 'Use a ClusterIP Service behind an Ingress or Gateway, or an internal LoadBalancer with source ranges. If a NodePort is required, restrict node firewall rules to the clients that need it.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1190', 'T1133'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
    },
    kinds: ['Service'],
  },
  check(ctx) {
    if (serviceType(ctx.resource) !== 'NodePort') return;
    const ports = servicePorts(ctx.resource).map((p) => (p.nodePort ? `${p.nodePort}` : `${p.port ?? '?'} (random node port)`));
    ctx.report({ path: '/spec/type', message: `Service "${ctx.resource.name}" is type NodePort: open on every node${ports.length ? ` at ${ports.join(', ')}` : ''}` });
  },
});
