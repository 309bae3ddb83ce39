import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { bodyImages } from '../../analyses/audit/body.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/cronjob-changed',
    title: 'CronJob created or changed',
    severity: 'low',
    scope: 'event',
    rationale: 'A CronJob runs its pod again and again on a schedule: a quiet way to persist. Privileged ones are also reported by audit/workload-security; this trail names every new schedule and its images.',
    remediation: 'Confirm the CronJob comes from your deployment pipeline; delete unknown ones and review their images.',
    references: { mitre: ['T1053.007'], urls: ['https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/'] },
  },
  resources: ['cronjobs'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'cronjobs' || e.objectRef?.subresource || !['create', 'update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    const images = bodyImages(e);
    ctx.report({ message: `${who.username} ${e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)}${images.length ? ` running ${images.join(', ')}` : ''}`, details: { images } });
  },
});
