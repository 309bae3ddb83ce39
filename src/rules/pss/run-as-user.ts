// pss/runAsUser: the upstream Pod Security Admission check 'runAsUser' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/runAsUser',
    title: 'Container runs as UID 0',
    severity: 'medium',
    rationale:
      'runAsUser: 0 explicitly runs the process as root.',
    remediation: 'Set runAsUser to a non-zero UID (or remove it and set runAsNonRoot: true).',
    references: {pss: 'restricted', cis: ['5.2.7'], nsa: ['Pod security: non-root containers'], mitre: ['T1068'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'runAsUser')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
