import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { describeObject, isSystemComponent } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/impersonation',
    title: 'Request made by impersonating another identity',
    severity: 'medium',
    scope: 'event',
    rationale: 'Impersonation lets the requester act with another identity\'s rights; towards system:masters, a node or a controller it is privilege escalation, and it muddies the audit trail.',
    remediation: 'Confirm the impersonation is an approved tool (an auth proxy, kubectl --as by an admin); restrict the impersonate verb.',
    references: { mitre: ['T1134', 'T1078'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation'] },
  },
  check(ctx) {
    const e = ctx.event;
    const imp = e.impersonatedUser;
    if (!imp) return;
    const powerful = imp.groups.includes('system:masters') || isSystemComponent(imp);
    ctx.report({
      message: `${e.user.username} impersonated ${imp.username || '(no user)'}${imp.groups.length ? ` (groups ${imp.groups.join(', ')})` : ''} to ${e.verb} ${describeObject(e)} (HTTP ${e.code})`,
      severity: powerful ? 'high' : 'medium',
    });
  },
});
