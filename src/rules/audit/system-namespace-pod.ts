import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { allImagesTrusted, bodyImages } from '../../analyses/audit/body.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/system-namespace-pod',
    title: 'Pod in kube-system or kube-public from an unexpected image',
    severity: 'high',
    scope: 'event',
    rationale: 'Pods in kube-system run next to the control plane and often with its service accounts. Whoever created them (often a controller acting for a Deployment or DaemonSet), an image outside the known add-on registries there is a foothold.',
    remediation: 'Find the owner of the pod and who created it; remove it unless it is a known add-on; add trusted add-on repositories to the rule options.',
    references: { mitre: ['T1610', 'T1036.005'], urls: ['https://kubernetes.io/docs/concepts/security/multi-tenancy/'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { namespaces: { type: 'array', items: { type: 'string' } }, trustedImages: { type: 'array', items: { type: 'string' } } } },
    defaults: { namespaces: ['kube-system', 'kube-public'], trustedImages: ['registry.k8s.io/', 'k8s.gcr.io/', 'gcr.io/google-containers/', 'gke.gcr.io/', 'mcr.microsoft.com/oss/kubernetes/', '602401143452.dkr.ecr.us-west-2.amazonaws.com/'] },
  },
  resources: ['pods'],
  verbs: ['create'],
  check(ctx) {
    const e = ctx.event;
    const ns = e.objectRef?.namespace;
    if (resourceOf(e) !== 'pods' || e.objectRef?.subresource || e.verb !== 'create' || !succeeded(e) || !ns || !(ctx.options.namespaces as string[]).includes(ns)) return;
    const images = bodyImages(e);
    if (allImagesTrusted(images, ctx.options.trustedImages as string[])) return;
    ctx.report({ message: `${actor(e).username} created ${describeObject(e)}${images.length ? ` running ${images.join(', ')}` : ' (no request body: images unknown)'}`, details: { images } });
  },
});
