import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isServiceAccount, isSystemComponent } from '../../analyses/audit/event.js';

/** User agent → the configured tool prefix it starts with ('' for none). Clients are few, so this is small; capped anyway. */
type State = Map<string, string>;
const MAX_CACHED_AGENTS = 10_000;

export default defineEventRule<AuditEvent, State>({
  meta: {
    id: 'audit/kubectl-in-pod',
    title: 'kubectl or an HTTP tool used with a service-account token',
    severity: 'high',
    scope: 'event',
    rationale: 'Workloads talk to the API through client libraries. A service account whose requests come from kubectl, curl or python-requests means someone is at a shell inside a pod (or has exfiltrated its token) and is exploring the cluster with it.',
    remediation: 'Find the pod behind the service account and source address; inspect it for compromise; rotate the token; remove unneeded API rights.',
    references: { mitre: ['T1609', 'T1613', 'T1528'], urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { userAgents: { type: 'array', items: { type: 'string' } }, allowedServiceAccounts: { type: 'array', items: { type: 'string' } } } },
    defaults: { userAgents: ['kubectl/', 'curl/', 'python-requests/', 'Wget/', 'python-urllib', 'HTTPie/', 'kubectl.exe/'], allowedServiceAccounts: [] },
  },
  init: () => new Map(),
  check(ctx) {
    const e = ctx.event;
    const who = actor(e);
    if (!isServiceAccount(who.username) || isSystemComponent(who)) return;
    const ua = e.userAgent;
    let tool = ctx.state.get(ua);
    if (tool === undefined) {
      const lower = ua.toLowerCase();
      tool = (ctx.options.userAgents as string[]).find((p) => lower.startsWith(p.toLowerCase())) ?? '';
      if (ctx.state.size >= MAX_CACHED_AGENTS) ctx.state.clear();
      ctx.state.set(ua, tool);
    }
    if (!tool) return;
    const sa = who.username.slice('system:serviceaccount:'.length);
    if ((ctx.options.allowedServiceAccounts as string[]).includes(sa)) return;
    ctx.report({ message: `service account ${sa} used ${ua.split(' ')[0]} to ${e.verb} ${describeObject(e)} from ${e.sourceIPs[0] ?? 'an unknown address'}` });
  },
});
