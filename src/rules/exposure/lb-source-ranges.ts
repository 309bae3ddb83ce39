import { defineRule } from '../../engine/rule.js';
import { asArray, asObject } from '../../model/json.js';
import { isInternalLoadBalancer, serviceType } from '../../model/services.js';

const ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const OPEN = new Set(['0.0.0.0/0', '::/0']);

export default defineRule({
  meta: {
    id: 'exposure/lb-source-ranges',
    title: 'LoadBalancer Service open to the internet',
    severity: 'medium',
    rationale:
      'A LoadBalancer Service without loadBalancerSourceRanges gets a public address that accepts connections from anywhere. Scanners find new load balancers within minutes; anything behind it without its own authentication is exposed.',
    remediation: 'Set spec.loadBalancerSourceRanges to the client CIDRs that need access, or make the load balancer internal with your cloud\'s annotation, or put the service behind an Ingress with authentication.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1190', 'T1133'],
      urls: ['https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restrict-access-for-loadbalancer-service'],
    },
    kinds: ['Service'],
  },
  check(ctx) {
    const r = ctx.resource;
    if (serviceType(r) !== 'LoadBalancer' || isInternalLoadBalancer(r)) return;
    const spec = asObject(r.object.spec) ?? {};
    const ranges = asArray(spec.loadBalancerSourceRanges);
    const annotation = r.annotations[ANNOTATION];
    if (ranges.length === 0 && !annotation) {
      ctx.report({ path: '/spec/type', message: `LoadBalancer Service "${r.name}" sets no loadBalancerSourceRanges: it accepts connections from any address` });
      return;
    }
    ranges.forEach((v, i) => {
      if (typeof v === 'string' && OPEN.has(v.trim())) ctx.report({ path: `/spec/loadBalancerSourceRanges/${i}`, message: `loadBalancerSourceRanges includes ${v}: any address may connect` });
    });
    if (ranges.length === 0 && annotation && annotation.split(',').some((v) => OPEN.has(v.trim()))) {
      ctx.report({ path: '/metadata/annotations', message: `annotation ${ANNOTATION} includes an any-address range` });
    }
  },
});
