import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { boundOf, boundPath, type ComputeResource } from '../../model/compute-resources.js';
import { resourceListOption } from './resource-options.js';

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
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { resources: { type: 'array', items: { enum: ['cpu', 'memory'] }, uniqueItems: true, description: 'Resources that must have a request.' } },
    },
    defaults: { resources: ['cpu', 'memory'] },
  },
  check(ctx) {
    const wanted: ComputeResource[] = resourceListOption(ctx.options.resources);
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      const missing = wanted.filter((res) => !boundOf(c, 'requests', res, ctx.index).set);
      if (missing.length === 0) continue;
      ctx.report({
        message: `${describeContainer(c)} has no ${missing.map((m) => (m === 'cpu' ? 'CPU' : 'memory')).join(' and ')} request`,
        path: boundPath(c, 'requests'),
        details: { missing },
      });
    }
  },
});
