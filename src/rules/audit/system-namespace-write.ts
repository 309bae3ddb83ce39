import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, succeeded, WRITE_VERBS } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/system-namespace-write',
    title: 'Write into kube-system or kube-public by a non-system identity',
    severity: 'medium',
    scope: 'event',
    rationale: 'kube-system holds the control plane\'s service accounts, secrets and add-ons; an object written there by a person or an ordinary workload can run with system rights or hide among system components.',
    remediation: 'Confirm the change came from cluster provisioning; deploy add-ons through reviewed pipelines; limit write access to kube-system.',
    references: { mitre: ['T1543', 'T1610'], urls: ['https://kubernetes.io/docs/concepts/security/multi-tenancy/'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { namespaces: { type: 'array', items: { type: 'string' } }, ignoreResources: { type: 'array', items: { type: 'string' } } } },
    defaults: { namespaces: ['kube-system', 'kube-public'], ignoreResources: ['events', 'leases', 'endpoints', 'endpointslices'] },
  },
  verbs: [...WRITE_VERBS],
  check(ctx) {
    const e = ctx.event;
    const ns = e.objectRef?.namespace;
    if (!ns || !(ctx.options.namespaces as string[]).includes(ns) || !WRITE_VERBS.has(e.verb) || !succeeded(e)) return;
    if ((ctx.options.ignoreResources as string[]).includes(e.objectRef?.resource ?? '')) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    const severe = ['pods', 'deployments', 'daemonsets', 'serviceaccounts', 'rolebindings', 'roles', 'secrets'].includes(e.objectRef?.resource ?? '');
    ctx.report({ message: `${who.username} did ${e.verb} on ${describeObject(e)}`, severity: severe ? 'high' : 'medium' });
  },
});
