import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/resource-lifecycle',
    title: 'Security-relevant object created or deleted (activity trail)',
    severity: 'info',
    scope: 'event',
    defaultOff: true,
    rationale: 'An informational trail of who created and deleted deployments, services, config, namespaces, service accounts, RBAC objects and secrets, for investigations (Falco\'s "K8s ... Created/Deleted" activity rules).',
    remediation: 'None needed; use it to reconstruct what happened.',
    references: { mitre: [] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { resources: { type: 'array', items: { type: 'string' } } } },
    defaults: { resources: ['deployments', 'services', 'configmaps', 'namespaces', 'serviceaccounts', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'secrets'] },
  },
  verbs: ['create', 'delete'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if (!(ctx.options.resources as string[]).includes(res) || e.objectRef?.subresource || !['create', 'delete'].includes(e.verb) || !succeeded(e)) return;
    // Control-plane bookkeeping (token secrets, bootstrap objects) is not user activity.
    if (isSystemComponent(actor(e)) || (res === 'secrets' && e.objectRef?.namespace === 'kube-system')) return;
    ctx.report({ message: `${actor(e).username} ${e.verb === 'create' ? 'created' : 'deleted'} ${describeObject(e)}` });
  },
});
