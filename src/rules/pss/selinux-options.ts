// pss/seLinuxOptions: the upstream Pod Security Admission check 'seLinuxOptions' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/seLinuxOptions',
    title: 'Custom SELinux options',
    severity: 'high',
    rationale:
      'A custom SELinux user, role or a type other than the container types lets the process escape the SELinux confinement that separates containers from the host and from each other.',
    remediation: 'Remove seLinuxOptions.user and role, and use type container_t, container_init_t, container_kvm_t or container_engine_t (v1.31+), or leave it unset.',
    references: {pss: 'baseline', cis: ['5.6.3'], nsa: ['Pod security: hardening container environments'], mitre: ['T1562.001'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'seLinuxOptions')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
