// pss/sysctls: the upstream Pod Security Admission check 'sysctls' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/sysctls',
    title: 'Unsafe sysctl',
    severity: 'high',
    rationale:
      'Sysctls outside the namespaced safe set change kernel behaviour for the whole node, can disable security mechanisms and affect other pods.',
    remediation: 'Remove the sysctl from spec.securityContext.sysctls or use only the safe set allowed at the policy version.',
    references: {pss: 'baseline', cis: ['5.6.3'], nsa: ['Pod security: hardening container environments'], mitre: ['T1562.001'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'sysctls')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
