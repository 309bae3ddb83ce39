import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isHuman, isServiceAccount, isSystemComponent, resourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/secret-read',
    title: 'Secrets read by a person or an unexpected service account',
    severity: 'medium',
    scope: 'event',
    rationale: 'Secrets hold tokens, keys and passwords. Controllers read the few they need; a person reading them, a service account outside the expected set, or a list across all namespaces is credential access.',
    remediation: 'Check why the identity read the secret; remove get/list/watch on secrets from roles that do not need it; add expected service accounts to the rule\'s allowlist.',
    references: { mitre: ['T1552.007'], cis: ['5.1.2'], urls: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedServiceAccounts: { type: 'array', items: { type: 'string' }, description: 'Service accounts allowed to read secrets, as namespace:name (* allowed for either part).' },
        allowOwnNamespace: { type: 'boolean', description: 'A service account reading one named secret of its own namespace is expected (its own credentials); lists and other namespaces still alert.' },
      },
    },
    defaults: { allowedServiceAccounts: [], allowOwnNamespace: true },
  },
  resources: ['secrets'],
  verbs: ['get', 'list', 'watch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'secrets' || e.objectRef?.subresource || !['get', 'list', 'watch'].includes(e.verb) || !succeeded(e)) return;
    const who = actor(e);
    if (isSystemComponent(who)) return;
    if (isServiceAccount(who.username)) {
      const id = who.username.slice('system:serviceaccount:'.length);
      const [ns, name] = id.split(':');
      const allowed = (ctx.options.allowedServiceAccounts as string[]).some((a) => {
        const [ans, aname] = a.split(':');
        return (ans === '*' || ans === ns) && (aname === '*' || aname === name);
      });
      if (allowed) return;
      if (ctx.options.allowOwnNamespace && e.verb === 'get' && e.objectRef?.name && e.objectRef.namespace === ns) return;
    }
    const allNamespaces = !e.objectRef?.namespace && e.verb !== 'get';
    const kind = isHuman(who) ? 'person' : isServiceAccount(who.username) ? 'service account outside the allowlist' : 'identity';
    ctx.report({
      message: `${who.username} (${kind}) ${e.verb === 'get' ? 'read' : e.verb === 'list' ? 'listed' : 'watched'} ${describeObject(e)}${allNamespaces ? ' across all namespaces' : ''}`,
      severity: allNamespaces ? 'high' : 'medium',
    });
  },
});
