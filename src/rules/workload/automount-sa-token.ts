import { defineRule } from '../../engine/rule.js';
import { podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { tokenMountOf } from '../../model/service-accounts.js';

export default defineRule({
  meta: {
    id: 'workload/automount-sa-token',
    title: 'ServiceAccount token mounted automatically',
    severity: 'medium',
    rationale:
      'Every pod gets a Kubernetes API token for its ServiceAccount unless automounting is turned off. Code execution in any container then means API access with that account\'s rights; most applications never call the API and should not carry the credential.',
    remediation:
      'Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount, which the pod inherits when it does not set the field). Pods that do call the API can keep the token: suppress this rule for them with a reason.',
    references: {
      cis: ['5.1.6'],
      nsa: ['Pod security: protecting Pod service account tokens'],
      mitre: ['T1528', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    if (!pod) return;
    const t = tokenMountOf(pod, ctx.index);
    if (!t.mounted) return;
    const sa = `ServiceAccount "${t.serviceAccount.name}"`;
    if (t.decidedBy === 'pod') {
      ctx.report({ message: `pod spec sets automountServiceAccountToken: true, so the ${sa} token is mounted`, path: `${pod.path}/automountServiceAccountToken` });
    } else if (t.decidedBy === 'serviceAccount') {
      ctx.report({ message: `pod spec does not set automountServiceAccountToken and its ${sa} sets it to true, so the token is mounted`, path: pod.path });
    } else {
      const where = t.serviceAccountObject ? 'does not set it either' : 'is not in the input';
      ctx.report({ message: `pod spec does not set automountServiceAccountToken: false and its ${sa} ${where}, so the token is mounted`, path: pod.path });
    }
  },
});
