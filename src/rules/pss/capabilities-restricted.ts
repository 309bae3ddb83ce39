// pss/capabilities_restricted: the upstream Pod Security Admission check 'capabilities_restricted' (restricted), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/capabilities_restricted',
    title: 'Capabilities not dropped',
    severity: 'medium',
    rationale:
      "Containers keep the runtime's default capabilities (NET_RAW, CHOWN, SETUID, ...) unless they drop them; the restricted standard requires dropping ALL and adding back at most NET_BIND_SERVICE.",
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back only NET_BIND_SERVICE if needed.',
    references: {pss: 'restricted', cis: ['5.2.8', '5.2.9'], nsa: ['Pod security: hardening container environments'], mitre: ['T1068'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'a process that needs a capability (binding ports below 1024, chown, setuid as root) fails',
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'capabilities_restricted')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
