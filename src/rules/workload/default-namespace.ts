import { defineRule } from '../../engine/rule.js';
import { hasPodSpec, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asObject } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'workload/default-namespace',
    title: 'Workload in the default namespace',
    severity: 'low',
    rationale:
      'The default namespace is where everything lands by accident. Workloads there share one set of RBAC bindings, quotas and network policies with whatever else was applied without a namespace, so nothing isolates them from each other.',
    remediation: 'Create a namespace per application or team and set metadata.namespace to it.',
    references: {
      cis: ['5.6.4', '5.6.1'],
      nsa: ['Network separation and hardening: namespaces'],
      mitre: [],
      urls: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
    },
    kinds: WORKLOAD_KINDS,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        includeUnset: {
          type: 'boolean',
          description: 'Also report workloads without metadata.namespace (they land in whatever namespace kubectl is pointed at, often default).',
        },
      },
    },
    defaults: { includeUnset: false },
  },
  check(ctx) {
    const r = ctx.resource;
    // WORKLOAD_KINDS holds kinds shared with objects that run no pods (a core Service vs Knative's).
    if (!hasPodSpec(r)) return;
    if (r.namespace === 'default') {
      ctx.report({ message: `${r.kind} "${r.name}" is in the default namespace`, path: '/metadata/namespace' });
    } else if (r.namespace === undefined && ctx.options.includeUnset === true) {
      ctx.report({
        message: `${r.kind} "${r.name}" sets no namespace, so it is created in the current (often default) namespace`,
        path: asObject(r.object.metadata) ? '/metadata' : '',
      });
    }
  },
});
