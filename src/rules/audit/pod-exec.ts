import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, isSystemComponent, resourceOf, subresourceOf } from '../../analyses/audit/event.js';

const CONNECT = new Set(['exec', 'attach', 'portforward']);

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/pod-exec',
    title: 'Exec, attach or port-forward into a pod',
    severity: 'medium',
    scope: 'event',
    rationale: 'An interactive session in a running container runs commands with the pod\'s service account, mounted secrets and network position, outside any deployment review. It is how an attacker with exec rights moves from the API into workloads.',
    remediation: 'Limit pods/exec, pods/attach and pods/portforward to break-glass roles; review the session; prefer ephemeral debug containers with audit.',
    references: { mitre: ['T1609'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/'] },
  },
  resources: ['pods'],
  check(ctx) {
    const e = ctx.event;
    const sub = subresourceOf(e);
    if (resourceOf(e) !== 'pods' || !CONNECT.has(sub)) return;
    if (e.code >= 400) return;
    const who = actor(e);
    ctx.report({ message: `${who.username} opened ${sub} on ${describeObject(e)}`, severity: isSystemComponent(who) ? 'low' : 'medium' });
  },
});
