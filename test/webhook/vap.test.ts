// The webhook evaluates the same ValidatingAdmissionPolicies as `scan --policies`, with the real
// request's operation, oldObject and userInfo (the authorizer asks RBAC about the real requester).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { admit, contextOf, type Admitter } from '../../src/fronts/webhook/admit.js';
import { webhookPolicy } from '../../src/fronts/webhook/policy.js';
import { parseAdmissionReview, type AdmissionRequest } from '../../src/input/admission.js';
import { emptyConfig } from '../../src/engine/config.js';
import { loadText } from '../../src/input/files.js';
import { loadPolicies } from '../../src/analyses/vap/policy.js';
import { review, type ReviewOptions } from '../support/admission.js';

const FIX = 'test/vap/fixtures';
const policies = loadPolicies(loadText(readFileSync(`${FIX}/realistic-policies.yaml`, 'utf8'), 'realistic-policies.yaml').resources);
// Only the VAPs: no built-in rule, so every verdict here is a policy's.
const admitter: Admitter = { rules: [], config: emptyConfig(), policy: webhookPolicy(undefined), settings: { rbac: { defaults: false } }, policies };
const context = contextOf(loadText(readFileSync(`${FIX}/realistic-objects.yaml`, 'utf8'), 'realistic-objects.yaml').resources);

function request(obj: Record<string, unknown>, o: ReviewOptions = {}): AdmissionRequest {
  const p = parseAdmissionReview(JSON.stringify(review(obj, o)));
  assert.ok(p.ok, p.ok ? '' : p.error);
  return p.request;
}

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', labels: { protected: 'true' } } };

test('Deny denies with the policy message; the authorizer asks RBAC about the real requester', () => {
  assert.deepEqual(policies.errors, []);
  const anon = admit(admitter, context, request(cm, { username: 'someone', groups: ['system:authenticated'] }));
  assert.equal(anon.response.allowed, false);
  assert.match(anon.response.status!.message, /\[vap\/protected-needs-delete-right\] .*only users allowed to delete configmaps in shop may mark one protected; someone is not/);
  const bot = admit(admitter, context, request(cm, { username: 'ci-bot', groups: ['system:authenticated'] }));
  assert.equal(bot.response.allowed, true, JSON.stringify(bot.response));
});

test('Warn is a warning; an UPDATE is judged against its oldObject (transition rule)', () => {
  const dep = (team: string, labels = true) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'lab', ...(labels ? { labels: { team, app: 'x' } } : {}) }, spec: { replicas: 1 } });
  const warned = admit(admitter, context, request(dep('a', false)));
  assert.equal(warned.response.allowed, true);
  assert.deepEqual(warned.response.warnings, ['[vap/required-labels] workloads must carry the labels team and app']);
  const moved = admit(admitter, context, request(dep('b'), { operation: 'UPDATE', oldObject: dep('a') }));
  assert.equal(moved.response.allowed, false);
  assert.match(moved.response.status!.message, /\[vap\/team-label-immutable\] \/metadata\/labels\/team: the team label cannot change \(was a\)/);
  const same = admit(admitter, context, request(dep('a'), { operation: 'UPDATE', oldObject: dep('a') }));
  assert.equal(same.response.allowed, true);
});

test('an expression error under failurePolicy Fail denies the request (fail closed)', () => {
  const loaded = loadPolicies(loadText(readFileSync(`${FIX}/hostile-policy.yaml`, 'utf8'), 'hostile-policy.yaml').resources);
  const data = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 'v']));
  const d = admit({ ...admitter, policies: loaded }, context, request({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h', namespace: 'x' }, data: { ...data, missingKey: 'x' } }));
  assert.equal(d.response.allowed, false);
  assert.match(d.response.status!.message, /\[not evaluated\] policy hostile .*cost budget of 1000000 steps exceeded/);
});

test('an expression error under failurePolicy Fail with a Warn-only binding is a warning, as the API server does', () => {
  const pol = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: needs-owner}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"]}]
  validations: [{expression: "object.data.owner != ''"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: needs-owner}
spec: {policyName: needs-owner, validationActions: [Warn]}
`;
  const d = admit({ ...admitter, policies: loadPolicies(loadText(pol, 'p.yaml').resources) }, context, request({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h', namespace: 'x' }, data: {} }));
  assert.equal(d.response.allowed, true);
  assert.match(d.response.warnings?.[0] ?? '', /^\[vap\/needs-owner\] not evaluated: policy needs-owner .*No such key: owner/);
});
