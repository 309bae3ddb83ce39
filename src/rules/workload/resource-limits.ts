import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { boundOption, missingBounds, resourceListOption } from '../../model/compute-resources.js';

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
    ...boundOption('limits'),
  },
  check(ctx) {
    for (const m of missingBounds(ctx.resource, 'limits', resourceListOption(ctx.options.resources), ctx.index)) {
      ctx.report({ message: m.message, path: m.path, details: { missing: m.missing } });
    }
  },
});
