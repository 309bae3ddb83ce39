// pss/pod-not-evaluable: a field Pod Security Admission reads has a type Kubernetes would refuse,
// so the pod cannot be evaluated. Reported rather than passed: fail closed.
import { defineRule } from '../../engine/rule.js';
import { WORKLOAD_KINDS } from '../../model/workloads.js';
import { pssResultFor } from '../../analyses/pss/scan.js';

export default defineRule({
  meta: {
    id: 'pss/pod-not-evaluable',
    title: 'Pod spec cannot be evaluated against the Pod Security Standards',
    severity: 'high',
    rationale:
      'A security-relevant field with the wrong type (privileged: "true", securityContext: []) is rejected by the API server, and no tool can say what Pod Security Admission would decide for it. Passing it silently would hide whatever it was meant to configure.',
    remediation: 'Give the field the type the Kubernetes API defines (booleans unquoted, lists as lists, objects as maps), then scan again.',
    references: { urls: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/'] },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const r = pssResultFor(ctx.resource, ctx.settings.pss);
    for (const m of r?.malformed ?? []) {
      ctx.report({ message: `${m.message}: Kubernetes would reject this ${ctx.resource.kind}, so Pod Security Admission cannot be evaluated`, path: m.path });
    }
  },
});
