import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { RecentKeys, SlidingWindow } from '../../analyses/audit/window.js';

const SELF_REVIEWS = new Set(['selfsubjectrulesreviews', 'selfsubjectaccessreviews']);

export default defineEventRule<AuditEvent, { kinds: SlidingWindow; reviews: SlidingWindow; crossNamespace: RecentKeys<true> }>({
  meta: {
    id: 'audit/recon',
    title: 'Reconnaissance: many resource types listed, permissions probed, configuration read across namespaces',
    severity: 'medium',
    scope: 'event',
    rationale: 'After stealing a credential an attacker enumerates: lists many kinds of objects in a short time, asks the API which permissions it holds (kubectl auth can-i --list), or lists ConfigMaps across all namespaces looking for credentials. Workloads rarely do any of it. (Secrets across namespaces are audit/secret-read.)',
    remediation: 'Identify the client behind the identity and source address; if unexpected, revoke the credential and review what it read.',
    references: { mitre: ['T1613', 'T1069'], urls: ['https://microsoft.github.io/Threat-Matrix-for-Kubernetes/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { distinctResources: { type: 'integer', minimum: 2 }, selfReviews: { type: 'integer', minimum: 1 }, windowSeconds: { type: 'integer', minimum: 1 } },
    },
    defaults: { distinctResources: 15, selfReviews: 10, windowSeconds: 300 },
  },
  init: (o) => ({ kinds: new SlidingWindow((o.windowSeconds as number) * 1000, 20_000, o.distinctResources as number), reviews: new SlidingWindow((o.windowSeconds as number) * 1000, 20_000, o.selfReviews as number), crossNamespace: new RecentKeys(10_000) }),
  verbs: ['list', 'watch', 'create'],
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
    if (res === 'configmaps' && !e.objectRef?.namespace && !e.objectRef?.subresource && e.verb !== 'create' && succeeded(e)) {
      // Once per identity (bounded): controllers that watch ConfigMaps cluster-wide show up once, to be allowed by disabling or reviewing.
      if (ctx.state.crossNamespace.getOrAdd(key, true) === undefined)
        ctx.report({ message: `${key} ${e.verb === 'watch' ? 'watched' : 'listed'} configmaps across all namespaces (first time in this log)`, severity: 'low', details: { windowKey: `configmaps ${key}` } });
    }
    if (e.verb !== 'list' || !res) return;
    const hit = ctx.state.kinds.add(key, e.time, res);
    if (hit.distinct >= (ctx.options.distinctResources as number) && !hit.alerted) {
      ctx.state.kinds.markAlerted(key);
      ctx.report({ message: `${key} listed ${hit.distinct} different resource types within ${ctx.options.windowSeconds as number}s`, details: { windowKey: `kinds ${key} ${hit.burstStart}` } });
    }
  },
});
