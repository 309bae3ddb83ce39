// CEL semantics the policies rely on: `==` on optionals (as cel-go: equal when both are empty or both
// hold equal values; a typed comparison with a non-optional is a type error, a dyn one is false), and
// authorizer decisions that error (RBAC not fully read) — `errored()` says so and, unless the policy
// checks it, an outcome that lets the object through is not evaluated (fail closed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/analyses/vap/cel.js';
import { loadText } from '../../src/input/files.js';
import { scanPolicies } from '../../src/analyses/vap/scan.js';
import { rbacAuthorize } from '../../src/analyses/vap/rbac-authorize.js';
import { ResourceIndex } from '../../src/model/index.js';
import { runEngine } from '../../src/engine/run.js';

const run = (src: string, object: unknown = { a: 1n, l: [1n] }) => {
  const c = compile(src);
  if (!c.ok) return `compile: ${c.message}`;
  return c.program.run({ object, oldObject: null, params: null, namespaceObject: null, request: {}, variables: {}, authorizer: null });
};

test('== on optionals follows CEL: by value, none equals none, never equal to a non-optional', () => {
  const cases: [string, unknown][] = [
    ['optional.of(1) == optional.of(1)', true],
    ['optional.none() == optional.none()', true],
    ['optional.of(1) == optional.none()', false],
    ['optional.none() == optional.of(1)', false],
    ['optional.of(1) != optional.of(2)', true],
    ['optional.of(1) != optional.of(1)', false],
    ['optional.of([1, 2]) == optional.of([1, 2])', true],
    ['optional.of({"k": "v"}) == optional.of({"k": "w"})', false],
    ['optional.of(optional.of(1)) == optional.of(optional.none())', false],
    ['object.?a == optional.of(1)', true],
    ['object.?missing == optional.none()', true],
    ['object.?missing == optional.of(1)', false],
    ['[optional.of(1)] == [optional.of(1)]', true],
    ['[optional.of(1)] == [optional.of(2)]', false],
    ['optional.of(1) in [optional.none(), optional.of(1)]', true],
    ['object.l.indexOf(1) == 0 && [optional.of(1)].indexOf(optional.of(1)) == 0', true],
    // a dyn value that is not an optional is simply not equal (heterogeneous equality)
    ['dyn(optional.of(1)) == 1', false],
    ['object.a == optional.of(1)', false],
  ];
  for (const [src, want] of cases) assert.equal(run(src), want, src);
  // typed optional<int> against int: no such overload, as in cel-go (reported when the policy is read)
  assert.match(String(run('optional.of(1) == 1')), /^compile: type error: no such overload: optional<int> == int/);
  console.log(`optional equality: ${cases.length} cases as CEL specifies, typed optional == int rejected at compile`);
});

const POLICY = (validation: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: may-delete}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
  validations:
    - expression: ${JSON.stringify(validation)}
      message: requester may not delete configmaps here
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: may-delete}
spec: {policyName: may-delete, validationActions: [Deny]}
`;
const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: ci-bot}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: edit}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [delete]}]
`;

function evaluate(validation: string, user: string, incomplete?: string) {
  const objects = loadText(OBJECTS, 'objects.yaml').resources;
  const r = scanPolicies({
    policyObjects: loadText(POLICY(validation), 'policy.yaml').resources,
    resources: objects,
    old: [],
    user: { username: user, groups: [] },
    authorize: rbacAuthorize(new ResourceIndex(objects), { rbac: { defaults: false } }, incomplete),
  });
  const report = runEngine({ resources: objects, errors: [], skipped: [] }, { rules: r.rules });
  return { errors: r.errors.map((e) => e.message), findings: report.findings.filter((f) => f.ruleId === 'vap/may-delete').map((f) => f.message) };
}

test('Decision.errored(): an authorizer that cannot decide errors; a pass resting on it is not evaluated', () => {
  const check = "!authorizer.requestResource.check('delete').allowed()";
  // complete RBAC: ci-bot may delete (a finding), a stranger may not (passes)
  assert.deepEqual(evaluate(check, 'ci-bot'), { errors: [], findings: ['requester may not delete configmaps here'] });
  assert.deepEqual(evaluate(check, 'stranger'), { errors: [], findings: [] });
  // RBAC not fully read: an allow is still sound (a finding), a denial errors and the pass is not trusted
  assert.deepEqual(evaluate(check, 'ci-bot', 'RoleBinding forbidden').findings, ['requester may not delete configmaps here']);
  const denied = evaluate(check, 'stranger', 'RoleBinding forbidden');
  assert.equal(denied.findings.length, 0);
  assert.equal(denied.errors.length, 1);
  assert.match(denied.errors[0]!, /the authorizer could not decide \(RBAC not fully read \(RoleBinding forbidden\)/);
  assert.match(denied.errors[0]!, /not evaluated by this policy \(failurePolicy Fail\)/);
  // a policy that reads errored() handles the error itself: no fail-closed override
  const handled = "authorizer.requestResource.check('delete').errored() || !authorizer.requestResource.check('delete').allowed()";
  assert.deepEqual(evaluate(handled, 'stranger', 'RoleBinding forbidden'), { errors: [], findings: [] });
  assert.deepEqual(evaluate("!authorizer.requestResource.check('delete').errored()", 'stranger', 'RoleBinding forbidden').findings, ['requester may not delete configmaps here']);
  assert.deepEqual(evaluate("authorizer.requestResource.check('delete').error() == ''", 'stranger').findings, []);
  assert.deepEqual(evaluate("authorizer.requestResource.check('delete').error().contains('not fully read')", 'stranger', 'x'), { errors: [], findings: [] });
});
