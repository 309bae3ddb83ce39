import { defineGlobalRule } from '../../engine/rule.js';
import { clusterFromResources, netpolSettings, otherPoliciesIn, policiesIn, policiesSelecting } from '../../analyses/netpol/index.js';
import { podSpecOf } from '../../model/workloads.js';

export default defineGlobalRule({
  meta: {
    id: 'netpol/workload-not-selected',
    title: 'Workload that no NetworkPolicy selects',
    severity: 'medium',
    scope: 'global',
    rationale:
      'A pod that no NetworkPolicy selects is not isolated in either direction: every pod in the cluster and every address outside it can connect to it, and it can connect anywhere. One compromised pod can then reach it, and it can reach everything.',
    remediation: 'Select the workload with a NetworkPolicy that allows only the traffic it needs (match its pod template labels), or add a default-deny policy (podSelector: {}) to its namespace.',
    references: {
      cis: ['5.3.2'],
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1210', 'T1046'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation'],
    },
  },
  check(ctx) {
    const cluster = clusterFromResources(ctx.index.all);
    const { ignoreNamespaces } = netpolSettings(ctx.settings);
    for (const pod of cluster.pods) {
      if (ignoreNamespaces.includes(pod.namespace) || policiesSelecting(cluster, pod).length > 0) continue;
      // Policies of other kinds (not evaluated) may select it: no claim (netpol/other-policy-not-evaluated names them).
      if (otherPoliciesIn(cluster.otherPolicies, pod.namespace).length > 0) continue;
      const r = pod.resource!;
      const spec = podSpecOf(r);
      const labelsPath = spec && spec.metadata.labels !== undefined ? `${spec.metadataPath}/labels` : spec ? spec.metadataPath : '';
      const hasPolicies = policiesIn(cluster, pod.namespace).length > 0;
      ctx.report({
        resource: r,
        path: labelsPath,
        message: `${r.kind} "${r.name}" in namespace "${pod.namespace}" is selected by no NetworkPolicy${hasPolicies ? ' (the namespace has policies, but none matches its pod labels)' : ''}: all ingress and egress is allowed`,
      });
    }
  },
});
