import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, subresourceOf, succeeded } from '../../analyses/audit/event.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/ephemeral-container',
    title: 'Ephemeral container added to a pod',
    severity: 'high',
    scope: 'event',
    rationale: 'An ephemeral container joins a running pod\'s namespaces with an image and command of the requester\'s choosing; it is a way to run arbitrary code next to a workload (and its secrets) without changing its controller.',
    remediation: 'Restrict pods/ephemeralcontainers to break-glass debug roles and review who added this container and why.',
    references: { mitre: ['T1609'], urls: ['https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/'] },
  },
  resources: ['pods'],
  verbs: ['update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'pods' || subresourceOf(e) !== 'ephemeralcontainers') return;
    if (!['update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    ctx.report({ message: `${actor(e).username} added an ephemeral container to ${describeObject(e)}` });
  },
});
