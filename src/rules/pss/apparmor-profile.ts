// pss/appArmorProfile: the upstream Pod Security Admission check 'appArmorProfile' (baseline), pointing at each offending field.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { offencesForCheck } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/appArmorProfile',
    title: 'AppArmor profile overridden',
    severity: 'high',
    rationale:
      'Setting the AppArmor profile to unconfined (or any non-default type) removes the mandatory access control that limits what a compromised container can do on the host.',
    remediation: 'Use appArmorProfile.type RuntimeDefault or Localhost (or remove the override, and any container.apparmor.security.beta.kubernetes.io annotation that is not runtime/default or localhost/*).',
    references: {pss: 'baseline', cis: ['5.6.3'], nsa: ['Pod security: hardening container environments'], mitre: ['T1562.001'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/']},
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const o of offencesForCheck(ctx.resource, ctx.settings.pss, 'appArmorProfile')) {
      ctx.report({ message: o.message, path: o.path, ...(o.fix ? { fix: o.fix } : {}) });
    }
  },
});
