import { defineRule } from '../../engine/rule.js';
import { containersOf, describeContainer, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString, getIn } from '../../model/json.js';

/** UID 0, also when written as a string (which the API server would reject, but the intent is root). */
function isRootUid(v: unknown): boolean {
  return v === 0 || (typeof v === 'string' && /^\s*0+\s*$/.test(v));
}

export default defineRule({
  meta: {
    id: 'workload/root-uid',
    title: 'Container runs as UID 0',
    severity: 'high',
    rationale:
      'runAsUser: 0 asks for root explicitly and overrides the image\'s USER. A root process in a container is one kernel or runtime bug away from root on the node, and owns every file in writable volumes.',
    remediation: 'Set runAsUser to a non-zero UID (e.g. 10001) in the pod or container securityContext, and runAsNonRoot: true.',
    references: {
      cis: ['5.2.7'],
      nsa: ['Pod security: "non-root" containers and "rootless" container engines'],
      mitre: ['T1611', 'T1068'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    // runAsUser does not apply to Windows pods (they use windowsOptions.runAsUserName).
    if (!pod || asString(getIn(pod.spec, 'os', 'name')) === 'windows') return;
    const inheriting: string[] = [];
    const podRoot = isRootUid(getIn(pod.spec, 'securityContext', 'runAsUser'));
    for (const c of containersOf(pod, ['containers', 'initContainers'])) {
      const own = getIn(c.container, 'securityContext', 'runAsUser');
      if (own !== undefined && own !== null) {
        if (isRootUid(own)) ctx.report({ message: `${describeContainer(c)} sets runAsUser: 0`, path: `${c.path}/securityContext/runAsUser` });
      } else if (podRoot) inheriting.push(describeContainer(c));
    }
    if (inheriting.length) {
      ctx.report({ message: `pod securityContext sets runAsUser: 0, inherited by ${inheriting.join(', ')}`, path: `${pod.path}/securityContext/runAsUser` });
    }
  },
});
