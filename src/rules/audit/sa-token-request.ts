import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, subresourceOf, succeeded } from '../../analyses/audit/event.js';
import { asString } from '../../model/json.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/sa-token-request',
    title: 'Service account token requested',
    severity: 'medium',
    scope: 'event',
    rationale: 'Kubelets request tokens for the pods they run. Anyone else minting a token (TokenRequest, or a legacy service-account-token Secret) gets a credential that acts as that service account from anywhere.',
    remediation: 'Find who requested the token and for which account; restrict serviceaccounts/token create; avoid long-lived token Secrets.',
    references: { mitre: ['T1528'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/'] },
  },
  resources: ['serviceaccounts', 'secrets'],
  verbs: ['create'],
  check(ctx) {
    const e = ctx.event;
    if (e.verb !== 'create' || !succeeded(e)) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    if (resourceOf(e) === 'serviceaccounts' && subresourceOf(e) === 'token') {
      ctx.report({ message: `${who.username} requested a token for ${describeObject(e)}` });
      return;
    }
    if (resourceOf(e) === 'secrets' && !subresourceOf(e) && asString(e.requestObject?.type) === 'kubernetes.io/service-account-token') {
      ctx.report({ message: `${who.username} created a long-lived service-account-token Secret ${describeObject(e)}`, severity: 'high' });
    }
  },
});
