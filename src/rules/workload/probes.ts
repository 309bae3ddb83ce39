import { defineRule } from '../../engine/rule.js';
import { containersOf, describeContainer, podSpecOf } from '../../model/workloads.js';
import { asObject, asString } from '../../model/json.js';

type Probe = 'liveness' | 'readiness';

/** Long-running workloads. Jobs and CronJobs run to completion, where probes make little sense. */
const SERVING_KINDS = ['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig'];

export default defineRule({
  meta: {
    id: 'workload/probes',
    title: 'Missing liveness or readiness probe',
    severity: 'low',
    rationale:
      'Without a readiness probe traffic reaches pods that are not ready (or no longer healthy); without a liveness probe a hung process is never restarted. Both turn small faults into outages.',
    remediation: 'Add readinessProbe and livenessProbe (httpGet, tcpSocket, grpc or exec) to each serving container; use a startupProbe for slow starters.',
    references: {
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
    },
    kinds: SERVING_KINDS,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { probes: { type: 'array', items: { enum: ['liveness', 'readiness'] }, uniqueItems: true, description: 'Probes every serving container must define.' } },
    },
    defaults: { probes: ['liveness', 'readiness'] },
  },
  check(ctx) {
    const wanted = ctx.options.probes;
    if (!Array.isArray(wanted) || !wanted.every((p) => p === 'liveness' || p === 'readiness')) {
      throw new Error(`option "probes" must be a list of "liveness" and "readiness", got ${JSON.stringify(wanted)}`);
    }
    const pod = podSpecOf(ctx.resource);
    if (!pod) return;
    // A bare pod that is not restarted is a one-off task, like a Job.
    const restart = asString(pod.spec.restartPolicy);
    if (ctx.resource.kind === 'Pod' && (restart === 'Never' || restart === 'OnFailure')) return;
    // Init containers run to completion before the app starts; ephemeral containers cannot have probes.
    for (const c of containersOf(pod, ['containers'])) {
      const missing = (wanted as Probe[]).filter((p) => !asObject(c.container[`${p}Probe`]));
      if (missing.length === 0) continue;
      ctx.report({
        message: `${describeContainer(c)} has no ${missing.map((p) => `${p}Probe`).join(' and no ')}`,
        path: c.path,
        details: { missing },
      });
    }
  },
});
