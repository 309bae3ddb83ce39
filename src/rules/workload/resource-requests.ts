import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { boundOption, missingBounds, resourceListOption } from '../../model/compute-resources.js';

export default defineRule({
  meta: {
    id: 'workload/resource-requests',
    title: 'Missing CPU or memory request',
    severity: 'low',
    rationale:
      'Without requests the scheduler places pods blindly and the pod gets the BestEffort QoS class: it is the first to be evicted under node pressure and can be overcommitted onto nodes that cannot run it.',
    remediation:
      'Set resources.requests.cpu and resources.requests.memory on every container (a limit alone also sets the request), or give the namespace a LimitRange with defaultRequest values.',
    references: {
      cis: [],
      nsa: ['Network separation and hardening: resource policies'],
      mitre: ['T1499'],
      urls: ['https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/'],
    },
    kinds: WORKLOAD_KINDS,
    ...boundOption('requests'),
  },
  check(ctx) {
    for (const m of missingBounds(ctx.resource, 'requests', resourceListOption(ctx.options.resources), ctx.index)) {
      ctx.report({ message: m.message, path: m.path, details: { missing: m.missing } });
    }
  },
});
