// The engine's hot objects keep one V8 object shape ("map") whatever path made them: the matchers and
// the escalation graph run millions of times per large scan, and a second shape met after they were
// optimised deoptimised them (verbMatches, apiGroupMatches, ruleAt at 4x the corpus). A later change
// that builds one of these objects with a spread or a conditional field fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { aggregate, CLUSTER_ADMIN_RULES, RbacIndex, roleKey } from './authorizer.js';
import { policyFromResources } from './policy.js';
import { resourcesOf } from './testing.js';

// V8's own test: true when both objects have the same hidden class. Natives syntax is read when the
// function is compiled, so the flag is set first (it changes nothing else this process does).
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const WORLD = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg, labels: {}}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {part: "yes"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: part, labels: {part: "yes"}}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get], resourceNames: [a]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: dev}
subjects: [{kind: ServiceAccount, name: sa, namespace: dev}, {kind: User, name: alice}]
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: [{kind: Group, name: devs}]
roleRef: {kind: ClusterRole, name: agg, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-less}
`;

test('RBAC rules, roles, bindings and subjects have one shape however they were made', () => {
  const resources = resourcesOf(WORLD);
  const policy = policyFromResources(resources);
  const byName = new Map(policy.roles.map((r) => [r.name, r]));
  const agg = aggregate(policy.roles).find((r) => r.name === 'agg')!;
  const part = byName.get('part')!;
  const reader = byName.get('reader')!;
  assert.equal(agg.rules[0]!.from, 'part', 'the aggregated copy names its source');
  assert.ok(sameMap(part.rules[0]!, agg.rules[0]!), 'parsed rule vs aggregated copy');
  assert.ok(sameMap(part.rules[0]!, CLUSTER_ADMIN_RULES[0]!), 'parsed rule vs the assumed cluster-admin rule');
  assert.ok(sameMap(part, reader), 'ClusterRole vs Role');
  assert.ok(sameMap(part, agg), 'ClusterRole vs aggregated ClusterRole');
  assert.ok(sameMap(byName.get('agg')!, reader), 'aggregating ClusterRole vs Role');
  const assumed = new RbacIndex({ roles: [], bindings: [], issues: [] }).roles.get(roleKey('ClusterRole', 'cluster-admin'))!;
  assert.ok(sameMap(part, assumed), 'ClusterRole vs the assumed cluster-admin');
  const [rb, crb] = policy.bindings;
  assert.ok(sameMap(rb!, crb!), 'RoleBinding vs ClusterRoleBinding');
  const [sa, alice] = rb!.subjects;
  assert.ok(sameMap(sa!, alice!), 'subject with and without a namespace');
  const cm = resources.find((r) => r.kind === 'ConfigMap')!;
  assert.ok(sameMap(cm, reader.resource!), 'resource with and without a namespace');
});
