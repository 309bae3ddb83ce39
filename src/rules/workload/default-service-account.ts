import { defineRule } from '../../engine/rule.js';
import { podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { tokenMountOf } from '../../model/service-accounts.js';

export default defineRule({
  meta: {
    id: 'workload/default-service-account',
    title: 'Pod uses the default ServiceAccount',
    severity: 'medium',
    rationale:
      'Every pod in a namespace that does not name a ServiceAccount shares the namespace\'s "default" account. Rights granted to it for one workload silently extend to all others, and its token is mounted unless automounting is turned off.',
    remediation:
      'Create a dedicated ServiceAccount per workload and set serviceAccountName to it; grant the default ServiceAccount no roles and set automountServiceAccountToken: false on it.',
    references: {
      cis: ['5.1.5'],
      nsa: ['Pod security: protecting Pod service account tokens', 'Authentication and authorization'],
      mitre: ['T1078.001', 'T1528'],
      urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    if (!pod) return;
    const t = tokenMountOf(pod, ctx.index);
    if (t.serviceAccount.name !== 'default') return;
    // Without a mounted token the pod cannot act as the default account, so sharing it grants nothing.
    if (!t.mounted) return;
    ctx.report({
      message: t.serviceAccount.path
        ? `pod spec names the "default" ServiceAccount and its token is mounted`
        : `pod spec sets no serviceAccountName, so it runs as the "default" ServiceAccount with its token mounted`,
      path: t.serviceAccount.path ?? pod.path,
    });
  },
});
