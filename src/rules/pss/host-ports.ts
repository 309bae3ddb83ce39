// pss/hostPorts: the upstream Pod Security Admission check 'hostPorts' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/hostPorts',
    title: 'Host port used',
    severity: 'high',
    rationale:
      "A hostPort binds the node's network interface, bypassing NetworkPolicy-based isolation of pod IPs and exposing the workload on every address of the node; it also limits scheduling.",
    remediation: 'Remove hostPort (or set it to 0) and expose the workload through a Service.',
    references: {pss: 'baseline', cis: ['5.2.12'], nsa: ['Pod security: Pod security enforcement'], mitre: [], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'hostPorts')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
