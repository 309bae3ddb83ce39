// pss/allowPrivilegeEscalation: the upstream Pod Security Admission check 'allowPrivilegeEscalation' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/allowPrivilegeEscalation',
    title: 'Privilege escalation allowed',
    severity: 'medium',
    rationale:
      'Unless allowPrivilegeEscalation is false, a process can gain privileges through setuid/setgid binaries or file capabilities (no_new_privs is not set).',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    references: {pss: 'restricted', cis: ['5.2.6'], nsa: ['Pod security: non-root containers'], mitre: ['T1548.001', 'T1068'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'setuid programs (sudo, su, some ping builds) can no longer gain privileges',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'allowPrivilegeEscalation')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
