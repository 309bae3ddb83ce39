// pss/capabilities_baseline: the upstream Pod Security Admission check 'capabilities_baseline' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/capabilities_baseline',
    title: 'Capabilities added beyond the default set',
    severity: 'high',
    rationale:
      "Capabilities outside the runtime's default set (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, NET_RAW, ...) give a container kernel powers that enable container escape, network spoofing or tampering with other processes.",
    remediation: 'Remove the capability from securityContext.capabilities.add; add only capabilities from the default set, and preferably drop ALL.',
    references: {pss: 'baseline', cis: ['5.2.8', '5.2.9'], nsa: ['Pod security: hardening container environments'], mitre: ['T1611', 'T1068'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'capabilities_baseline')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
