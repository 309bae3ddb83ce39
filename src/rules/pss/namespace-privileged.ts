// pss/namespace-privileged: a Namespace that explicitly enforces the privileged level.
import { defineRule } from '../../engine/rule.js';
import { pointer } from '../../model/json.js';
import { LABEL_PREFIX, namespacePolicy } from '../../analyses/pss/namespace.js';
import { pssSettings } from '../../analyses/pss/settings.js';

export default defineRule({
  meta: {
    id: 'pss/namespace-privileged',
    title: 'Namespace enforces the privileged level',
    severity: 'medium',
    rationale:
      'enforce: privileged turns Pod Security Admission off for the namespace: anyone who can create pods there can run privileged containers, share host namespaces and mount the node filesystem.',
    remediation:
      'Enforce baseline or restricted. Keep privileged only for namespaces of node agents that need it, and list those under pss.exemptions.namespaces in .rampart.yaml with the reason.',
    references: { cis: ['5.2.1', '5.2.2'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611', 'T1610'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'] },
    kinds: ['Namespace'],
  },
  check(ctx) {
    const ns = ctx.resource;
    if (pssSettings(ctx.settings.pss).exemptions.namespaces.includes(ns.name)) return;
    const policy = namespacePolicy(ns.labels);
    if (!policy.enforce.levelSet || ns.labels[`${LABEL_PREFIX}enforce`] !== 'privileged') return;
    ctx.report({ message: `namespace "${ns.name}" enforces the privileged Pod Security Standard, which admits any pod`, path: `/metadata/labels${pointer(`${LABEL_PREFIX}enforce`)}` });
  },
});
