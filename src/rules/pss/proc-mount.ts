// pss/procMount: the upstream Pod Security Admission check 'procMount' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/procMount',
    title: 'Unmasked /proc mount',
    severity: 'high',
    rationale:
      'procMount: Unmasked exposes /proc paths the runtime normally masks (kernel keys, sysrq-trigger, ...) that can leak host information or be used to escape.',
    remediation: 'Remove securityContext.procMount or set it to Default (from v1.35 baseline allows other values only for pods with hostUsers: false).',
    references: {pss: 'baseline', cis: ['5.6.3'], nsa: ['Pod security: hardening container environments'], mitre: ['T1611'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'tools that need the unmasked /proc (nested container runtimes) fail',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'procMount')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
