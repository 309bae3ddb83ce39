import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/user-not-allowed',
    title: 'Request by a user outside the allowed list',
    severity: 'medium',
    scope: 'event',
    defaultOff: true,
    rationale: 'Where every human and tool identity is known, any other non-system user name is a stolen or forged credential or an unapproved client.',
    remediation: 'Identify the user; add it to allowedUsers if legitimate, otherwise revoke its credential.',
    references: { mitre: ['T1078'] },
    optionsSchema: { type: 'object', additionalProperties: false, required: ['allowedUsers'], properties: { allowedUsers: { type: 'array', items: { type: 'string' } } } },
  },
  check(ctx) {
    const allowed = ctx.options.allowedUsers as string[] | undefined;
    if (!allowed) return;
    const e = ctx.event;
    const who = actor(e).username;
    if (who.startsWith('system:') || allowed.includes(who)) return;
    ctx.report({ message: `${who} (not in the allowed users) did ${e.verb} on ${describeObject(e)} (HTTP ${e.code})` });
  },
});
