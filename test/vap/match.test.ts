// matchConstraints semantics: resources with subresources and `*`, exclusions, scope, selectors,
// matchPolicy Equivalent vs Exact, and the operation (CREATE vs UPDATE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../src/input/files.js';
import { loadPolicies } from '../../src/analyses/vap/policy.js';
import { evaluateRequest, requestFor, resourceOf, type VapRequest } from '../../src/analyses/vap/evaluate.js';
import type { Resource } from '../../src/model/types.js';

/** A policy that fails every object it matches, so "matched" = "one violation". */
function policy(match: string, binding = ''): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
${match}
  validations: [{expression: "false", message: "matched"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: b}
spec:
  policyName: p
  validationActions: [Deny]
${binding}`;
}

const NS = loadText('apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {tier: prod}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: dev, labels: {tier: dev}}\n', 'ns.yaml').resources;
const user = { username: 'u', groups: [] };

function matched(policyYaml: string, req: Partial<VapRequest> & { object?: VapRequest['object'] }): boolean {
  const loaded = loadPolicies(loadText(policyYaml, 'p.yaml').resources);
  assert.deepEqual(loaded.errors, []);
  const full: VapRequest = { operation: 'CREATE', group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', subResource: '', name: 'd', namespace: 'prod', object: { metadata: { name: 'd', labels: { app: 'web' } } }, oldObject: null, userInfo: user, dryRun: false, ...req };
  const out = evaluateRequest(loaded, full, { resources: NS, authorize: () => false });
  assert.deepEqual(out.problems, []);
  return out.violations.length === 1;
}

const rule = (r: string) => `    resourceRules:\n      - ${r}`;

test('resources: exact, *, subresources', () => {
  const any = '{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}';
  assert.ok(matched(policy(rule(any)), {}));
  assert.ok(!matched(policy(rule(any)), { subResource: 'scale' }), '* does not match subresources');
  assert.ok(matched(policy(rule('{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*/scale"]}')), { subResource: 'scale' }));
  assert.ok(matched(policy(rule('{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["deployments/*"]}')), { subResource: 'status' }));
  assert.ok(!matched(policy(rule('{apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}')), {}));
  assert.ok(!matched(policy(rule('{apiGroups: ["apps"], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["deployments"]}')), {}), 'operation');
  assert.ok(matched(policy(rule('{apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"], resourceNames: ["d"]}')), {}));
  assert.ok(!matched(policy(rule('{apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"], resourceNames: ["x"]}')), {}));
  assert.ok(!matched(policy(rule('{apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"], scope: Cluster}')), {}));
});

test('excludeResourceRules, objectSelector, namespaceSelector', () => {
  const base = rule('{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}');
  assert.ok(!matched(policy(`${base}\n    excludeResourceRules:\n      - {apiGroups: ["apps"], apiVersions: ["*"], operations: ["*"], resources: ["deployments"]}`), {}));
  assert.ok(matched(policy(`${base}\n    objectSelector: {matchLabels: {app: web}}`), {}));
  assert.ok(!matched(policy(`${base}\n    objectSelector: {matchLabels: {app: db}}`), {}));
  assert.ok(matched(policy(`${base}\n    namespaceSelector: {matchLabels: {tier: prod}}`), {}));
  assert.ok(!matched(policy(`${base}\n    namespaceSelector: {matchLabels: {tier: prod}}`), { namespace: 'dev' }));
  assert.ok(matched(policy(`${base}\n    namespaceSelector: {matchLabels: {tier: prod}}`), { namespace: '', resource: 'clusterroles', group: 'rbac.authorization.k8s.io' }), 'cluster-scoped objects are not excluded');
  // The binding narrows with its own selectors.
  assert.ok(!matched(policy(base, '  matchResources: {namespaceSelector: {matchLabels: {tier: dev}}}'), {}));
  assert.ok(matched(policy(base, '  matchResources: {namespaceSelector: {matchLabels: {tier: dev}}}'), { namespace: 'dev' }));
});

test('matchPolicy Equivalent matches another version or the old group; Exact does not', () => {
  const r = rule('{apiGroups: ["extensions"], apiVersions: ["v1beta1"], operations: ["CREATE"], resources: ["deployments"]}');
  assert.ok(matched(policy(r), {}));
  assert.ok(!matched(policy(`${r}\n    matchPolicy: Exact`), {}));
  const v2 = rule('{apiGroups: ["apps"], apiVersions: ["v1beta2"], operations: ["CREATE"], resources: ["deployments"]}');
  assert.ok(matched(policy(v2), {}));
  assert.ok(!matched(policy(`${v2}\n    matchPolicy: Exact`), {}));
});

test('a scanned object is a CREATE, an UPDATE with its old version; plural resource names', () => {
  const [d] = loadText('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n', 'd.yaml').resources as [Resource];
  assert.equal(requestFor(d, user).operation, 'CREATE');
  assert.equal(requestFor(d, user).namespace, 'default');
  assert.equal(requestFor(d, user, { metadata: {} }).operation, 'UPDATE');
  assert.deepEqual(['NetworkPolicy', 'Ingress', 'Endpoints', 'StorageClass', 'Pod', 'Gateway'].map(resourceOf), ['networkpolicies', 'ingresses', 'endpoints', 'storageclasses', 'pods', 'gateways']);
});
