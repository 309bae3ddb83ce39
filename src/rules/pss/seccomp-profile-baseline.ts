// pss/seccompProfile_baseline: the upstream Pod Security Admission check 'seccompProfile_baseline' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/seccompProfile_baseline',
    title: 'Seccomp disabled',
    severity: 'high',
    rationale:
      'An Unconfined seccomp profile lets the container call every system call, including those used in kernel exploits for container escape.',
    remediation: 'Set seccompProfile.type to RuntimeDefault or Localhost (and remove seccomp.security.alpha.kubernetes.io annotations other than runtime/default, docker/default or localhost/*).',
    references: {pss: 'baseline', cis: ['5.6.2'], nsa: ['Pod security: hardening container environments'], mitre: ['T1562.001', 'T1611'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'seccompProfile_baseline')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
