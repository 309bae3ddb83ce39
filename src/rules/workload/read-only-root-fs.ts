import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asObject, getIn } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'workload/read-only-root-fs',
    title: 'Writable root filesystem',
    severity: 'medium',
    rationale:
      'A writable root filesystem lets an attacker who gains code execution drop tools, modify binaries and persist inside the container. Read-only roots force writes into explicit volumes.',
    remediation: 'Set securityContext.readOnlyRootFilesystem: true on the container and mount an emptyDir for paths the application must write (e.g. /tmp).',
    references: { cis: ['5.6.3'], nsa: ['Pod security: immutable container file systems'], mitre: ['T1496', 'T1525'] },
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'a process that writes outside its mounted volumes (caches, pid files, /tmp) fails',
  },
  check(ctx) {
    // Ephemeral (debug) containers too: added to a running pod, they run with the pod's identity.
    for (const c of allContainers(ctx.resource)) {
      const sc = asObject(c.container.securityContext);
      const value = getIn(c.container, 'securityContext', 'readOnlyRootFilesystem');
      if (value === true) continue;
      const path = sc && value !== undefined ? `${c.path}/securityContext/readOnlyRootFilesystem` : sc ? `${c.path}/securityContext` : c.path;
      ctx.report({
        message: `${describeContainer(c)} ${value === false ? 'sets readOnlyRootFilesystem=false' : 'does not set securityContext.readOnlyRootFilesystem=true'}`,
        path,
        fix: [{ op: 'set', path: `${c.path}/securityContext/readOnlyRootFilesystem`, value: true }],
      });
    }
  },
});
