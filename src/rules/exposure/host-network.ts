import { defineRule } from '../../engine/rule.js';
import { asArray, isObject } from '../../model/json.js';
import { containersOf, describeContainer, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';

export default defineRule({
  meta: {
    id: 'exposure/host-network',
    title: 'Workload listens on the node network (hostNetwork or hostPort)',
    severity: 'medium',
    rationale:
      'hostNetwork pods and hostPort mappings listen on the node\'s own addresses, reachable by anything that can reach the node, usually far more than can reach pod IPs. Most CNIs do not apply NetworkPolicy to hostNetwork pods, and hostPort traffic arrives before pod-level isolation, so segmentation analyses do not protect them.',
    remediation: 'Use a ClusterIP Service (with an Ingress or LoadBalancer if it must be public) instead of hostPort, and drop hostNetwork unless the workload is node infrastructure (CNI, node exporters) in a locked-down namespace.',
    references: {
      cis: ['5.2.5', '5.2.12'],
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1190', 'T1046'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/overview/#services'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    if (!pod) return;
    const containers = containersOf(pod, ['containers', 'initContainers']);
    if (pod.spec.hostNetwork === true) {
      const ports = containers.flatMap((c) => asArray(c.container.ports)).filter(isObject).map((p) => p.containerPort).filter((n) => typeof n === 'number');
      ctx.report({
        path: `${pod.path}/hostNetwork`,
        message: `hostNetwork: true — the pods listen on the node's addresses${ports.length ? ` (ports ${ports.join(', ')})` : ''} and most CNIs do not apply NetworkPolicy to them`,
      });
      return;
    }
    for (const c of containers) {
      asArray(c.container.ports).forEach((p, i) => {
        if (!isObject(p) || typeof p.hostPort !== 'number' || p.hostPort === 0) return;
        ctx.report({ path: `${c.path}/ports/${i}/hostPort`, message: `${describeContainer(c)} binds hostPort ${p.hostPort} on every node it runs on: reachable at the node address, outside NetworkPolicy's view` });
      });
    }
  },
});
