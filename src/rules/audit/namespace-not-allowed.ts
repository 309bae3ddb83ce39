import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, resourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/namespace-not-allowed',
    title: 'Namespace created outside the allowed list',
    severity: 'medium',
    scope: 'event',
    defaultOff: true,
    rationale: 'Where namespaces are provisioned from a known list, a new one is either drift or a place to hide workloads outside existing policies.',
    remediation: 'Delete the namespace or add it to allowedNamespaces.',
    references: { mitre: ['T1610'] },
    optionsSchema: { type: 'object', additionalProperties: false, required: ['allowedNamespaces'], properties: { allowedNamespaces: { type: 'array', items: { type: 'string' } } } },
  },
  resources: ['namespaces'],
  verbs: ['create'],
  check(ctx) {
    const allowed = ctx.options.allowedNamespaces as string[] | undefined;
    const e = ctx.event;
    if (!allowed || resourceOf(e) !== 'namespaces' || e.verb !== 'create' || !succeeded(e)) return;
    const name = e.objectRef?.name ?? '';
    if (allowed.includes(name)) return;
    ctx.report({ message: `${actor(e).username} created namespace ${name || '(unnamed)'}, which is not in the allowed namespaces` });
  },
});
