import { defineRule } from '../../engine/rule.js';
import { externalIPs } from '../../model/services.js';

export default defineRule({
  meta: {
    id: 'exposure/external-ips',
    title: 'Service with externalIPs (CVE-2020-8554)',
    severity: 'high',
    rationale:
      'spec.externalIPs makes kube-proxy capture traffic for any address, with no ownership check. Whoever can create or edit a Service can intercept traffic meant for another workload or an outside host (CVE-2020-8554, a man-in-the-middle by design). Legitimate uses are rare.',
    remediation: 'Remove spec.externalIPs and use a LoadBalancer or Ingress. Block the field cluster-wide with the DenyServiceExternalIPs admission plugin or a policy (e.g. the externalip-webhook).',
    references: {
      nsa: ['Network separation and hardening: network policies'],
      mitre: ['T1557'],
      urls: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://nvd.nist.gov/vuln/detail/CVE-2020-8554'],
    },
    kinds: ['Service'],
    fixClass: 'may-break',
    fixRisk: 'clients that reach the Service on those external IPs lose it',
  },
  check(ctx) {
    const ips = externalIPs(ctx.resource);
    if (ips.length === 0) return;
    ctx.report({
      path: '/spec/externalIPs',
      message: `Service "${ctx.resource.name}" sets externalIPs (${ips.map(String).join(', ')}): any Service author can capture traffic to these addresses (CVE-2020-8554)`,
      fix: [{ op: 'remove', path: '/spec/externalIPs' }],
    });
  },
});
