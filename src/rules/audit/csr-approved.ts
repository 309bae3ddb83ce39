import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, subresourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/csr-approved',
    title: 'Certificate signing request approved',
    severity: 'high',
    scope: 'event',
    rationale: 'An approved CSR becomes a client certificate the API server trusts; approving one for a privileged name or group (system:masters, a node) mints a long-lived credential that RBAC changes do not revoke.',
    remediation: 'Check the CSR\'s subject and signer; revoke by rotating the CA if it was not expected; restrict certificatesigningrequests/approval.',
    references: { mitre: ['T1649'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/'] },
  },
  resources: ['certificatesigningrequests'],
  verbs: ['update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'certificatesigningrequests' || subresourceOf(e) !== 'approval' || !['update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const who = actor(e);
    ctx.report({ message: `${who.username} approved ${describeObject(e)}`, severity: isSystemComponent(who) ? 'low' : 'high' });
  },
});
