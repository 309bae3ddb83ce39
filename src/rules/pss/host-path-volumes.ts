// pss/hostPathVolumes: the upstream Pod Security Admission check 'hostPathVolumes' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/hostPathVolumes',
    title: 'hostPath volume',
    severity: 'high',
    rationale:
      "A hostPath volume mounts the node's filesystem into the pod: with the right path (the container runtime socket, /etc, /var/lib/kubelet) it gives node takeover or access to other pods' data.",
    remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
    references: {pss: 'baseline', cis: ['5.2.11'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611', 'T1005'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'hostPathVolumes')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
