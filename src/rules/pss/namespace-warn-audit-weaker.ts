// pss/namespace-warn-audit-weaker: warn or audit configured to check less than enforce.
import { defineRule } from '../../engine/rule.js';
import { pointer } from '../../model/json.js';
import { LABEL_PREFIX, namespacePolicy, weakerThanEnforce } from '../../analyses/pss/namespace.js';
import { pssSettings } from '../../analyses/pss/settings.js';

export default defineRule({
  meta: {
    id: 'pss/namespace-warn-audit-weaker',
    title: 'Pod Security warn or audit is weaker than enforce',
    severity: 'low',
    rationale:
      'warn and audit exist to show what a stricter policy would reject before it is enforced. Set weaker than enforce, they report nothing useful: warnings never fire before a denial, and the audit log misses the violations that matter.',
    remediation: 'Set pod-security.kubernetes.io/warn and audit to the enforce level or stricter (typically warn/audit: restricted while enforce is baseline), at the same or a newer version.',
    references: { urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces'] },
    kinds: ['Namespace'],
  },
  check(ctx) {
    const ns = ctx.resource;
    if (pssSettings(ctx.settings.pss).exemptions.namespaces.includes(ns.name)) return;
    const policy = namespacePolicy(ns.labels);
    for (const m of ['warn', 'audit'] as const) {
      const why = weakerThanEnforce(policy, m);
      if (!why) continue;
      const key = policy[m].levelSet ? `${LABEL_PREFIX}${m}` : `${LABEL_PREFIX}${m}-version`;
      ctx.report({ message: `namespace "${ns.name}": ${why}`, path: `/metadata/labels${pointer(key)}` });
    }
  },
});
