import { defineRule } from '../../engine/rule.js';
import { isEmptySelector, isKubernetesNetworkPolicy, parsePolicy } from '../../analyses/netpol/index.js';

export default defineRule({
  meta: {
    id: 'netpol/peer-allows-all',
    title: 'NetworkPolicy peer that matches every namespace or every pod',
    severity: 'medium',
    rationale:
      '`namespaceSelector: {}` matches every namespace, including ones created later by anyone allowed to create namespaces; with an empty (or no) podSelector it allows every pod in the cluster. Labels are not an authorization boundary: whoever can create a pod anywhere can wear the label a selector asks for.',
    remediation: 'Name the namespaces the traffic really comes from (namespaceSelector with kubernetes.io/metadata.name or a team label) and the pods (podSelector with app labels).',
    references: {
      cis: ['5.3.2'],
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1210'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'],
    },
    kinds: ['NetworkPolicy'],
  },
  check(ctx) {
    // Calico and Antrea also have a kind named NetworkPolicy, with another schema.
    if (!isKubernetesNetworkPolicy(ctx.resource)) return;
    const p = parsePolicy(ctx.resource.object);
    for (const [dir, rules] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
      if (!p.types[dir]) continue;
      const word = dir === 'ingress' ? 'from' : 'to';
      for (const rule of rules) {
        if (rule.peers === 'all') continue;
        for (const peer of rule.peers) {
          if (peer.kind !== 'pods') continue;
          const nsAll = peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector);
          const podAll = isEmptySelector(peer.podSelector);
          if (nsAll && podAll) {
            ctx.report({ path: `${peer.path}/namespaceSelector`, message: `${dir} ${word} every pod in every namespace (namespaceSelector: {} without a podSelector)` });
          } else if (nsAll) {
            ctx.report({ path: `${peer.path}/namespaceSelector`, severity: 'low', message: `${dir} ${word} pods with matching labels in every namespace (namespaceSelector: {}): anyone who can create a pod anywhere can match` });
          } else if (podAll && peer.namespaceSelector === undefined) {
            ctx.report({ path: `${peer.path}/podSelector`, severity: 'info', message: `${dir} ${word} every pod in namespace "${p.namespace}" (podSelector: {})` });
          }
        }
      }
    }
  },
});
