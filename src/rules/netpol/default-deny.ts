// Shared shape of the two default-deny rules (ingress and egress); each rule file instantiates it.
import { defineGlobalRule, type GlobalRule } from '../../engine/rule.js';
import { clusterFromResources, hasDefaultDeny, netpolSettings, otherPoliciesIn, workloadNamespaces, type Direction } from '../../analyses/netpol/index.js';

export function defaultDenyRule(dir: Direction, severity: 'medium' | 'low'): GlobalRule {
  const Dir = dir === 'ingress' ? 'Ingress' : 'Egress';
  return defineGlobalRule({
    meta: {
      id: `netpol/namespace-default-deny-${dir}`,
      title: `Namespace without a default-deny ${dir} NetworkPolicy`,
      severity,
      scope: 'global',
      rationale:
        dir === 'ingress'
          ? 'Pods that no NetworkPolicy selects accept connections from every pod in the cluster and from outside it. A default-deny ingress policy makes every new workload closed until a policy opens it, so a compromised pod cannot reach services nobody meant to expose.'
          : 'Pods that no egress policy selects can connect anywhere: other namespaces, the Kubernetes API, the cloud metadata service, the internet. A default-deny egress policy limits what a compromised container can reach and exfiltrate to.',
      remediation: `Add a NetworkPolicy to the namespace with podSelector: {} and policyTypes: [${Dir}] and no ${dir} rules, then allow the traffic each workload needs with narrower policies${dir === 'egress' ? ' (remember DNS to kube-dns on 53/UDP and 53/TCP)' : ''}.`,
      references: {
        cis: ['5.3.2'],
        nsa: ['Network separation and hardening: network policies'],
        mitre: dir === 'ingress' ? ['T1210', 'T1046'] : ['T1041', 'T1552.005'],
        urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies'],
      },
    },
    check(ctx) {
      const cluster = clusterFromResources(ctx.index.all);
      const { ignoreNamespaces } = netpolSettings(ctx.settings);
      for (const [ns, pods] of workloadNamespaces(cluster)) {
        if (ignoreNamespaces.includes(ns) || hasDefaultDeny(cluster, ns, dir)) continue;
        // A Cilium, Calico, Antrea or AdminNetworkPolicy object may deny here: not evaluated, so no
        // claim (netpol/other-policy-not-evaluated names it).
        if (otherPoliciesIn(cluster.otherPolicies, ns).length > 0) continue;
        const nsObject = ctx.index.find('Namespace', ns);
        const first = pods.map((p) => p.resource!).sort((a, b) => a.file.localeCompare(b.file) || a.docIndex - b.docIndex)[0]!;
        const names = pods.map((p) => p.name).filter((n, i, a) => a.indexOf(n) === i);
        ctx.report({
          resource: nsObject ?? first,
          path: nsObject ? '/metadata/name' : first.namespace !== undefined ? '/metadata/namespace' : '/metadata',
          message: `namespace "${ns}" has no default-deny ${dir} NetworkPolicy (podSelector: {}, policyTypes: [${Dir}]); ${names.length} workload(s) (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}) ${dir === 'ingress' ? 'accept traffic' : 'may send traffic'} unless another policy selects them`,
        });
      }
    },
  });
}
