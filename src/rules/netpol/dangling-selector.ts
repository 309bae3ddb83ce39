import { defineGlobalRule } from '../../engine/rule.js';
import { clusterFromResources, isEmptySelector, podCreators, workloadNamespaces } from '../../analyses/netpol/index.js';
import { selectorMatches, type LabelSelector } from '../../model/index.js';

function describe(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) parts.push(`${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`);
  return parts.join(', ');
}

export default defineGlobalRule({
  meta: {
    id: 'netpol/dangling-selector',
    title: 'NetworkPolicy selector that matches no workload',
    severity: 'low',
    scope: 'global',
    rationale:
      'A policy whose podSelector matches no pod isolates nothing: usually a label typo, so the workload it was written for is still open. A peer podSelector that matches nothing allows nothing, so the traffic it was meant to allow is blocked (or the label was misspelt and an unintended pod can later take it).',
    remediation:
      'Fix the labels so they match the pod template labels of the intended workload, or delete the policy. Only the manifests scanned are considered: scan the namespace as a whole. Namespaces where an object of the input may create pods the manifests do not show (a custom resource, or a workload whose service account may create pods) are not reported.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: [],
      urls: ['https://docs.kubelinter.io/#/generated/checks?id=dangling-networkpolicy'],
    },
  },
  check(ctx) {
    const cluster = clusterFromResources(ctx.index.all);
    const creatorIn = podCreators(ctx.index.all);
    // Pods by namespace, gathered once (not one pass over every pod per policy).
    const podsIn = workloadNamespaces(cluster);
    for (const p of cluster.policies) {
      if (p.problems.length || !p.resource) continue;
      // Pods an operator creates from a custom resource (Prometheus, CephCluster, …) or a controller
      // with pod-creating RBAC (Longhorn's manager) are not in the manifests: no claim there.
      if (creatorIn(p.namespace)) continue;
      const podsHere = podsIn.get(p.namespace) ?? [];
      if (!isEmptySelector(p.podSelector) && !podsHere.some((x) => selectorMatches(p.podSelector, x.labels))) {
        ctx.report({ resource: p.resource, path: '/spec/podSelector', message: `podSelector (${describe(p.podSelector)}) matches no workload in namespace "${p.namespace}": the policy isolates nothing` });
      }
      for (const [dir, rules] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
        if (!p.types[dir]) continue;
        for (const rule of rules) {
          if (rule.peers === 'all') continue;
          for (const peer of rule.peers) {
            if (peer.kind !== 'pods' || peer.namespaceSelector !== undefined || isEmptySelector(peer.podSelector)) continue;
            if (podsHere.some((x) => selectorMatches(peer.podSelector, x.labels))) continue;
            ctx.report({ resource: p.resource, path: `${peer.path}/podSelector`, message: `${dir} peer podSelector (${describe(peer.podSelector)}) matches no workload in namespace "${p.namespace}"` });
          }
        }
      }
    }
  },
});
