// A scan's worlds share the bootstrap roles' objects, and what is learnt about a role is kept for every
// world: the aggregated ClusterRoles (reused while the same roles are selected) and what the escalation
// graph learns about a role. Worlds over shared objects, in turn with and without what changes the answer,
// give the answers of worlds over fresh objects.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { resourcesOf } from './testing.js';
import { RbacIndex } from './authorizer.js';
import { mergePolicies, policyFromResources, type Policy } from './policy.js';
import { clusterFactsFrom } from './facts.js';
import { EscalationGraph, GOALS } from './escalation.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

// Writes Argo CD Applications in argocd: a step (fact 22) only where the Argo CD controller's account is.
const SHARED = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: app-writer}
rules: [{apiGroups: [argoproj.io], resources: [applications], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: mallory-apps, namespace: argocd}
subjects: [{kind: User, name: mallory}]
roleRef: {kind: ClusterRole, name: app-writer, apiGroup: rbac.authorization.k8s.io}
`;
const WITH_ARGO = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: argocd-application-controller, namespace: argocd}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: argocd-admin}
subjects: [{kind: ServiceAccount, name: argocd-application-controller, namespace: argocd}]
roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
`;
const WITHOUT_ARGO = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: argocd}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: build, namespace: argocd}
spec: {template: {spec: {serviceAccountName: builder, containers: [{name: c, image: x}]}}}
`;

// A ClusterRole aggregated into admin (and, through admin's own labels, nowhere else).
const AGGREGATED_EXTRA = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widgets-admin, labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: ["*"]}]
`;

let defaults: Resource[] = [];
before(async () => {
  defaults = (await loadRbacDefaults()).resources;
});

function pathsOf(shared: Policy, own: Resource[]): string {
  const policy = mergePolicies(shared, policyFromResources(own));
  const g = new EscalationGraph(new RbacIndex(policy), clusterFactsFrom(own, policy));
  return JSON.stringify(g.paths(GOALS).map((p) => ({ subject: p.subject, goal: p.goal, cost: p.cost, steps: p.steps.map((s) => [s.fact, s.action, s.via]) })));
}

test('escalation: role answers shared between graphs give the paths of fresh roles, operators or not', () => {
  const sharedPolicy = mergePolicies(policyFromResources(defaults), policyFromResources(resourcesOf(SHARED)));
  // Role objects are made anew by each policyFromResources: nothing is known about them yet.
  const fresh = (world: string) => pathsOf(mergePolicies(policyFromResources(defaults), policyFromResources(resourcesOf(SHARED))), resourcesOf(world));
  const expected = { with: fresh(WITH_ARGO), without: fresh(WITHOUT_ARGO) };
  assert.ok(expected.with.includes('Argo CD'), 'the operator step is found where the controller is');
  assert.ok(!expected.without.includes('Argo CD'));
  let compared = 0;
  for (const world of ['without', 'with', 'without', 'with', 'with', 'without'] as const) {
    assert.equal(pathsOf(sharedPolicy, resourcesOf(world === 'with' ? WITH_ARGO : WITHOUT_ARGO)), expected[world], `graph ${compared + 1} (${world} Argo CD)`);
    compared++;
  }
  console.log(`shared role answers: ${compared} graphs in turn with and without an operator, paths equal to fresh roles' (${expected.with.length} / ${expected.without.length} chars)`);
});

test('aggregation: worlds over shared roles get the aggregated roles of fresh ones, and share them while the selection is the same', () => {
  const shared = policyFromResources(defaults);
  const aggregatedOf = (index: RbacIndex) => [...index.roles.values()].filter((r) => r.aggregation);
  const indexOf = (policy: Policy, world: string) => new RbacIndex(mergePolicies(policy, policyFromResources(resourcesOf(world))));
  const plain = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n';
  const worlds = [plain, AGGREGATED_EXTRA, plain, plain, AGGREGATED_EXTRA];
  let compared = 0;
  const plainAdmins = new Set<unknown>();
  for (const world of worlds) {
    const got = indexOf(shared, world);
    const want = indexOf(policyFromResources(defaults), world);
    const aggregated = aggregatedOf(got);
    assert.ok(aggregated.length > 0);
    assert.deepEqual(aggregated, aggregatedOf(want));
    compared += aggregated.length;
    const admin = got.roles.get('ClusterRole//admin')!;
    assert.equal(admin.rules.some((r) => r.resources.includes('widgets')), world === AGGREGATED_EXTRA);
    if (world === plain) plainAdmins.add(admin);
  }
  assert.equal(plainAdmins.size, 1, 'worlds that add no aggregated rules share one admin role');
  console.log(`aggregation over shared roles: ${worlds.length} worlds, ${compared} aggregated roles equal to fresh ones'`);
});
