// pss/windowsHostProcess: the upstream Pod Security Admission check 'windowsHostProcess' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/windowsHostProcess',
    title: 'Windows HostProcess container',
    severity: 'critical',
    rationale:
      'A Windows HostProcess container runs directly on the node as a host process with access to the host network and filesystem: it is privileged access to the Windows node.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) on the pod and its containers.',
    references: {pss: 'baseline', cis: ['5.2.10'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'windowsHostProcess')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
