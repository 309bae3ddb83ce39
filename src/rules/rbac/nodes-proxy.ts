import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['get', 'create'], targets: [{ group: '', resource: 'nodes', subresource: 'proxy' }] });

export default defineRule({
  meta: {
    id: 'rbac/nodes-proxy',
    title: 'Access to nodes/proxy',
    severity: 'critical',
    rationale:
      'nodes/proxy reaches the kubelet API of every node: /exec and /run execute commands in any pod on the node, bypassing API server audit of the exec and admission control.',
    remediation: 'Remove nodes/proxy from the role; monitoring agents need only nodes/metrics or nodes/stats.',
    references: { cis: ['5.1.10'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1609', 'T1611'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
