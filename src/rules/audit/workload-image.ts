import { defineEventRule } from '../../engine/rule.js';
import { WORKLOAD_RESOURCES } from '../../analyses/audit/body.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { scannerVerdict } from '../../analyses/audit/detect.js';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/workload-image',
    title: 'Workload created from a disallowed image',
    severity: 'high',
    scope: 'event',
    rationale: 'A workload whose image comes from outside the registries you trust runs code nobody scanned or signed. The image is judged by the scanner\'s image rules with the same options (configure image/registry-allowlist in .rampart.yaml).',
    remediation: 'Find who created the workload; mirror the image into an allowed registry; enforce the allowlist at admission.',
    references: { mitre: ['T1525', 'T1204.003'], urls: ['https://kubernetes.io/docs/concepts/containers/images/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { scannerRules: { type: 'array', items: { type: 'string' } } },
    },
    defaults: { scannerRules: ['image/registry-allowlist'] },
  },
  resources: WORKLOAD_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const v = scannerVerdict(ctx.event, ctx.workloadFindings(), ctx.options.scannerRules as string[]);
    if (v) ctx.report({ message: v.message, severity: v.severity, details: { scannerRules: v.rules } });
  },
});
