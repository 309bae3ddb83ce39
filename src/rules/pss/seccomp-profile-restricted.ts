// pss/seccompProfile_restricted: the upstream Pod Security Admission check 'seccompProfile_restricted' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/seccompProfile_restricted',
    title: 'Seccomp profile not set',
    severity: 'medium',
    rationale:
      'Without a seccomp profile the container runs unconfined on most runtimes, exposing every system call to kernel exploits.',
    remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod, or on every container.',
    references: {pss: 'restricted', cis: ['5.6.2'], nsa: ['Pod security: hardening container environments'], mitre: ['T1611'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'system calls outside the runtime default profile fail',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'seccompProfile_restricted')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
