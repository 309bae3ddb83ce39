import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/events-deleted',
    title: 'Kubernetes events deleted',
    severity: 'medium',
    scope: 'event',
    rationale: 'Events expire on their own; deleting them by hand removes the record of what happened (pod starts, image pulls, failures) and is a classic way to cover tracks.',
    remediation: 'Find who deleted the events and why; ship events to external storage; remove delete on events from roles.',
    references: { mitre: ['T1070'], urls: ['https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/'] },
  },
  resources: ['events'],
  verbs: ['delete', 'deletecollection'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'events' || !['delete', 'deletecollection'].includes(e.verb) || !succeeded(e)) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    ctx.report({ message: `${who.username} ${e.verb === 'deletecollection' ? 'deleted all' : 'deleted'} ${describeObject(e)}`, severity: e.verb === 'deletecollection' ? 'high' : 'medium' });
  },
});
