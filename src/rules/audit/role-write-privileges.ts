import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded, WRITE_VERBS } from '../../analyses/audit/event.js';
import { writtenRoleRules } from '../../analyses/audit/body.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/role-write-privileges',
    title: 'Role created with write verbs',
    severity: 'low',
    scope: 'event',
    rationale: 'New roles that can create, change or delete objects widen who can alter the cluster; this is a low-severity trail for reviews (Falco: "ClusterRole With Write Privileges Created").',
    remediation: 'Review new roles with write verbs and whom they are bound to.',
    references: { mitre: ['T1098'] },
  },
  resources: ['roles', 'clusterroles'],
  verbs: ['create'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if ((res !== 'roles' && res !== 'clusterroles') || e.verb !== 'create' || !succeeded(e)) return;
    const verbs = new Set<string>();
    for (const r of writtenRoleRules(e)) for (const v of r.verbs) if (WRITE_VERBS.has(v)) verbs.add(v);
    if (verbs.size === 0) return;
    ctx.report({ message: `${actor(e).username} created ${describeObject(e)} with write verbs ${[...verbs].join(', ')}` });
  },
});
