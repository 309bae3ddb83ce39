import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation fact 21: reconnaissance, not escalation. Roles and RoleBindings count only in kube-system;
// ClusterRoles hold there too once a ClusterRoleBinding grants them.
const SPEC = grantSpec({ verbs: ['get', 'list', 'watch'], targets: [{ group: '', resource: 'configmaps' }], namespaces: ['kube-system'] });

export default defineRule({
  meta: {
    id: 'rbac/kube-system-config-read',
    title: 'Read ConfigMaps in kube-system',
    severity: 'info',
    rationale:
      'ConfigMaps in kube-system describe the control plane: kubeadm-config (cluster configuration, endpoints), extension-apiserver-authentication (client CA and request-header settings), kube-proxy and CoreDNS settings. Reading them is reconnaissance that maps the cluster for a later attack; it is not an escalation by itself.',
    remediation: 'Grant ConfigMap reads in the namespaces a workload uses, with resourceNames where it reads a known ConfigMap; avoid cluster-wide ConfigMap reads.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1613'],
      urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege', 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
