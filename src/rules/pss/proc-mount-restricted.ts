// pss/procMount_restricted: the upstream Pod Security Admission check 'procMount_restricted' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/procMount_restricted',
    title: 'Unmasked /proc mount in a user namespace',
    severity: 'medium',
    rationale:
      'The restricted standard keeps the default /proc masks even for pods in a user namespace, where baseline (v1.35+) allows Unmasked.',
    remediation: 'Remove securityContext.procMount or set it to Default.',
    references: {pss: 'restricted', cis: ['5.6.3'], nsa: ['Pod security: hardening container environments'], mitre: ['T1611'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'tools that need the unmasked /proc (nested container runtimes) fail',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'procMount_restricted')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
