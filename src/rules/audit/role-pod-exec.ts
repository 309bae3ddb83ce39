import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { writtenRoleRules } from '../../analyses/audit/body.js';

const CONNECT = ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy'];

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/role-pod-exec',
    title: 'Role written that grants exec, attach or port-forward',
    severity: 'medium',
    scope: 'event',
    rationale: 'A role with pods/exec (or attach, portforward, nodes/proxy) lets its holders run commands in any selected pod and read its secrets; creating one prepares lateral movement.',
    remediation: 'Confirm the role is for break-glass debugging and bound to few people; prefer kubectl debug with audit.',
    references: { mitre: ['T1098', 'T1609'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#pods-exec'] },
  },
  resources: ['roles', 'clusterroles'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if ((res !== 'roles' && res !== 'clusterroles') || !['create', 'update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const hits = new Set<string>();
    for (const r of writtenRoleRules(e)) for (const c of CONNECT) if (r.resources.includes(c)) hits.add(c);
    if (hits.size === 0) return;
    ctx.report({ message: `${actor(e).username} wrote ${describeObject(e)} granting ${[...hits].join(', ')}` });
  },
});
