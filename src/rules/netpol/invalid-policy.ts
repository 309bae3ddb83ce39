import { defineRule } from '../../engine/rule.js';
import { isKubernetesNetworkPolicy, parsePolicy } from '../../analyses/netpol/index.js';

export default defineRule({
  meta: {
    id: 'netpol/invalid-policy',
    title: 'NetworkPolicy the API server would reject or that cannot be evaluated',
    severity: 'high',
    rationale:
      'A malformed NetworkPolicy is rejected at apply time (so the isolation it was meant to give never exists) or means something other than intended. Reachability analyses leave it out and fail closed rather than guess.',
    remediation: 'Fix the field named in the message; `kubectl apply --dry-run=server -f FILE` shows the API server\'s own validation.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: [],
      urls: ['https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/'],
    },
    kinds: ['NetworkPolicy'],
  },
  check(ctx) {
    // Calico and Antrea also have a kind named NetworkPolicy, with another schema.
    if (!isKubernetesNetworkPolicy(ctx.resource)) return;
    for (const pr of parsePolicy(ctx.resource.object).problems) ctx.report({ path: pr.path, message: pr.message });
  },
});
