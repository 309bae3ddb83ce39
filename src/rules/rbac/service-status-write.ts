import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['update', 'patch'], targets: [{ group: '', resource: 'services', subresource: 'status' }] });

export default defineRule({
  meta: {
    id: 'rbac/service-status-write',
    title: 'Write access to Service status (CVE-2020-8554)',
    severity: 'medium',
    rationale:
      'Whoever can update or patch services/status can set status.loadBalancer.ingress[].ip of a LoadBalancer Service to any address; kube-proxy then routes traffic for that IP inside the cluster to the attacker\'s pods (CVE-2020-8554, a man-in-the-middle with no fix in Kubernetes itself). Only load-balancer controllers need it.',
    remediation:
      'Remove update/patch on services/status from everything but the load-balancer controller (cloud-controller-manager, MetalLB, kube-vip...). Upstream\'s mitigation is an admission policy that restricts who may set LoadBalancer ingress IPs and externalIPs.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1557'],
      urls: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://kubernetes.io/docs/concepts/services-networking/service/#external-ips'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
