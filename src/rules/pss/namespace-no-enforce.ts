// pss/namespace-no-enforce: a Namespace without a pod-security.kubernetes.io/enforce label admits
// any pod (the admission default is privileged).
import { defineRule } from '../../engine/rule.js';
import { pointer } from '../../model/json.js';
import { LABEL_PREFIX, namespacePolicy } from '../../analyses/pss/namespace.js';
import { pssSettings } from '../../analyses/pss/settings.js';
import { strongestAdmittingResources } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/namespace-no-enforce',
    title: 'Namespace does not enforce a Pod Security Standard',
    severity: 'medium',
    rationale:
      'Without an enforce label, Pod Security Admission applies its default (privileged unless the cluster configures otherwise) and admits privileged, host-namespace and hostPath pods into the namespace.',
    remediation:
      'Label the namespace with pod-security.kubernetes.io/enforce: restricted (or baseline where workloads need it) and pin pod-security.kubernetes.io/enforce-version; `rampart pss --suggest` shows the strongest level its workloads already satisfy.',
    references: { cis: ['5.2.1'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1610'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'] },
    kinds: ['Namespace'],
    fixClass: 'may-break',
    fixRisk: 'new pods in the namespace that do not meet the level are refused at admission',
  },
  check(ctx) {
    const ns = ctx.resource;
    const settings = pssSettings(ctx.settings.pss);
    if (settings.exemptions.namespaces.includes(ns.name)) return;
    const policy = namespacePolicy(ns.labels);
    if (policy.enforce.levelSet) return;
    // The pods' evaluations at restricted are the pss/* rules' (made once per resource).
    const best = strongestAdmittingResources(ctx.index.inNamespace(ns.name), ctx.settings.pss);
    const n = best.workloads;
    const hasLabels = ns.object.metadata !== null && typeof ns.object.metadata === 'object' && !Array.isArray(ns.object.metadata) && 'labels' in ns.object.metadata;
    const advice = n
      ? `its ${n} workload${n === 1 ? '' : 's'} in the input would all be admitted at ${best.level}${best.evaluated ? '' : ' (some could not be evaluated)'}`
      : 'no workloads for it in the input';
    ctx.report({
      message: `namespace "${ns.name}" has no ${LABEL_PREFIX}enforce label, so any pod is admitted; ${advice}`,
      path: hasLabels ? '/metadata/labels' : '/metadata',
      fix: [{ op: 'set', path: `/metadata/labels${pointer(`${LABEL_PREFIX}enforce`)}`, value: best.level }],
    });
  },
});
