// `rampart scan --cluster`: file policies (--policies) and the cluster's own ValidatingAdmissionPolicies
// and bindings, evaluated against the live objects (the fake API server). The cluster's policies are
// found at admissionregistration.k8s.io/v1, else v1beta1; a cluster without them is clean; one whose
// role may not list them is not evaluated (exit 2); a broken cluster policy is an error located at
// the cluster object and field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { deploymentWithPods, ns, rampart, startCluster, type ClusterFixture } from '../support/cluster.js';
import type { FakeApiServer } from '../support/fake-apiserver.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/vap/scan-cluster-vap.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');

const GROUP = 'admissionregistration.k8s.io';
type Obj = Record<string, unknown>;

function serveVaps(s: FakeApiServer, version: string): void {
  s.resources.push(
    { group: GROUP, version, name: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false },
    { group: GROUP, version, name: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false },
  );
}

function vap(version: string, name: string, spec: Obj): Obj {
  return { apiVersion: `${GROUP}/${version}`, kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec };
}
function binding(version: string, name: string, spec: Obj): Obj {
  return { apiVersion: `${GROUP}/${version}`, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'], ...spec } };
}
const DEPLOYMENTS = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] };

/** The cluster's policies: a replica limit from a ConfigMap (params), bound to namespaces labelled limited=yes; a broken one; one the file replaces. */
function clusterPolicies(version: string): Obj[] {
  return [
    vap(version, 'replica-limit', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: DEPLOYMENTS,
      validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', messageExpression: "'at most ' + params.data.max + ' replicas'" }],
    }),
    binding(version, 'replica-limit', { paramRef: { name: 'replica-limit', parameterNotFoundAction: 'Deny' }, matchResources: { namespaceSelector: { matchLabels: { limited: 'yes' } } } }),
    vap(version, 'broken', { matchConstraints: DEPLOYMENTS, validations: [{ expression: 'object.spec.replicas <=' }] }),
    binding(version, 'broken', {}),
    // the cluster's version of required-labels asks for a label nothing has; the file's replaces it
    vap(version, 'required-labels', { matchConstraints: DEPLOYMENTS, validations: [{ expression: "has(object.metadata.labels) && 'never-there' in object.metadata.labels" }] }),
    binding(version, 'required-labels', {}),
  ];
}

function seedWorkloads(s: FakeApiServer): void {
  s.add(ns('shop', { limited: 'yes' }), ns('lab'));
  s.add(...deploymentWithPods('shop', 'web', 3), ...deploymentWithPods('shop', 'small', 1), ...deploymentWithPods('lab', 'big', 5));
  s.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'replica-limit', namespace: 'shop' }, data: { max: '2' } });
}

interface Report {
  findings: { ruleId: string; message: string; resource: { kind: string; namespace?: string; name: string } }[];
  errors: { file: string; message: string }[];
  skipped: { file: string; reason: string }[];
  summary: { notEvaluated: number };
  cluster: { coverage: { kind: string; version: string; status: string; read: number }[] };
}

const fixtures: Record<string, ClusterFixture> = {};
before(async () => {
  if (!built) return;
  // no VAP API at all (the fake serves none by default)
  fixtures.none = await startCluster((s) => {
    s.add(ns('shop'), ns('lab'));
    s.add(...deploymentWithPods('shop', 'web', 2));
  });
  fixtures.v1 = await startCluster((s) => {
    serveVaps(s, 'v1');
    seedWorkloads(s);
    s.add(...clusterPolicies('v1'));
  });
  // 1.28–1.29: admissionregistration v1 serves webhooks only, the policies are in v1beta1
  fixtures.beta = await startCluster((s) => {
    s.resources.push({ group: GROUP, version: 'v1', name: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false });
    serveVaps(s, 'v1beta1');
    seedWorkloads(s);
    s.add(...clusterPolicies('v1beta1').filter((o) => (o.metadata as Obj).name === 'replica-limit'));
  });
  fixtures.forbidden = await startCluster((s) => {
    serveVaps(s, 'v1');
    seedWorkloads(s);
    s.add(...clusterPolicies('v1'));
    s.forbidden.add('validatingadmissionpolicybindings');
  });
});
// RoleBindings may not be listed: the authorizer cannot trust a denial (Decision.errored()).
before(async () => {
  if (!built) return;
  fixtures.rbacHidden = await startCluster((s) => {
    s.add(ns('shop'), ns('lab'));
    s.add(...deploymentWithPods('shop', 'web', 1), ...deploymentWithPods('lab', 'tool', 1));
    s.add(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-lister' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'lab-default-lists-secrets' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-lister' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'lab' }] },
    );
    s.forbidden.add('rolebindings');
  });
});
after(async () => {
  for (const f of Object.values(fixtures)) await f.close();
});

async function scanCluster(fx: ClusterFixture, extra: string[] = []): Promise<{ status: number | null; report: Report; vap: string[] }> {
  const r = await rampart(['scan', '--cluster', '--kubeconfig', fx.kubeconfig.token, '-o', 'json', '--fail-on', 'never', '--no-config', ...extra]);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const vap = report.findings.filter((f) => f.ruleId.startsWith('vap/')).map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.namespace}/${f.resource.name}: ${f.message}`).sort();
  return { status: r.status, report, vap };
}

test('scan --cluster --policies: a live Deployment without the required labels is a vap finding (no VAP API: clean)', { skip: !built }, async () => {
  const { status, report, vap } = await scanCluster(fixtures.none!, ['--policies', 'test/vap/fixtures/realistic-policies.yaml']);
  console.log(`live cluster: ${vap.length} vap findings: ${vap.join(', ')}`);
  assert.ok(vap.some((v) => v.startsWith('vap/required-labels Deployment shop/web')), vap.join('\n'));
  // the cluster does not serve the policy kinds: named as not served, not an error
  assert.deepEqual(report.cluster.coverage.filter((c) => c.kind.startsWith('ValidatingAdmission')).map((c) => `${c.kind}:${c.status}`), ['ValidatingAdmissionPolicy:not-served', 'ValidatingAdmissionPolicyBinding:not-served']);
  assert.equal(report.summary.notEvaluated, 0);
  assert.equal(status, 0);
});

test("scan --cluster: the cluster's own VAPs are evaluated; a broken one is located at the cluster object (exit 2)", { skip: !built }, async () => {
  const { status, report, vap } = await scanCluster(fixtures.v1!);
  console.log(`cluster's own policies: ${vap.length} findings: ${vap.join(' | ')}`);
  // replica-limit: params from the cluster's ConfigMap, only in namespaces labelled limited=yes (lab/big passes)
  assert.ok(vap.includes('vap/replica-limit Deployment shop/web: at most 2 replicas'), vap.join('\n'));
  assert.ok(!vap.some((v) => v.includes('shop/small') && v.startsWith('vap/replica-limit')) && !vap.some((v) => v.includes('lab/big') && v.startsWith('vap/replica-limit')));
  // the cluster's required-labels (no file given) is evaluated as it is
  assert.equal(vap.filter((v) => v.startsWith('vap/required-labels')).length, 3);
  const broken = report.errors.find((e) => e.message.includes('broken'));
  assert.ok(broken, JSON.stringify(report.errors));
  assert.match(broken.file, /^cluster:\/\/[^/]+\/ValidatingAdmissionPolicy\/broken$/);
  assert.match(broken.message, /\/spec\/validations\/0\/expression: syntax error/);
  assert.equal(report.cluster.coverage.find((c) => c.kind === 'ValidatingAdmissionPolicy')?.read, 3);
  assert.equal(status, 2);
});

test('scan --cluster --policies: a file policy replaces the cluster policy of the same name, bound by the cluster binding', { skip: !built }, async () => {
  const { report, vap } = await scanCluster(fixtures.v1!, ['--policies', 'test/vap/fixtures/realistic-policies.yaml']);
  const labels = vap.filter((v) => v.startsWith('vap/required-labels'));
  // the file's required-labels wants team and app: the 3 Deployments have neither; it is bound twice
  // (the file's binding and the cluster's), so 3 × 2 findings, all with the file's message
  assert.equal(labels.length, 6, labels.join('\n'));
  assert.ok(labels.every((v) => v.endsWith('workloads must carry the labels team and app')), labels.join('\n'));
  assert.ok(report.skipped.some((s) => /ValidatingAdmissionPolicy required-labels is replaced by the --policies file/.test(s.reason)));
  assert.ok(vap.includes('vap/replica-limit Deployment shop/web: at most 2 replicas'));
});

test('scan --cluster: policies served at v1beta1 only are read there', { skip: !built }, async () => {
  const { status, report, vap } = await scanCluster(fixtures.beta!);
  assert.deepEqual(report.cluster.coverage.filter((c) => c.kind.startsWith('ValidatingAdmission')).map((c) => `${c.kind}:${c.version}:${c.status}`), ['ValidatingAdmissionPolicy:v1beta1:read', 'ValidatingAdmissionPolicyBinding:v1beta1:read']);
  assert.deepEqual(vap.filter((v) => v.startsWith('vap/')), ['vap/replica-limit Deployment shop/web: at most 2 replicas']);
  assert.equal(status, 0);
});

test('scan --cluster: bindings that may not be listed make the run not evaluated (exit 2), named', { skip: !built }, async () => {
  const { status, report } = await scanCluster(fixtures.forbidden!);
  const row = report.cluster.coverage.find((c) => c.kind === 'ValidatingAdmissionPolicyBinding');
  assert.equal(row?.status, 'forbidden');
  assert.ok(report.summary.notEvaluated >= 1);
  assert.ok(report.skipped.some((s) => s.reason.startsWith('ValidatingAdmissionPolicyBinding') && s.reason.includes('forbidden')), JSON.stringify(report.skipped));
  assert.equal(status, 2);
});

test('scan --cluster: where RoleBindings could not be read, a pass resting on an authorizer denial is not evaluated', { skip: !built }, async () => {
  const { report, vap } = await scanCluster(fixtures.rbacHidden!, ['--policies', 'test/vap/fixtures/sa-secrets-policy.yaml', '--allow-partial']);
  // an allow found in what was read is sound: lab's default service account may list Secrets
  assert.deepEqual(vap, ['vap/sa-cannot-list-secrets Deployment lab/tool: service account default may list Secrets in lab']);
  // shop's: no ClusterRoleBinding allows it, but a RoleBinding might: not evaluated, named
  const errs = report.errors.filter((e) => e.message.includes('sa-cannot-list-secrets')).map((e) => e.message);
  assert.equal(errs.length, 1, JSON.stringify(report.errors));
  assert.match(errs[0]!, /the authorizer could not decide \(RBAC not fully read \(RoleBinding forbidden\): a denial cannot be trusted\) and the policy does not check errored\(\), so its pass is not trusted; Deployment shop\/web .*not evaluated by this policy/);
  assert.ok(report.summary.notEvaluated >= 1);
});

test('pss --cluster does not read the policy kinds: forbidden to list them is no gap there', { skip: !built }, async () => {
  const server = fixtures.forbidden!.server;
  const from = server.requests.length;
  const r = await rampart(['pss', '--cluster', '--kubeconfig', fixtures.forbidden!.kubeconfig.token, '-o', 'json', '--no-config']);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  assert.ok(!server.requests.slice(from).some((q) => q.path.includes('validatingadmissionpolic')), 'the policy kinds are not listed');
  assert.ok(!r.stdout.includes('ValidatingAdmissionPolicy'), 'nor named');
  assert.notEqual(r.status, 2, r.stdout.slice(0, 600));
});
