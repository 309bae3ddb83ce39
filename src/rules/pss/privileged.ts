// pss/privileged: the upstream Pod Security Admission check 'privileged' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/privileged',
    title: 'Privileged container',
    severity: 'critical',
    rationale:
      'A privileged container has every capability and access to all host devices, with AppArmor, SELinux and seccomp confinement lifted: it is effectively root on the node, and escaping to the host is trivial.',
    remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capabilities the workload needs.',
    references: {pss: 'baseline', cis: ['5.2.2'], nsa: ['Pod security: non-root containers', 'Pod security: Pod security enforcement'], mitre: ['T1611', 'T1610'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'a container that needs host devices or every capability stops working',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'privileged')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
