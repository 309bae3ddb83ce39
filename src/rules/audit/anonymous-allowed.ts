import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { describeObject, isAnonymous, succeeded } from '../../analyses/audit/event.js';

// Paths the API server serves to anonymous clients by design (system:public-info-viewer, discovery).
const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/|$|\?)|^\/\.well-known\/openid-configuration|^\/openid\/v1\/jwks/;

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/anonymous-allowed',
    title: 'Anonymous request allowed',
    severity: 'high',
    scope: 'event',
    rationale: 'An unauthenticated request that the API server allowed means anonymous access is on and something is bound to system:anonymous or system:unauthenticated: anyone who can reach the API server gets those rights.',
    remediation: 'Run the API server with --anonymous-auth=false (or an AuthenticationConfiguration that limits anonymous to health paths), and remove bindings to system:anonymous / system:unauthenticated.',
    references: { mitre: ['T1078.001', 'T1190'], cis: ['1.2.1'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'] },
  },
  check(ctx) {
    const e = ctx.event;
    if (!isAnonymous(e.user) || !succeeded(e)) return;
    if (!e.objectRef && PUBLIC_PATHS.test(e.requestURI)) return;
    ctx.report({ message: `anonymous request was allowed: ${e.verb} ${describeObject(e)} (HTTP ${e.code})`, severity: e.verb === 'get' || e.verb === 'list' || e.verb === 'watch' ? 'high' : 'critical' });
  },
});
