import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent, EventUser } from '../../analyses/audit/event.js';
import { actor, describeObject, subresourceOf, succeeded } from '../../analyses/audit/event.js';
import { csrFacts } from '../../analyses/audit/csr.js';

/** Whether `u` may ask for a certificate with common name `cn` in the node group: a bootstrap token (joining nodes) or that very node (renewal). */
function mayRequestNodeCert(u: EventUser, cn: string): boolean {
  if (u.groups.includes('system:bootstrappers') || u.username.startsWith('system:bootstrap:')) return true;
  return (u.groups.includes('system:nodes') || u.username.startsWith('system:node:')) && u.username === cn;
}

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/csr-privileged-subject',
    title: 'Certificate signing request for a privileged identity',
    severity: 'critical',
    scope: 'event',
    rationale:
      'A client certificate\'s subject is its identity: CN the user, O the groups. A CSR whose subject names system:masters asks for a certificate that bypasses RBAC entirely and cannot be revoked short of rotating the cluster CA; one naming a node or a control-plane component, requested by someone else, impersonates it. The subject is decoded from the PEM request the event carries.',
    remediation:
      'Deny the CSR (kubectl certificate deny); find who created it; if it was approved and issued, rotate the client CA. Restrict create on certificatesigningrequests and approve on signers to the identities that need them.',
    references: { mitre: ['T1649', 'T1098', 'T1078'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { groups: { type: 'array', items: { type: 'string' }, description: 'Groups (O) whose request is critical.' }, users: { type: 'array', items: { type: 'string' }, description: 'User names (CN) whose request by another identity is high.' } },
    },
    defaults: { groups: ['system:masters'], users: ['system:admin', 'kubernetes-admin', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-proxy', 'system:apiserver'] },
  },
  resources: ['certificatesigningrequests'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    const sub = subresourceOf(e);
    // Judged when requested (create) and when approved (the approval body carries the whole CSR).
    const approval = sub === 'approval';
    if ((e.verb === 'create' ? sub !== '' : !approval) || !succeeded(e)) return;
    const facts = csrFacts([e.requestObject, e.responseObject]);
    if (!facts) return; // audit level Metadata: counted by the detector (stats.csrsWithoutBody)
    const who = actor(e);
    const did = approval ? 'approved' : 'requested';
    const signer = facts.signerName || 'the legacy signer';
    if ('error' in facts.subject) {
      ctx.report({ message: `${who.username} ${did} ${describeObject(e)} whose request could not be read (${facts.subject.error}); its subject was not checked`, severity: 'medium' });
      return;
    }
    const { commonName: cn = '', organizations } = facts.subject;
    const subject = `CN=${cn}${organizations.map((o) => `, O=${o}`).join('')}`;
    const groups = organizations.filter((o) => (ctx.options.groups as string[]).includes(o));
    if (groups.length) {
      ctx.report({ message: `${who.username} ${did} ${describeObject(e)} for a certificate in ${groups.join(', ')} (${subject}, signer ${signer}): a credential that bypasses RBAC`, severity: 'critical' });
      return;
    }
    // A node's or component's name asked for by someone else (nodes renew their own; bootstrap tokens request node certs).
    const nodeSubject = cn.startsWith('system:node:') || organizations.includes('system:nodes');
    if (nodeSubject && !approval && !mayRequestNodeCert(who, cn)) {
      ctx.report({ message: `${who.username} requested ${describeObject(e)} for a node identity (${subject}, signer ${signer}) without being that node or a bootstrap token`, severity: 'high' });
      return;
    }
    if ((ctx.options.users as string[]).includes(cn) && who.username !== cn)
      ctx.report({ message: `${who.username} ${did} ${describeObject(e)} for ${cn} (${subject}, signer ${signer}), a privileged identity`, severity: 'high' });
  },
});
