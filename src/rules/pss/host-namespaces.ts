// pss/hostNamespaces: the upstream Pod Security Admission check 'hostNamespaces' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/hostNamespaces',
    title: 'Host namespaces shared',
    severity: 'high',
    rationale:
      'hostNetwork lets the pod sniff and bind node traffic and reach node-local services; hostPID lets it see and signal host processes (and read their environment); hostIPC exposes host shared memory. Each breaks the isolation between the pod and the node.',
    remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
    references: {pss: 'baseline', cis: ['5.2.3', '5.2.4', '5.2.5'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611', 'T1040'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'node agents that need the host network, PID or IPC namespace (CNI, monitoring) stop working',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'hostNamespaces')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
