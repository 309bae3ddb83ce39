import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString, getIn } from '../../model/json.js';

/** `net_raw`, `CAP_NET_RAW` and `NET_RAW` name the same capability. */
function capName(v: unknown): string | undefined {
  const s = asString(v);
  return s === undefined ? undefined : s.trim().toUpperCase().replace(/^CAP_/, '');
}

export default defineRule({
  meta: {
    id: 'workload/drop-net-raw',
    title: 'NET_RAW capability not dropped',
    severity: 'medium',
    rationale:
      'Container runtimes grant NET_RAW by default. It lets a compromised container craft raw packets: ARP and DNS spoofing against pods on the same node, and network sniffing. Almost no application needs it.',
    remediation: 'Add NET_RAW (or ALL) to securityContext.capabilities.drop and do not add it back with capabilities.add.',
    references: {
      cis: ['5.2.8'],
      nsa: ['Pod security: pod security enforcement'],
      mitre: ['T1557.002', 'T1040'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container'],
    },
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
    fixRisk: 'raw sockets fail (ping, some network diagnostics)',
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    // Linux capabilities do not exist for Windows pods.
    if (!pod || asString(getIn(pod.spec, 'os', 'name')) === 'windows') return;
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      const sc = asObject(c.container.securityContext);
      const caps = asObject(sc?.capabilities);
      const addIdx = asArray(caps?.add).findIndex((x) => ['NET_RAW', 'ALL'].includes(capName(x) ?? ''));
      if (addIdx >= 0) {
        const added = asString(asArray(caps!.add)[addIdx]);
        const what = capName(added) === 'ALL' ? `adds ALL capabilities (${added}), NET_RAW included` : `adds capability ${added}`;
        ctx.report({ message: `${describeContainer(c)} ${what}`, path: `${c.path}/securityContext/capabilities/add/${addIdx}` });
        continue;
      }
      const drop = asArray(caps?.drop);
      if (drop.some((x) => ['NET_RAW', 'ALL'].includes(capName(x) ?? ''))) continue;
      const path = Array.isArray(caps?.drop) ? `${c.path}/securityContext/capabilities/drop` : caps ? `${c.path}/securityContext/capabilities` : sc ? `${c.path}/securityContext` : c.path;
      const kept = drop.filter((x): x is string => typeof x === 'string');
      ctx.report({
        message: `${describeContainer(c)} does not drop NET_RAW (or ALL)`,
        path,
        fix: [{ op: 'set', path: `${c.path}/securityContext/capabilities/drop`, value: [...kept, 'NET_RAW'] }],
      });
    }
  },
});
