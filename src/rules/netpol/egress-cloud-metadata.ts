import { defineRule, type FixOp } from '../../engine/rule.js';
import { contains, isKubernetesNetworkPolicy, parseIpv4, parsePolicy, resolveRulePorts } from '../../analyses/netpol/index.js';

const DEFAULT_ADDRESSES = ['169.254.169.254'];

export default defineRule({
  meta: {
    id: 'netpol/egress-cloud-metadata',
    title: 'Egress allows the cloud instance metadata service',
    severity: 'high',
    rationale:
      'The instance metadata service (169.254.169.254 on AWS, GCP and Azure) hands out the node\'s cloud credentials to anything that can send it an HTTP request. An egress rule to 0.0.0.0/0 (or with no `to` at all) that does not except it lets a compromised pod steal those credentials.',
    remediation: 'Add `except: [169.254.169.254/32]` to the ipBlock (or narrow the CIDR), or restrict the rule to the ports the workload needs other than 80. Also block metadata access at the node (IMDSv2 hop limit 1, GKE metadata server).',
    references: {
      nsa: ['Network separation and hardening: network policies', 'Network separation and hardening: protecting sensitive cloud infrastructure'],
      mitre: ['T1552.005'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/', 'https://attack.mitre.org/techniques/T1552/005/'],
    },
    kinds: ['NetworkPolicy'],
    fixClass: 'may-break',
    fixRisk: 'pods that use the cloud metadata service (instance credentials, region lookups) lose it',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { addresses: { type: 'array', items: { type: 'string' }, description: 'Metadata service IPv4 addresses (e.g. add 100.100.100.200 for Alibaba Cloud).' } },
    },
    defaults: { addresses: DEFAULT_ADDRESSES },
  },
  check(ctx) {
    // Calico and Antrea also have a kind named NetworkPolicy, with another schema.
    if (!isKubernetesNetworkPolicy(ctx.resource)) return;
    const p = parsePolicy(ctx.resource.object);
    if (!p.types.egress) return;
    const addresses = (Array.isArray(ctx.options.addresses) ? ctx.options.addresses : DEFAULT_ADDRESSES).filter((a): a is string => typeof a === 'string');
    for (const rule of p.egress) {
      // Metadata is plain HTTP on port 80; a rule limited to other ports does not reach it.
      const ports = resolveRulePorts(rule, undefined);
      if (!contains(ports, 'TCP', 80)) continue;
      for (const addr of addresses) {
        const ip = parseIpv4(addr);
        if (ip === undefined) continue;
        if (rule.peers === 'all') {
          ctx.report({ path: rule.path, message: `egress rule ${rule.index} has no \`to\`, so it allows every destination including the metadata service ${addr}` });
          continue;
        }
        for (const peer of rule.peers) {
          if (peer.kind !== 'ipBlock' || peer.family !== 4) continue;
          if (!peer.ranges.some((r) => r.lo <= ip && ip <= r.hi)) continue;
          const exceptPath = `${peer.path}/ipBlock/except`;
          const fix: FixOp[] = [{ op: 'set', path: exceptPath, value: [...peer.except, `${addr}/32`] }];
          ctx.report({ path: `${peer.path}/ipBlock/cidr`, message: `egress to ${peer.cidr} includes the metadata service ${addr}; add it to except`, fix });
        }
      }
    }
  },
});
