import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { asArray, asObject, asString } from '../../model/json.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/exposed-service',
    title: 'NodePort, LoadBalancer or externalIPs Service written',
    severity: 'medium',
    scope: 'event',
    rationale: 'NodePort and LoadBalancer Services open a workload on every node or to the internet; externalIPs can intercept other traffic (CVE-2020-8554). Created outside review they are an exposure or a backdoor.',
    remediation: 'Confirm the exposure is intended; use an Ingress or an internal load balancer with source ranges; block externalIPs at admission.',
    references: { mitre: ['T1133'], urls: ['https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'] },
  },
  resources: ['services'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'services' || e.objectRef?.subresource || !['create', 'update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const spec = asObject(e.requestObject?.spec) ?? asObject(e.responseObject?.spec);
    if (!spec) return;
    const type = asString(spec.type) ?? 'ClusterIP';
    const externalIPs = asArray(spec.externalIPs).length;
    if (type !== 'NodePort' && type !== 'LoadBalancer' && !externalIPs) return;
    const what = [type !== 'ClusterIP' ? `type ${type}` : '', externalIPs ? `${externalIPs} externalIPs` : ''].filter(Boolean).join(' and ');
    ctx.report({ message: `${actor(e).username} ${e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)} with ${what}`, severity: externalIPs || type === 'LoadBalancer' ? 'high' : 'medium', details: { type } });
  },
});
