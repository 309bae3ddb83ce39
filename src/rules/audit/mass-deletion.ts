import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { SlidingWindow } from '../../analyses/audit/window.js';

export default defineEventRule<AuditEvent, SlidingWindow>({
  meta: {
    id: 'audit/mass-deletion',
    title: 'Mass deletion by one identity',
    severity: 'high',
    scope: 'event',
    rationale: 'Deleting many workloads, namespaces or volumes in a short time (or a deletecollection of them) destroys service and data: ransomware-style impact or a run-away script.',
    remediation: 'Stop the identity (revoke its credential), restore from backup or GitOps, and review who may delete these kinds.',
    references: { mitre: ['T1485', 'T1489'], urls: ['https://attack.mitre.org/techniques/T1485/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { resources: { type: 'array', items: { type: 'string' } }, threshold: { type: 'integer', minimum: 2 }, windowSeconds: { type: 'integer', minimum: 1 } },
    },
    defaults: { resources: ['deployments', 'statefulsets', 'daemonsets', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'secrets', 'configmaps', 'services'], threshold: 10, windowSeconds: 300 },
  },
  init: (o) => new SlidingWindow((o.windowSeconds as number) * 1000, 50_000, o.threshold as number),
  verbs: ['delete', 'deletecollection'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if (!(ctx.options.resources as string[]).includes(res) || !succeeded(e) || e.objectRef?.subresource) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    if (e.verb === 'deletecollection') {
      ctx.report({ message: `${who.username} deleted every ${describeObject(e)} matching the request in one call (deletecollection)` });
      return;
    }
    if (e.verb !== 'delete' || !Number.isFinite(e.time)) return;
    const hit = ctx.state.add(who.username, e.time);
    if (hit.count < (ctx.options.threshold as number) || hit.alerted) return;
    ctx.state.markAlerted(who.username);
    ctx.report({ message: `${who.username} deleted ${hit.count} watched objects (the last: ${describeObject(e)}) within ${ctx.options.windowSeconds as number}s`, details: { windowKey: `${who.username} ${hit.burstStart}`, count: hit.count } });
  },
});
