import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/system-role-changed',
    title: 'System role or binding changed or deleted',
    severity: 'high',
    scope: 'event',
    rationale: 'The system:* roles and bindings are the control plane\'s own permissions. Widening one backdoors a component identity; deleting one breaks a component or hides a change.',
    remediation: 'Find who changed it; restore the bootstrap version (the API server reconciles most system roles on restart unless autoupdate is off).',
    references: { mitre: ['T1098', 'T1562'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#auto-reconciliation'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { ignore: { type: 'array', items: { type: 'string' } } } },
    defaults: { ignore: ['system:coredns', 'system:managed-certificate-controller'] },
  },
  resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'],
  verbs: ['update', 'patch', 'delete'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if (!['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].includes(res)) return;
    if (!['update', 'patch', 'delete'].includes(e.verb) || !succeeded(e)) return;
    const name = e.objectRef?.name ?? '';
    if (!name.startsWith('system:') || (ctx.options.ignore as string[]).includes(name)) return;
    const who = actor(e);
    // The API server itself reconciles bootstrap roles at start-up.
    if (isSystemComponent(who) && e.verb !== 'delete') return;
    ctx.report({ message: `${who.username} ${e.verb === 'delete' ? 'deleted' : 'changed'} ${describeObject(e)}` });
  },
});
