import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { boundOf, boundPath, type ComputeResource } from '../../model/compute-resources.js';
import { resourceListOption } from './resource-options.js';

export default defineRule({
  meta: {
    id: 'workload/resource-limits',
    title: 'Missing CPU or memory limit',
    severity: 'medium',
    rationale:
      'A container without a memory limit can exhaust the node and get neighbours OOM-killed; without a CPU limit it can starve them. A compromised or buggy container becomes a denial of service for everything on the node (or a free crypto miner).',
    remediation:
      'Set resources.limits.memory (and resources.limits.cpu unless you deliberately rely on CPU requests only) on every container, or give the namespace a LimitRange with default limits. Drop "cpu" from this rule\'s `resources` option if you do not want CPU limits.',
    references: {
      cis: [],
      nsa: ['Network separation and hardening: resource policies'],
      mitre: ['T1496', 'T1499'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
    },
    kinds: WORKLOAD_KINDS,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { resources: { type: 'array', items: { enum: ['cpu', 'memory'] }, uniqueItems: true, description: 'Resources that must have a limit.' } },
    },
    defaults: { resources: ['cpu', 'memory'] },
  },
  check(ctx) {
    const wanted: ComputeResource[] = resourceListOption(ctx.options.resources);
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      const missing = wanted.filter((res) => !boundOf(c, 'limits', res, ctx.index).set);
      if (missing.length === 0) continue;
      ctx.report({
        message: `${describeContainer(c)} has no ${missing.map((m) => (m === 'cpu' ? 'CPU' : 'memory')).join(' and ')} limit`,
        path: boundPath(c, 'limits'),
        details: { missing },
      });
    }
  },
});
