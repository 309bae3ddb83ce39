import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { asObject } from '../../model/json.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/configmap-credentials',
    title: 'ConfigMap written with what looks like credentials',
    severity: 'medium',
    scope: 'event',
    rationale: 'ConfigMaps are readable by far more identities than Secrets and are not encrypted at rest; credentials put there leak to anyone who can read config. Only key names are reported, never values.',
    remediation: 'Move the credential into a Secret (or an external secret store) and rotate it.',
    references: { mitre: ['T1552.001', 'T1552.007'], urls: ['https://kubernetes.io/docs/concepts/configuration/secret/'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { markers: { type: 'array', items: { type: 'string' } } } },
    defaults: { markers: ['aws_access_key_id', 'aws-access-key-id', 'aws_s3_access_key_id', 'aws-s3-access-key-id', 'aws_secret_access_key', 'password', 'passphrase', 'private_key', 'BEGIN RSA PRIVATE KEY', 'BEGIN OPENSSH PRIVATE KEY', 'BEGIN PRIVATE KEY'] },
  },
  resources: ['configmaps'],
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'configmaps' || !['create', 'update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const data = asObject(e.requestObject?.data);
    if (!data) return;
    const markers = (ctx.options.markers as string[]).map((m) => m.toLowerCase());
    // Report the keys whose name or content carries a marker; the values themselves never leave this function.
    const keys = Object.entries(data)
      .filter(([k, v]) => markers.some((m) => k.toLowerCase().includes(m) || (typeof v === 'string' && v.toLowerCase().includes(m))))
      .map(([k]) => k);
    if (keys.length === 0) return;
    ctx.report({ message: `${actor(e).username} wrote ${describeObject(e)} whose data keys ${keys.join(', ')} look like credentials`, details: { keys } });
  },
});
