import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isHuman, isServiceAccount, isSystemComponent } from '../../analyses/audit/event.js';
import { RecentKeys } from '../../analyses/audit/window.js';
import { parseCidr, parseIpv4, type IpInterval } from '../../analyses/netpol/ip.js';

interface State {
  /** User agent → the configured tool prefix it starts with ('' for none). Clients are few, so this is small; capped anyway. */
  agents: Map<string, string>;
  /** The pod networks (IPv4) from the options. */
  podNets: IpInterval[];
  /** Person + address pairs already reported (once each). */
  reported: RecentKeys<true>;
}
const MAX_CACHED_AGENTS = 10_000;

export default defineEventRule<AuditEvent, State>({
  meta: {
    id: 'audit/kubectl-in-pod',
    title: 'kubectl or an HTTP tool used with a service-account token',
    severity: 'high',
    scope: 'event',
    rationale: 'Workloads talk to the API through client libraries. A service account whose requests come from kubectl, curl or python-requests means someone is at a shell inside a pod (or has exfiltrated its token) and is exploring the cluster with it. With the pod networks configured, a person\'s credentials used from a pod address are reported too: a kubeconfig copied into a compromised pod.',
    remediation: 'Find the pod behind the service account and source address; inspect it for compromise; rotate the token; remove unneeded API rights.',
    references: { mitre: ['T1609', 'T1613', 'T1528'], urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        userAgents: { type: 'array', items: { type: 'string' } },
        allowedServiceAccounts: { type: 'array', items: { type: 'string' } },
        podCIDRs: { type: 'array', items: { type: 'string' }, description: 'The cluster\'s pod networks (IPv4 CIDRs, e.g. 10.244.0.0/16): a person\'s request from one of them is reported.' },
      },
    },
    defaults: { userAgents: ['kubectl/', 'curl/', 'python-requests/', 'Wget/', 'python-urllib', 'HTTPie/', 'kubectl.exe/'], allowedServiceAccounts: [], podCIDRs: [] },
  },
  init: (o) => ({
    agents: new Map(),
    podNets: (o.podCIDRs as string[]).flatMap((c) => {
      const p = parseCidr(c);
      return p?.family === 4 ? [p.interval] : [];
    }),
    reported: new RecentKeys(10_000),
  }),
  check(ctx) {
    const e = ctx.event;
    const who = actor(e);
    if (ctx.state.podNets.length && isHuman(who)) {
      const ip = e.sourceIPs[0] ?? '';
      const n = parseIpv4(ip);
      if (n !== undefined && ctx.state.podNets.some((r) => r.lo <= n && n <= r.hi) && ctx.state.reported.getOrAdd(`${who.username} ${ip}`, true) === undefined)
        ctx.report({ message: `${who.username}, a person's identity, made a request from pod address ${ip} (${e.verb} ${describeObject(e)}): their credentials are in use inside a pod`, details: { windowKey: `${who.username} ${ip}` } });
      return;
    }
    if (!isServiceAccount(who.username) || isSystemComponent(who)) return;
    const ua = e.userAgent;
    let tool = ctx.state.agents.get(ua);
    if (tool === undefined) {
      const lower = ua.toLowerCase();
      tool = (ctx.options.userAgents as string[]).find((p) => lower.startsWith(p.toLowerCase())) ?? '';
      if (ctx.state.agents.size >= MAX_CACHED_AGENTS) ctx.state.agents.clear();
      ctx.state.agents.set(ua, tool);
    }
    if (!tool) return;
    const sa = who.username.slice('system:serviceaccount:'.length);
    if ((ctx.options.allowedServiceAccounts as string[]).includes(sa)) return;
    ctx.report({ message: `service account ${sa} used ${ua.split(' ')[0]} to ${e.verb} ${describeObject(e)} from ${e.sourceIPs[0] ?? 'an unknown address'}` });
  },
});
