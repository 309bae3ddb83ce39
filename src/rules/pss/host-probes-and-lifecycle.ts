// pss/hostProbesAndHostLifecycle: the upstream Pod Security Admission check 'hostProbesAndHostLifecycle' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/hostProbesAndHostLifecycle',
    title: 'Probe or lifecycle hook targets another host',
    severity: 'high',
    rationale:
      'A host in an httpGet or tcpSocket probe or lifecycle hook makes the kubelet connect to an arbitrary address from the node, which can be abused to reach node-local or internal services (server-side request forgery).',
    remediation: "Remove the host field so the probe or hook targets the pod's own IP.",
    references: {pss: 'baseline', cis: [], nsa: ['Pod security: Pod security enforcement'], mitre: [], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'hostProbesAndHostLifecycle')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
