// `webhook serve --cluster`: the cluster's own ValidatingAdmissionPolicies arrive with the watched
// context, are compiled when the snapshot is rebuilt (not per request, and again only when one
// changed), and are evaluated with the --policies files' (a file policy replaces the cluster's of
// the same name). A policy whose params the context does not watch is left out and logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit, type Admitter } from '../../src/fronts/webhook/admit.js';
import { WatchedContext, type WatchedCollection } from '../../src/fronts/webhook/watched-context.js';
import { optionalPolicyCollection, withClusterPolicies } from '../../src/fronts/webhook/vap.js';
import { ApiError } from '../../src/input/cluster/client.js';
import { webhookPolicy } from '../../src/fronts/webhook/policy.js';
import { parseAdmissionReview } from '../../src/input/admission.js';
import { emptyConfig } from '../../src/engine/config.js';
import { loadText } from '../../src/input/files.js';
import { loadPolicies } from '../../src/analyses/vap/policy.js';
import type { Resource } from '../../src/model/types.js';
import { review } from '../support/admission.js';

const CLUSTER_POLICIES = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}]
  validations:
    - expression: "object.spec.replicas <= 3"
      message: at most 3 replicas (cluster policy)
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas}
spec: {policyName: max-replicas, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: limit-from-configmap}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations: [{expression: "object.spec.replicas <= int(params.data.max)"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: limit-from-configmap}
spec: {policyName: limit-from-configmap, validationActions: [Deny], paramRef: {name: limits, parameterNotFoundAction: Deny}}
`;
const FILE_POLICY = CLUSTER_POLICIES.split('\n---\n')[0]!.replace('<= 3', '<= 10').replace('(cluster policy)', '(file policy)');

class Fixed implements WatchedCollection {
  constructor(private readonly items: Resource[]) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  all(): Resource[] {
    return this.items;
  }
  brokenSince(): number | undefined {
    return undefined;
  }
}

const deployment = (replicas: number) => {
  const p = parseAdmissionReview(JSON.stringify(review({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' }, spec: { replicas } })));
  assert.ok(p.ok);
  return p.request;
};

test("webhook --cluster: the cluster's own policies are evaluated; params not watched are logged and left out", async () => {
  const logs: Record<string, unknown>[] = [];
  const log = (e: Record<string, unknown>) => void logs.push(e);
  const vaps = loadText(CLUSTER_POLICIES, 'cluster').resources;
  const watched = new WatchedContext({ collections: [new Fixed(vaps)], maxAgeMs: 60_000, log, prepare: (c) => withClusterPolicies(c, new Set(['Namespace', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']), log) });
  await watched.start();
  try {
    const admitter: Admitter = { rules: [], config: emptyConfig(), policy: webhookPolicy(undefined), settings: { rbac: { defaults: false } } };
    const denied = admit(admitter, watched.current(), deployment(5));
    assert.equal(denied.response.allowed, false);
    assert.match(denied.response.status!.message, /\[vap\/max-replicas\] .*at most 3 replicas \(cluster policy\)/);
    // the ConfigMap-params policy would deny everything for want of params the webhook never reads
    assert.doesNotMatch(denied.response.status!.message, /limit-from-configmap/);
    assert.equal(admit(admitter, watched.current(), deployment(2)).response.allowed, true);
    assert.ok(logs.some((l) => l.policy === 'limit-from-configmap' && l.paramKind === 'ConfigMap'), JSON.stringify(logs));
    // compiled once per change of the policies, not per rebuild
    const before = watched.current().policies;
    watched.rebuild();
    assert.equal(watched.current().policies, before);
    assert.equal(logs.filter((l) => l.policy === 'limit-from-configmap').length, 1);
    // a --policies file's version replaces the cluster's, bound by both bindings
    const files = loadPolicies(loadText(`${FILE_POLICY}\n---\n${CLUSTER_POLICIES.split('\n---\n')[1]}`, 'file.yaml').resources);
    assert.deepEqual(files.errors, []);
    const withFile = admit({ ...admitter, policies: files }, watched.current(), deployment(5));
    assert.equal(withFile.response.allowed, true, JSON.stringify(withFile.response));
    const big = admit({ ...admitter, policies: files }, watched.current(), deployment(11));
    assert.match(big.response.status!.message, /at most 3 replicas \(file policy\)/);
  } finally {
    await watched.stop();
  }
});

test('webhook --cluster: a cluster policy that does not compile is logged and not evaluated; no policies, no change', () => {
  const logs: Record<string, unknown>[] = [];
  const broken = loadText(CLUSTER_POLICIES.replace('object.spec.replicas <= 3', 'object.spec.replicas <='), 'cluster').resources;
  const ctx = withClusterPolicies({ resources: broken, index: undefined as never }, new Set(['ConfigMap']), (e) => void logs.push(e));
  assert.equal(ctx.policies!.policies.get('max-replicas')!.broken, true);
  assert.match(String((logs[0]!.errors as string[])[0]), /max-replicas \/spec\/validations\/0\/expression: syntax error/);
  const none = { resources: loadText('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n', 'ns').resources, index: undefined as never };
  assert.equal(withClusterPolicies(none, new Set()), none);
});

test('webhook --cluster: policy kinds it may not list are logged and left out; the start does not fail', async () => {
  const logs: Record<string, unknown>[] = [];
  const log = (e: Record<string, unknown>) => void logs.push(e);
  const forbidden: WatchedCollection = {
    start: () => Promise.reject(new ApiError('validatingadmissionpolicies is forbidden', 403, 'Forbidden', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies')),
    stop: () => Promise.reject(new Error('never started')),
    all: () => assert.fail('not read'),
    brokenSince: () => 0,
  };
  const ns = loadText('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n', 'ns').resources;
  const watched = new WatchedContext({ collections: [new Fixed(ns), optionalPolicyCollection(forbidden, 'ValidatingAdmissionPolicy', log)], maxAgeMs: 60_000, log });
  await watched.start();
  assert.equal(watched.ready(), true);
  assert.equal(watched.current().resources.length, 1);
  assert.deepEqual(logs.map((l) => [l.level, l.kind, l.status]), [['warn', 'ValidatingAdmissionPolicy', 403]]);
  await watched.stop();
  // any other failure still fails the start (fail closed)
  const broken: WatchedCollection = { ...forbidden, start: () => Promise.reject(new ApiError('boom', 500, 'InternalError', '/x')) };
  await assert.rejects(new WatchedContext({ collections: [optionalPolicyCollection(broken, 'ValidatingAdmissionPolicy', log)], maxAgeMs: 1 }).start(), /boom/);
});
