import { defineEventRule } from '../../engine/rule.js';
import { WORKLOAD_RESOURCES } from '../../analyses/audit/body.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { allImagesTrusted, bodyImages } from '../../analyses/audit/body.js';
import { scannerVerdict } from '../../analyses/audit/detect.js';

/** The scanner rules for host access and privilege: the Pod Security Standards baseline checks plus the runtime socket. */
export const HOST_ACCESS_RULES = [
  'pss/privileged',
  'pss/hostNamespaces',
  'pss/hostPathVolumes',
  'pss/hostPorts',
  'pss/capabilities_baseline',
  'pss/procMount',
  'pss/seLinuxOptions',
  'pss/seccompProfile_baseline',
  'pss/sysctls',
  'pss/appArmorProfile',
  'pss/windowsHostProcess',
  'pss/hostProbesAndHostLifecycle',
  'workload/runtime-socket-mount',
];

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/workload-security',
    title: 'Privileged or host-access workload created',
    severity: 'high',
    scope: 'event',
    rationale: 'A privileged container, host namespaces or a hostPath volume let a pod escape to its node. The audit log shows who created it, even where admission let it through. The pod spec is judged by the same rules as `rampart scan`.',
    remediation: 'Find who created the workload and why; enforce Pod Security Admission baseline (or restricted) on the namespace so such pods are rejected.',
    references: { mitre: ['T1610', 'T1611'], pss: 'baseline', urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'] },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        scannerRules: { type: 'array', items: { type: 'string' }, description: 'Scanner rule ids whose findings on a created pod spec raise this alert.' },
        trustedImages: { type: 'array', items: { type: 'string' }, description: 'Image repositories (nginx, registry.k8s.io/) whose pods are exempt when every container uses one.' },
      },
    },
    defaults: { scannerRules: HOST_ACCESS_RULES, trustedImages: [] },
  },
  resources: WORKLOAD_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const v = scannerVerdict(ctx.event, ctx.workloadFindings(), ctx.options.scannerRules as string[]);
    if (!v || allImagesTrusted(bodyImages(ctx.event), ctx.options.trustedImages as string[])) return;
    ctx.report({ message: v.message, severity: v.severity, details: { scannerRules: v.rules, findings: v.findings.map((f) => ({ ruleId: f.ruleId, path: f.path })) } });
  },
});
