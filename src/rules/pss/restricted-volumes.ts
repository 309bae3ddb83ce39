// pss/restrictedVolumes: the upstream Pod Security Admission check 'restrictedVolumes' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/restrictedVolumes',
    title: 'Volume type not allowed by restricted',
    severity: 'medium',
    rationale:
      "Beyond hostPath, network and node-backed volume types (nfs, iscsi, rbd, gitRepo, flexVolume, ...) give pods direct access to storage systems or run node-side code outside the control of the cluster's storage policy.",
    remediation: 'Use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes; move network storage behind a PersistentVolumeClaim.',
    references: {pss: 'restricted', cis: [], nsa: ['Pod security: Pod security enforcement'], mitre: [], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'restrictedVolumes')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
