import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, subresourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/nodes-proxy',
    title: 'Kubelet API reached through nodes/proxy',
    severity: 'high',
    scope: 'event',
    rationale: 'nodes/proxy forwards to the kubelet API, which can run commands in any pod on the node (/exec, /run) without the pods/exec audit trail.',
    remediation: 'Restrict nodes/proxy to monitoring agents that need /metrics; find who used it and for which kubelet path.',
    references: { mitre: ['T1609', 'T1611'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy'] },
  },
  resources: ['nodes'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'nodes' || subresourceOf(e) !== 'proxy' || !succeeded(e)) return;
    const who = actor(e);
    const path = e.requestURI.split('?')[0] ?? '';
    const command = /\/proxy\/(exec|run|attach|portForward|cri)\b/.test(path);
    if (isSystemComponent(who) && !command) return;
    ctx.report({ message: `${who.username} used nodes/proxy on ${describeObject(e)}${command ? ' to run commands through the kubelet' : ''}`, severity: command ? 'critical' : 'high' });
  },
});
