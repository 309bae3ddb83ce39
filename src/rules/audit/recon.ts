import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, isSystemComponent, resourceOf } from '../../analyses/audit/event.js';
import { SlidingWindow } from '../../analyses/audit/window.js';

const SELF_REVIEWS = new Set(['selfsubjectrulesreviews', 'selfsubjectaccessreviews']);

export default defineEventRule<AuditEvent, { kinds: SlidingWindow; reviews: SlidingWindow }>({
  meta: {
    id: 'audit/recon',
    title: 'Reconnaissance: many resource types listed or permissions probed',
    severity: 'medium',
    scope: 'event',
    rationale: 'After stealing a credential an attacker enumerates: lists many kinds of objects in a short time, or asks the API which permissions it holds (kubectl auth can-i --list). Workloads rarely do either.',
    remediation: 'Identify the client behind the identity and source address; if unexpected, revoke the credential and review what it read.',
    references: { mitre: ['T1613', 'T1069'], urls: ['https://microsoft.github.io/Threat-Matrix-for-Kubernetes/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { distinctResources: { type: 'integer', minimum: 2 }, selfReviews: { type: 'integer', minimum: 1 }, windowSeconds: { type: 'integer', minimum: 1 } },
    },
    defaults: { distinctResources: 15, selfReviews: 10, windowSeconds: 300 },
  },
  init: (o) => ({ kinds: new SlidingWindow((o.windowSeconds as number) * 1000, 20_000, 2_000), reviews: new SlidingWindow((o.windowSeconds as number) * 1000, 20_000, o.selfReviews as number) }),
  verbs: ['list', 'create'],
  check(ctx) {
    const e = ctx.event;
    if (!Number.isFinite(e.time)) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    const res = resourceOf(e);
    const key = who.username;
    if (SELF_REVIEWS.has(res) && e.verb === 'create') {
      const hit = ctx.state.reviews.add(key, e.time);
      if (hit.count >= (ctx.options.selfReviews as number) && !hit.alerted) {
        ctx.state.reviews.markAlerted(key);
        ctx.report({ message: `${key} asked the API server for its own permissions ${hit.count} times within ${ctx.options.windowSeconds as number}s`, details: { windowKey: `reviews ${key} ${hit.burstStart}` } });
      }
      return;
    }
    if (e.verb !== 'list' || !res) return;
    const hit = ctx.state.kinds.add(key, e.time, res, ctx.options.distinctResources as number);
    if (hit.distinct >= (ctx.options.distinctResources as number) && !hit.alerted) {
      ctx.state.kinds.markAlerted(key);
      ctx.report({ message: `${key} listed ${hit.distinct} different resource types within ${ctx.options.windowSeconds as number}s`, details: { windowKey: `kinds ${key} ${hit.burstStart}` } });
    }
  },
});
