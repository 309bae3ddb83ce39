// One case (or more) per escalation fact: the graph finds the step, with the binding and role that grant it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { escalationTable, graphOf, grantTo, type EscalationCase } from './testing.js';
import type { Identity } from './escalation.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

const grant = (rules: string, ns = '') => grantTo(rules, ns);

const ADMIN_SA = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: boss, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: boss-admin}
subjects: [{kind: ServiceAccount, name: boss, namespace: team}]
roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
`;
const PSA = (ns: string, level = 'baseline') => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {pod-security.kubernetes.io/enforce: ${level}}}
`;
const WORKLOAD = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team}
spec:
  template:
    spec:
      serviceAccountName: boss
      containers: [{name: c, image: x}]
`;
const TOKEN_SECRET = `
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata: {name: boss-token, namespace: team, annotations: {kubernetes.io/service-account.name: boss}}
data: {token: c2VjcmV0}
`;
const doc = (...parts: string[]) => parts.join('\n---\n');

const mallory: Identity = { kind: 'User', name: 'mallory' };
const cases: EscalationCase[] = [
  { name: 'direct cluster-admin binding', yaml: doc(grant('- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}')), goal: 'cluster-admin', facts: [0] },
  // `*` through a RoleBinding also covers the Namespace object itself (its requests carry the namespace name).
  { name: 'wildcards in a RoleBinding are not cluster-admin directly: they relabel their own namespace', yaml: doc(grant('- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}', 'team'), PSA('team')), goal: 'cluster-admin', facts: [17, 7] },
  { name: 'wildcard resources with only read verbs in a RoleBinding: no path', yaml: doc(grant('- {apiGroups: ["*"], resources: ["pods", "configmaps"], verbs: ["get", "list"]}', 'team'), PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'system:masters membership', yaml: '', subject: { kind: 'Group', name: 'system:masters' }, goal: 'cluster-admin', facts: [0], action: 'system:masters' },
  { name: 'fact 1: escalate + update clusterroles', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}'), goal: 'cluster-admin', facts: [1] },
  { name: 'fact 1: escalate without update is not enough', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}'), goal: 'cluster-admin', facts: null },
  { name: 'fact 2: bind + create clusterrolebindings', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}'), goal: 'cluster-admin', facts: [2] },
  { name: 'fact 2: bind limited by resourceNames to another role', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [view]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}'), goal: 'cluster-admin', facts: null },
  { name: 'fact 3: create clusterrolebindings without bind is not a path', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}'), goal: 'cluster-admin', facts: null },
  { name: 'fact 2 (namespaced): bind admin + create rolebindings, then run as an SA', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [admin]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [2, 0] },
  { name: 'fact 4: impersonate system:masters', yaml: grant('- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: ["system:masters"]}'), goal: 'cluster-admin', facts: [4] },
  { name: 'fact 4: impersonate a user bound to cluster-admin', yaml: doc(grant('- {apiGroups: [""], resources: [users], verbs: [impersonate]}'), `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: root}\nsubjects: [{kind: User, name: root}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}`), goal: 'cluster-admin', facts: [4, 0], action: 'impersonate user root' },
  // "Impersonate any user" (above) and "any group" go through one shared node; the reported step still names the target.
  { name: 'fact 4: impersonate any group: system:masters in one step, ahead of the group bound to cluster-admin', yaml: doc(grant('- {apiGroups: [""], resources: [groups], verbs: [impersonate]}'), `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops}\nsubjects: [{kind: Group, name: ops-admins}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}`), goal: 'cluster-admin', facts: [4], action: 'impersonate group system:masters' },
  { name: 'fact 4: impersonate a group bound to cluster-admin', yaml: doc(grant('- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [ops-admins]}'), `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops}\nsubjects: [{kind: Group, name: ops-admins}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}`), goal: 'cluster-admin', facts: [4, 0], action: 'impersonate group ops-admins' },
  { name: 'fact 4: impersonation limited to another group', yaml: doc(grant('- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [viewers]}'), `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops}\nsubjects: [{kind: Group, name: ops-admins}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}`), goal: 'cluster-admin', facts: null },
  { name: 'fact 4: impersonate a service account', yaml: doc(grant('- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate], resourceNames: [boss]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [4, 0] },
  { name: 'fact 5: create pods -> service account -> cluster-admin', yaml: doc(grant('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [5, 0], action: 'create pods in namespace team to run a pod as service account team/boss' },
  { name: 'fact 5: a pod controller (cronjobs) counts', yaml: doc(grant('- {apiGroups: [batch], resources: [cronjobs], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [5, 0] },
  { name: 'fact 5: patching a controller counts', yaml: doc(grant('- {apiGroups: [apps], resources: [daemonsets], verbs: [patch]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [5, 0], action: 'rewrite the pod template of daemonsets' },
  { name: 'fact 5: pods in another namespace do not reach the SA', yaml: doc(grant('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'other'), ADMIN_SA, PSA('team'), PSA('other')), goal: 'cluster-admin', facts: null },
  { name: 'fact 6: create pods without Pod Security -> node root', yaml: grant('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'team'), goal: 'nodes', facts: [6] },
  { name: 'fact 6: Pod Security baseline closes it', yaml: doc(grant('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'team'), PSA('team')), goal: 'nodes', facts: null },
  { name: 'fact 6 + 7: node root -> cluster-admin', yaml: grant('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'team'), goal: 'cluster-admin', facts: [6, 7] },
  { name: 'fact 8: read all secrets cluster-wide', yaml: grant('- {apiGroups: [""], resources: [secrets], verbs: [list]}'), goal: 'secrets', facts: [8] },
  { name: 'fact 8: read a legacy token secret -> its SA', yaml: doc(grant('- {apiGroups: [""], resources: [secrets], verbs: [get]}', 'team'), ADMIN_SA, TOKEN_SECRET, PSA('team')), goal: 'cluster-admin', facts: [8, 0], action: 'boss-token' },
  { name: 'fact 9: serviceaccounts/token create', yaml: doc(grant('- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [9, 0] },
  { name: 'fact 9: token create limited to another SA', yaml: doc(grant('- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [builder]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 10: create secrets -> token for an SA', yaml: doc(grant('- {apiGroups: [""], resources: [secrets], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [10, 0] },
  { name: 'fact 11: exec into a pod that runs as the SA', yaml: doc(grant('- {apiGroups: [""], resources: [pods/exec], verbs: [create]}', 'team'), ADMIN_SA, WORKLOAD, PSA('team')), goal: 'cluster-admin', facts: [11, 0], action: 'exec (pods/exec) into Deployment/api in namespace team' },
  { name: 'fact 11: exec with no workload of that SA', yaml: doc(grant('- {apiGroups: [""], resources: [pods/exec], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 11: attach via get (older clients)', yaml: doc(grant('- {apiGroups: [""], resources: [pods/attach], verbs: [get]}', 'team'), ADMIN_SA, WORKLOAD, PSA('team')), goal: 'cluster-admin', facts: [11, 0] },
  { name: 'fact 12: ephemeral containers', yaml: doc(grant('- {apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}', 'team'), ADMIN_SA, WORKLOAD, PSA('team')), goal: 'cluster-admin', facts: [12, 0] },
  { name: 'fact 13: nodes/proxy', yaml: grant('- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}'), goal: 'nodes', facts: [13] },
  { name: 'fact 13: nodes/* is not a wildcard', yaml: grant('- {apiGroups: [""], resources: ["nodes/*"], verbs: [get]}'), goal: 'nodes', facts: null },
  { name: 'fact 14: CSR create + approval + approve signer', yaml: grant('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}\n- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}\n- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: ["kubernetes.io/kube-apiserver-client"]}'), goal: 'cluster-admin', facts: [14] },
  { name: 'fact 14: approval without the signer is not enough', yaml: grant('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}\n- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}'), goal: 'cluster-admin', facts: null },
  { name: 'fact 15: mutating webhook -> node root', yaml: grant('- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}'), goal: 'nodes', facts: [15] },
  { name: 'fact 15: validating webhook -> secrets', yaml: grant('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [patch]}'), goal: 'secrets', facts: [15] },
  // A hostPath PersistentVolume reaches the node only through a pod that mounts it.
  { name: 'fact 16: persistentvolumes create + pods in a Pod Security namespace -> node root', yaml: doc(grant('- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}'), grant('- {apiGroups: [""], resources: [pods, persistentvolumeclaims], verbs: [create]}', 'team').replace(/name: r\b/g, 'name: r2').replace(/name: b\b/, 'name: b2'), PSA('team')), goal: 'nodes', facts: [16] },
  { name: 'fact 16 negative: persistentvolumes create without pod creation is no path', yaml: grant('- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}'), goal: 'nodes', facts: null },
  // Facts 1 and 2 inside a namespace: give itself pod creation through RBAC writes there.
  { name: 'fact 1 (namespaced): escalate + update the Role bound to it, then run a pod as an SA', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, update]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [1, 0], action: 'escalate + update Role team/r' },
  { name: 'fact 1 (namespaced): escalate + update limited by resourceNames to its own Role', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, update], resourceNames: [r]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [1, 0] },
  { name: 'fact 1 (namespaced) negative: escalate + update on another Role only', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, update], resourceNames: [other]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 1 (namespaced) negative: update without escalate', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [update, patch]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 1 (namespaced): escalate + update roles cluster-wide reach a Role bound to it in a namespace', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, patch]}'), grant('- {apiGroups: [""], resources: [configmaps], verbs: [get]}', 'team').replace(/name: r\b/g, 'name: r2').replace(/name: b\b/, 'name: b2'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [1, 0], action: 'Role team/r2' },
  { name: 'fact 2 (namespaced): bind a named Role that creates pods + create rolebindings', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind], resourceNames: [deployer]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}', 'team'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: deployer, namespace: team}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [create]}]', ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [2, 0], action: 'bind Role deployer' },
  { name: 'fact 2 (namespaced) negative: the Role it can bind runs no pods', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind], resourceNames: [reader]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}', 'team'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: team}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]', ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 2 (namespaced): bind on any ClusterRole (wildcard) + create rolebindings', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: [2, 0], action: 'bind ClusterRole cluster-admin' },
  { name: 'fact 2 (namespaced) negative: bind without create rolebindings', yaml: doc(grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, clusterroles], verbs: [bind]}', 'team'), ADMIN_SA, PSA('team')), goal: 'cluster-admin', facts: null },
  { name: 'fact 1: escalate + update limited to the ClusterRole bound to it cluster-wide', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update], resourceNames: [r]}'), goal: 'cluster-admin', facts: [1] },
  { name: 'fact 1 negative: escalate + update limited to a ClusterRole not bound to it', yaml: grant('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update], resourceNames: [other]}'), goal: 'cluster-admin', facts: null },
  // Broad groups are expanded once: a binding to every service account gives each of them its steps.
  { name: 'every service account: create pods through a binding to system:serviceaccounts', yaml: doc(grantTo('- {apiGroups: [""], resources: [pods], verbs: [create]}', 'team', 'x').replace('{kind: User, name: x}', '{kind: Group, name: "system:serviceaccounts"}'), ADMIN_SA, PSA('team')), subject: { kind: 'ServiceAccount', name: 'web', namespace: 'team' }, goal: 'cluster-admin', facts: [5, 0], action: 'create pods in namespace team' },
  { name: 'fact 17: relabel a protected namespace, then privileged pods', yaml: doc(grant('- {apiGroups: [""], resources: [pods], verbs: [create]}\n- {apiGroups: [""], resources: [namespaces], verbs: [patch], resourceNames: [team]}', 'team'), PSA('team', 'restricted')), goal: 'nodes', facts: [17] },
  { name: 'implicit group: a binding to system:serviceaccounts:team gives every SA of team', yaml: doc(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: all-team}\nsubjects: [{kind: Group, name: "system:serviceaccounts:team"}]\nroleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}`), subject: { kind: 'ServiceAccount', name: 'default', namespace: 'team' }, goal: 'cluster-admin', facts: [0] },
];

let defaults: Resource[] = [];
before(async () => {
  defaults = (await loadRbacDefaults()).resources;
});

escalationTable(cases, () => defaults);

test('escalation: the fixture chain is 3 steps: pod-create -> service account -> (exec) -> service account -> cluster-admin', () => {
  const g = graphOf(readFileSync('test/fixtures/rbac/chain.yaml', 'utf8'), defaults);
  const p = g.shortestPath(mallory, 'cluster-admin');
  assert.equal(p, undefined, 'mallory is not in the fixture');
  const alice = g.shortestPath({ kind: 'User', name: 'alice' }, 'cluster-admin');
  assert.ok(alice);
  assert.deepEqual(
    alice.steps.map((s) => [s.fact, s.to.kind === 'Goal' ? s.to.name : s.to.kind === 'Cap' ? 'cap' : `${s.to.kind}:${'namespace' in s.to ? s.to.namespace : ''}/${s.to.name}`, s.via.map((v) => `${v.bindingKind}/${v.binding}->${v.roleKind}/${v.role}`).join()]),
    [
      [5, 'ServiceAccount:apps/runner', 'RoleBinding/alice-deploys->Role/deployer'],
      [11, 'ServiceAccount:ops/admin-sa', 'RoleBinding/runner-debugs-ops->Role/debugger'],
      [0, 'cluster-admin', 'ClusterRoleBinding/ops-admin->ClusterRole/cluster-admin'],
    ],
  );
  // The default listing starts from the input's subjects; the bootstrap ones are left out.
  const all = g.paths(['cluster-admin']);
  assert.deepEqual(all.map((x) => `${x.subject.kind}:${x.subject.name}:${x.steps.length}`), ['ServiceAccount:admin-sa:1', 'ServiceAccount:runner:2', 'User:alice:3']);
});

test('escalation: token Secrets are used by name only; their data never appears in a path', () => {
  const g = graphOf(doc(grant('- {apiGroups: [""], resources: [secrets], verbs: [get]}', 'team'), ADMIN_SA, TOKEN_SECRET, PSA('team')), defaults);
  const all = JSON.stringify(g.paths(['cluster-admin', 'secrets', 'nodes'], [mallory]));
  assert.ok(all.includes('boss-token'));
  assert.ok(!all.includes('c2VjcmV0') && !all.includes('secret"'), 'no Secret data in paths');
});

test('escalation: hostile field types never throw', () => {
  const hostile = [
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a, labels: []}\naggregationRule: "x"\nrules: 7\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: b}\naggregationRule: {clusterRoleSelectors: [3, {matchLabels: []}, {matchExpressions: [{key: 1}]}]}\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: c}\nroleRef: {kind: 5, name: []}\nsubjects: [1, null, {kind: User}]\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: d, namespace: x}\nroleRef: {kind: ClusterRole, name: b}\nsubjects: {kind: User, name: u}\n',
    'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata: {name: s, annotations: {kubernetes.io/service-account.name: 7}}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: x}\nspec: {template: {spec: {serviceAccountName: [1], containers: "x"}}}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {pod-security.kubernetes.io/enforce: 3}}\n',
  ].join('---\n');
  const g = graphOf(hostile, defaults);
  assert.doesNotThrow(() => g.paths(['cluster-admin', 'secrets', 'nodes']));
  assert.doesNotThrow(() => g.index.whoCan({ kind: 'resource', verb: 'get', namespace: 'x', apiGroup: '', resource: 'pods', subresource: '', name: '' }));
});
