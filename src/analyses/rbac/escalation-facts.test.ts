// Escalation facts 3 and 17-23 (docs/rbac.md): which are graph steps (17, 22, 23 mutating) and which
// are reported by scan rules but are no path by themselves (3, 18-21, 23 validating). Positive and negative cases.
import { before } from 'node:test';
import { escalationTable, grantTo, type EscalationCase } from './testing.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

const grant = (rules: string, ns = '') => grantTo(rules, ns);
const PSA = (ns: string, level = 'baseline') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {pod-security.kubernetes.io/enforce: ${level}}}\n`;
const SA = (ns: string, name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: ${ns}}\n`;
const ADMIN = (ns: string, name: string) =>
  SA(ns, name) + `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${name}-admin}\nsubjects: [{kind: ServiceAccount, name: ${name}, namespace: ${ns}}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}\n`;
const doc = (...parts: string[]) => parts.join('---\n');
const rule = (group: string, resources: string, verbs: string, names = '') => `- {apiGroups: ["${group}"], resources: [${resources}], verbs: [${verbs}]${names ? `, resourceNames: [${names}]` : ''}}`;

const RB = 'rbac.authorization.k8s.io';
const AR = 'admissionregistration.k8s.io';
const cases: EscalationCase[] = [
  // 3: binding writes without `bind` only pass on what the holder already has.
  { name: 'fact 3: create rolebindings and clusterrolebindings without bind: no path', yaml: doc(grant(rule(RB, 'rolebindings, clusterrolebindings', 'create, update, patch')), ADMIN('team', 'boss'), PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 3 negative: with bind on cluster-admin it is fact 2', yaml: grant(rule(RB, 'clusterrolebindings', 'create') + '\n' + rule(RB, 'clusterroles', 'bind', 'cluster-admin')), goal: 'cluster-admin', facts: [2] },
  // 17: relabel a namespace to lift Pod Security, then a privileged pod there.
  { name: 'fact 17: patch namespaces cluster-wide + create pods in a restricted namespace', yaml: doc(grant(rule('', 'namespaces', 'patch')), grant(rule('', 'pods', 'create'), 'team').replace(/name: r\b/g, 'name: r2').replace(/name: b\b/, 'name: b2'), PSA('team', 'restricted')), goal: 'nodes', facts: [17] },
  { name: 'fact 17 negative: relabel limited to another namespace', yaml: doc(grant(rule('', 'pods', 'create') + '\n' + rule('', 'namespaces', 'patch', 'other'), 'team'), PSA('team', 'restricted')), goal: 'nodes', facts: null },
  { name: 'fact 17 negative: relabel without pod creation', yaml: doc(grant(rule('', 'namespaces', 'update, patch')), PSA('team', 'restricted')), goal: 'nodes', facts: null },
  { name: 'fact 17 negative: get on namespaces changes nothing', yaml: doc(grant(rule('', 'pods', 'create') + '\n' + rule('', 'namespaces', 'get', 'team'), 'team'), PSA('team', 'restricted')), goal: 'nodes', facts: null },
  // 18, 19: node steering and eviction need a node the holder controls: no path on their own.
  { name: 'fact 18: patch nodes and nodes/status alone: no path', yaml: grant(rule('', 'nodes, nodes/status', 'patch, update')), goal: 'nodes', facts: null },
  { name: 'fact 19: delete pods + update nodes (cordon) alone: no path', yaml: doc(grant(rule('', 'nodes', 'update') + '\n' + rule('', 'pods', 'delete, list')), ADMIN('team', 'boss'), PSA('team')), goal: 'cluster-admin', facts: null },
  // 20: a new service account has no rights; pod creation reaches only existing ones.
  { name: 'fact 20: create serviceaccounts + pods, no powerful SA in the namespace: no path', yaml: doc(grant(rule('', 'serviceaccounts, pods', 'create'), 'team'), PSA('team')), goal: 'cluster-admin', facts: null },
  // 21: reconnaissance is no path.
  { name: 'fact 21: read kube-system configmaps: no path', yaml: doc(grant(rule('', 'configmaps', 'get, list'), 'kube-system'), PSA('kube-system')), goal: 'cluster-admin', facts: null },
  // 22: operators act for whoever writes their custom resources, when the operator is in the input.
  { name: 'fact 22: Argo CD Application in the controller namespace -> controller SA -> cluster-admin', yaml: doc(grant(rule('argoproj.io', 'applications', 'create'), 'argocd'), ADMIN('argocd', 'argocd-application-controller'), PSA('argocd')), goal: 'cluster-admin', facts: [22, 0], action: 'Argo CD applies them as service account argocd/argocd-application-controller' },
  { name: 'fact 22: a Helm-prefixed Argo CD SA counts; ApplicationSets too', yaml: doc(grant(rule('argoproj.io', 'applicationsets', 'patch'), 'gitops'), ADMIN('gitops', 'argo-cd-argocd-application-controller'), PSA('gitops')), goal: 'cluster-admin', facts: [22, 0] },
  { name: 'fact 22 negative: Argo CD Applications in another namespace are not reconciled', yaml: doc(grant(rule('argoproj.io', 'applications', 'create'), 'team'), ADMIN('argocd', 'argocd-application-controller'), PSA('team'), PSA('argocd')), goal: 'cluster-admin', facts: null },
  { name: 'fact 22 negative: no Argo CD in the input', yaml: doc(grant(rule('argoproj.io', 'applications', 'create'), 'argocd'), PSA('argocd')), goal: 'cluster-admin', facts: null },
  { name: 'fact 22 negative: read-only on Applications', yaml: doc(grant(rule('argoproj.io', 'applications', 'get, list, watch'), 'argocd'), ADMIN('argocd', 'argocd-application-controller'), PSA('argocd')), goal: 'cluster-admin', facts: null },
  { name: 'fact 22: Flux Kustomization in any namespace -> kustomize-controller', yaml: doc(grant(rule('kustomize.toolkit.fluxcd.io', 'kustomizations', 'create'), 'team'), ADMIN('flux-system', 'kustomize-controller'), PSA('team'), PSA('flux-system')), goal: 'cluster-admin', facts: [22, 0] },
  { name: 'fact 22: Flux HelmRelease -> helm-controller', yaml: doc(grant(rule('helm.toolkit.fluxcd.io', 'helmreleases', 'update'), 'team'), ADMIN('flux-system', 'helm-controller'), PSA('team'), PSA('flux-system')), goal: 'cluster-admin', facts: [22, 0] },
  { name: 'fact 22 negative: the wrong API group (a look-alike CRD)', yaml: doc(grant(rule('example.com', 'kustomizations', 'create'), 'team'), ADMIN('flux-system', 'kustomize-controller'), PSA('team'), PSA('flux-system')), goal: 'cluster-admin', facts: null },
  { name: 'fact 22: Tekton PipelineRun runs pods as any SA of its namespace', yaml: doc(grant(rule('tekton.dev', 'pipelineruns', 'create'), 'team'), SA('tekton-pipelines', 'tekton-pipelines-controller'), ADMIN('team', 'boss'), PSA('team')), goal: 'cluster-admin', facts: [22, 0], action: 'Tekton runs their pods as service account team/boss' },
  { name: 'fact 22 negative: Tekton TaskRuns without Tekton in the input', yaml: doc(grant(rule('tekton.dev', 'taskruns', 'create'), 'team'), ADMIN('team', 'boss'), PSA('team')), goal: 'cluster-admin', facts: null },
  // 23: admission policies.
  { name: 'fact 23: write mutating admission policies -> node root', yaml: grant(rule(AR, 'mutatingadmissionpolicies', 'create')), goal: 'nodes', facts: [23] },
  { name: 'fact 23 negative: a RoleBinding cannot grant the cluster-scoped policies', yaml: grant(rule(AR, 'mutatingadmissionpolicies', 'create'), 'team'), goal: 'nodes', facts: null },
  { name: 'fact 23: validating admission policies only switch off policy: no path by themselves', yaml: grant(rule(AR, 'validatingadmissionpolicies, validatingadmissionpolicybindings', 'create, update, patch, delete')), goal: 'nodes', facts: null },
];

let defaults: Resource[] = [];
before(async () => {
  defaults = (await loadRbacDefaults()).resources;
});
escalationTable(cases, () => defaults);
