import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor } from '../../analyses/audit/event.js';
import { SlidingWindow } from '../../analyses/audit/window.js';

export default defineEventRule<AuditEvent, SlidingWindow>({
  meta: {
    id: 'audit/auth-failure-burst',
    title: 'Burst of failed authentication or authorization',
    severity: 'medium',
    scope: 'event',
    rationale: 'Many 401s from one address are credential guessing or a stolen, expired token being tried; many 403s from one identity are an attacker probing what a stolen credential may do.',
    remediation: 'Identify the client behind the user or address; revoke the credential if it is not expected; block the address at the network edge.',
    references: { mitre: ['T1110', 'T1613'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { threshold: { type: 'integer', minimum: 2 }, windowSeconds: { type: 'integer', minimum: 1 } },
    },
    defaults: { threshold: 20, windowSeconds: 60 },
  },
  // Only the count is compared with the threshold: a key needs no more than `threshold` times.
  init: (o) => new SlidingWindow((o.windowSeconds as number) * 1000, 50_000, o.threshold as number),
  check(ctx) {
    const e = ctx.event;
    if (e.code !== 401 && e.code !== 403) return;
    if (!Number.isFinite(e.time)) return;
    const threshold = ctx.options.threshold as number;
    // 401s have no trustworthy user (authentication failed): count them per source address.
    const keys = e.code === 401 ? e.sourceIPs.slice(0, 1).map((ip) => `ip ${ip}`) : [`user ${actor(e).username}`, ...e.sourceIPs.slice(0, 1).map((ip) => `ip ${ip}`)];
    for (const key of keys) {
      const hit = ctx.state.add(`${e.code} ${key}`, e.time);
      if (hit.count < threshold || hit.alerted) continue;
      ctx.state.markAlerted(`${e.code} ${key}`);
      ctx.report({
        message: `${hit.count} requests answered ${e.code} for ${key} within ${ctx.options.windowSeconds as number}s (threshold ${threshold})`,
        severity: e.code === 401 ? 'high' : 'medium',
        details: { windowKey: `${e.code} ${key} ${hit.burstStart}`, count: hit.count },
      });
    }
  },
});
