import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';

const ADMISSION = new Set(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']);

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/admission-config-changed',
    title: 'Admission webhook or policy changed or deleted',
    severity: 'high',
    scope: 'event',
    rationale: 'Admission control enforces policy on every write. Deleting or loosening a webhook or policy disables those defences; adding a mutating webhook lets its server rewrite every pod.',
    remediation: 'Confirm the change was a reviewed deployment; restore the configuration; restrict write access to admission configuration.',
    references: { mitre: ['T1562.001', 'T1546'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/'] },
  },
  resources: [...ADMISSION],
  verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
  check(ctx) {
    const e = ctx.event;
    if (!ADMISSION.has(resourceOf(e)) || !['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb) || !succeeded(e)) return;
    const who = actor(e);
    const removal = e.verb.startsWith('delete');
    ctx.report({ message: `${who.username} ${removal ? 'deleted' : e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)}`, severity: isSystemComponent(who) ? 'low' : removal ? 'critical' : 'high' });
  },
});
