import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, succeeded } from '../../analyses/audit/event.js';
import { worstSeverity } from '../../analyses/audit/detect.js';

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
  check(ctx) {
    const e = ctx.event;
    if (!['create', 'update', 'patch'].includes(e.verb) || !succeeded(e) || e.objectRef?.subresource) return;
    const wanted = new Set(ctx.options.scannerRules as string[]);
    const findings = ctx.workloadFindings().filter((f) => wanted.has(f.ruleId));
    if (findings.length === 0) return;
    ctx.report({
      message: `${actor(e).username} ${e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)}: ${findings.map((f) => `${f.ruleId}: ${f.message}`).join('; ')}`,
      severity: worstSeverity(findings) ?? 'high',
      details: { scannerRules: [...new Set(findings.map((f) => f.ruleId))] },
    });
  },
});
