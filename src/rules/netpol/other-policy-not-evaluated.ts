import { defineGlobalRule } from '../../engine/rule.js';
import { clusterFromResources, notEvaluatedReason, workloadNamespaces } from '../../analyses/netpol/index.js';

export default defineGlobalRule({
  meta: {
    id: 'netpol/other-policy-not-evaluated',
    title: 'Network policy of another API (Cilium, Calico, Antrea, AdminNetworkPolicy) not evaluated',
    severity: 'info',
    scope: 'global',
    rationale:
      'Rampart evaluates networking.k8s.io NetworkPolicies only. CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico (Global)NetworkPolicy, Antrea (Cluster)NetworkPolicy and AdminNetworkPolicy/BaselineAdminNetworkPolicy objects also isolate pods, so where they can apply Rampart does not claim that a namespace lacks a default deny or that a workload is selected by no policy: those conclusions are withheld and named here instead.',
    remediation: 'Review these policies with the CNI\'s own tooling (cilium policy trace, calicoctl), or express the baseline (default deny) as a Kubernetes NetworkPolicy so that it can be checked.',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: [],
      urls: ['https://network-policy-api.sigs.k8s.io/', 'https://docs.cilium.io/en/stable/security/policy/', 'https://docs.tigera.io/calico/latest/network-policy/'],
    },
  },
  check(ctx) {
    const cluster = clusterFromResources(ctx.index.all);
    if (cluster.otherPolicies.length === 0) return;
    const withWorkloads = [...workloadNamespaces(cluster).keys()];
    for (const o of cluster.otherPolicies) {
      const namespaces = o.namespace === undefined ? withWorkloads : withWorkloads.filter((ns) => ns === o.namespace);
      const scope = namespaces.length ? ` Withheld for ${namespaces.length} namespace(s) with workloads (${namespaces.slice(0, 3).join(', ')}${namespaces.length > 3 ? ', …' : ''}): netpol/namespace-default-deny-ingress, netpol/namespace-default-deny-egress and netpol/workload-not-selected.` : '';
      ctx.report({ resource: o.resource, path: '/kind', message: `${notEvaluatedReason(o)}.${scope}` });
      // Fail closed: the withheld conclusions are counted as not evaluated, not only noted at info level.
      if (namespaces.length && o.resource)
        ctx.notEvaluated({
          resource: o.resource,
          path: '/kind',
          reason: `${notEvaluatedReason(o)}: default-deny and workload-selection conclusions withheld for ${namespaces.length} namespace(s) (${namespaces.slice(0, 3).join(', ')}${namespaces.length > 3 ? ', …' : ''})`,
          hint: 'check these policies with the CNI\'s own tooling; turning netpol/other-policy-not-evaluated off in .rampart.yaml accepts the gap',
        });
    }
  },
});
