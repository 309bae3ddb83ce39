import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isServiceAccount, isSystemComponent } from '../../analyses/audit/event.js';

const LOWERED = new WeakMap<string[], string[]>();
/** The configured prefixes in lower case, computed once per options object (this runs on every service-account request). */
function lowered(prefixes: string[]): string[] {
  let l = LOWERED.get(prefixes);
  if (!l) LOWERED.set(prefixes, (l = prefixes.map((p) => p.toLowerCase())));
  return l;
}

export default defineEventRule<AuditEvent>({
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
  check(ctx) {
    const e = ctx.event;
    const who = actor(e);
    if (!isServiceAccount(who.username) || isSystemComponent(who)) return;
    const ua = e.userAgent;
    const lower = ua.toLowerCase();
    const tool = lowered(ctx.options.userAgents as string[]).find((p) => lower.startsWith(p));
    if (!tool) return;
    const sa = who.username.slice('system:serviceaccount:'.length);
    if ((ctx.options.allowedServiceAccounts as string[]).includes(sa)) return;
    ctx.report({ message: `service account ${sa} used ${ua.split(' ')[0]} to ${e.verb} ${describeObject(e)} from ${e.sourceIPs[0] ?? 'an unknown address'}` });
  },
});
