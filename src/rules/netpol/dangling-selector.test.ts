import rule from './dangling-selector.js';
import { ruleTable } from '../testing/harness.js';

const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: []}\n---\n';
const prom = 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\nspec: {replicas: 2}\n---\n';
const promPolicy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: prometheus-k8s, namespace: monitoring}\nspec:\n  podSelector: {matchLabels: {app.kubernetes.io/name: prometheus, prometheus: k8s}}\n  ingress: [{from: [{podSelector: {matchLabels: {app.kubernetes.io/name: grafana}}}]}]\n';
// An operator Deployment whose service account may create pods (Longhorn's manager, Rook's operator).
const operator = (binding: 'RoleBinding' | 'ClusterRoleBinding', verbs = '[create, get]', resources = '[pods]') =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: longhorn-manager, namespace: longhorn-system}\nspec:\n  template:\n    metadata: {labels: {app: longhorn-manager}}\n    spec: {serviceAccountName: longhorn-service-account, containers: []}\n---\n` +
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${binding === 'RoleBinding' ? 'Role' : 'ClusterRole'}\nmetadata: {name: manager, namespace: longhorn-system}\nrules: [{apiGroups: [""], resources: ${resources}, verbs: ${verbs}}]\n---\n` +
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${binding}\nmetadata: {name: manager, namespace: longhorn-system}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${binding === 'RoleBinding' ? 'Role' : 'ClusterRole'}, name: manager}\nsubjects: [{kind: ServiceAccount, name: longhorn-service-account, namespace: longhorn-system}]\n---\n`;
const lhPolicy = (ns = 'longhorn-system') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: instance-manager, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {longhorn.io/component: instance-manager}}\n`;
const np = (spec: string, ns = 'shop') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: ${ns}}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    web + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n'),
    { name: 'empty selectors match by definition', yaml: np('  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]\n') },
    { name: 'a Prometheus custom resource in the namespace: its operator creates the pods the policy selects', yaml: prom + promPolicy },
    { name: 'a workload whose service account may create pods in the namespace (Role + RoleBinding)', yaml: operator('RoleBinding') + lhPolicy() },
    { name: 'pod-creating rights through a ClusterRoleBinding count in every namespace', yaml: operator('ClusterRoleBinding', '["*"]', '["*"]') + lhPolicy('elsewhere') },
    { name: 'creating deployments counts as creating pods', yaml: operator('RoleBinding', '[create]', '[deployments]').replace('apiGroups: [""]', 'apiGroups: [apps]') + lhPolicy() },
    { name: 'peers in other namespaces are not judged', yaml: web + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: elsewhere}}}]}]\n') },
  ],
  invalid: [
    {
      name: 'a custom resource in another namespace is no evidence for this one',
      yaml: prom.replace('namespace: monitoring', 'namespace: other') + promPolicy,
      findings: [
        { path: '/spec/podSelector', message: 'matches no workload in namespace "monitoring": the policy isolates nothing' },
        { path: '/spec/ingress/0/from/0/podSelector', message: 'ingress peer podSelector (app.kubernetes.io/name=grafana)' },
      ],
    },
    {
      name: 'a service account that may only read pods creates none; a RoleBinding elsewhere does not count',
      yaml: operator('RoleBinding', '[get, list]') + operator('RoleBinding').replace(/namespace: longhorn-system/g, 'namespace: other') + lhPolicy(),
      findings: [{ path: '/spec/podSelector', message: 'podSelector (longhorn.io/component=instance-manager) matches no workload' }],
    },
    {
      name: 'config-only custom resources (ServiceMonitor, VerticalPodAutoscaler) create no pods: the claim stands',
      yaml: 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m, namespace: shop}\nspec: {}\n---\napiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: {name: v, namespace: shop}\nspec: {}\n---\n' + web + np('  podSelector:\n    matchLabels: {app: wbe}\n'),
      findings: [{ path: '/spec/podSelector', message: 'podSelector (app=wbe) matches no workload in namespace "shop"' }],
    },
    {
      name: 'policy selects nothing (label typo)',
      yaml: web + np('  podSelector:\n    matchLabels: {app: wbe}\n'),
      findings: [{ path: '/spec/podSelector', line: 13, column: 3, message: 'podSelector (app=wbe) matches no workload in namespace "shop"' }],
    },
    {
      name: 'peer selects nothing; a workload in another namespace does not count',
      yaml: web.replace('namespace: shop', 'namespace: other') + np('  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n'),
      findings: [{ path: '/spec/ingress/0/from/0/podSelector', line: 16, column: 7, message: 'ingress peer podSelector (app=web)' }],
    },
  ],
});
