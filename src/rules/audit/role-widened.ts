import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { writtenRoleRules } from '../../analyses/audit/body.js';

const ESCALATING = ['escalate', 'bind', 'impersonate'];

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/role-widened',
    title: 'Role written with wildcards or escalate/bind/impersonate',
    severity: 'high',
    scope: 'event',
    rationale: 'escalate, bind and impersonate let a holder grant itself any permission; a * in verbs or resources grants today\'s and tomorrow\'s APIs. Writing such a role is a privilege-escalation or persistence step.',
    remediation: 'Review the role change; list explicit verbs and resources; reserve escalate/bind/impersonate for the few controllers that need them.',
    references: { mitre: ['T1098'], cis: ['5.1.3', '5.1.8'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
  },
  resources: ['roles', 'clusterroles'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if ((res !== 'roles' && res !== 'clusterroles') || !['create', 'update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const found = new Set<string>();
    for (const r of writtenRoleRules(e)) {
      if (r.verbs.includes('*')) found.add('* verbs');
      if (r.resources.includes('*')) found.add('* resources');
      if (r.apiGroups.includes('*') && r.resources.length) found.add('* apiGroups');
      for (const v of ESCALATING) if (r.verbs.includes(v)) found.add(v);
    }
    if (found.size === 0) return;
    const escalating = ESCALATING.some((v) => found.has(v));
    ctx.report({ message: `${actor(e).username} wrote ${describeObject(e)} granting ${[...found].join(', ')}`, severity: escalating || found.has('* verbs') ? 'critical' : 'high', details: { grants: [...found] } });
  },
});
