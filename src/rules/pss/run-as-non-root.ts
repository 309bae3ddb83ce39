// pss/runAsNonRoot: the upstream Pod Security Admission check 'runAsNonRoot' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/runAsNonRoot',
    title: 'Container may run as root',
    severity: 'medium',
    rationale:
      'A container running as UID 0 is root inside the container: together with any misconfiguration or kernel bug, root is the step from code execution to node compromise.',
    remediation: 'Set securityContext.runAsNonRoot: true on the pod (or every container) and build the image with a non-root USER.',
    references: {pss: 'restricted', cis: ['5.2.7'], nsa: ['Pod security: non-root containers'], mitre: ['T1068'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'the kubelet refuses to start an image whose user is root (safe when runAsUser is set to a non-zero uid)',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'runAsNonRoot')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
