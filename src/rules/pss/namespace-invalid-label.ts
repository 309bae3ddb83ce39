// pss/namespace-invalid-label: a pod-security.kubernetes.io label PSA cannot parse.
import { defineRule } from '../../engine/rule.js';
import { pointer } from '../../model/json.js';
import { namespacePolicy } from '../../analyses/pss/namespace.js';

export default defineRule({
  meta: {
    id: 'pss/namespace-invalid-label',
    title: 'Invalid Pod Security Admission label',
    severity: 'medium',
    rationale:
      'An unparseable level or version does not mean what its author intended: PSA enforces restricted for a bad enforce level (breaking deploys), ignores a bad audit or warn level (privileged), and treats a bad version as latest.',
    remediation: 'Use a level of privileged, baseline or restricted, and a version of latest or v1.N (e.g. v1.37).',
    references: { urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces'] },
    kinds: ['Namespace'],
  },
  check(ctx) {
    for (const p of namespacePolicy(ctx.resource.labels).problems) {
      ctx.report({ message: `namespace "${ctx.resource.name}" label ${p.label}=${JSON.stringify(p.value)} ${p.message}`, path: `/metadata/labels${pointer(p.label)}` });
    }
  },
});
