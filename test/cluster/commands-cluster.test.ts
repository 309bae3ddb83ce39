// pss, rbac and netpol read the live cluster with --cluster, through the same analyses as files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentWithPods, ns, pod, rampart, startCluster, type ClusterFixture } from '../support/cluster.js';

let fx: ClusterFixture;
before(async () => {
  fx = await startCluster((s) => {
    s.add(ns('shop', { 'pod-security.kubernetes.io/enforce': 'restricted' }), ns('web'));
    s.add(pod('shop', 'debug', { spec: { hostPID: true } }));
    s.add(...deploymentWithPods('web', 'front', 2));
    s.add(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ci-reads-secrets' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'web' }] },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    );
  });
});
after(async () => fx?.close());

const live = () => ['--cluster', '--kubeconfig', fx.kubeconfig.token, '--no-kubelet-config'];

test('pss --cluster --from-namespaces uses the namespaces\' real enforce labels', async () => {
  const r = await rampart(['pss', ...live(), '--from-namespaces', '-o', 'json', '--no-config']);
  assert.equal(r.status, 1, r.stderr);
  const rep = JSON.parse(r.stdout) as { results: { resource: { name: string }; allowed: boolean; level?: string }[]; cluster: { context: string } };
  const debug = rep.results.find((x) => x.resource.name === 'debug')!;
  assert.equal(debug.allowed, false);
  assert.equal(rep.cluster.context, 'test');
});

test('rbac who-can --cluster answers from the live RBAC objects', async () => {
  const r = await rampart(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', ...live(), '-o', 'json', '--no-config']);
  assert.equal(r.status, 0, r.stderr);
  const subjects = (JSON.parse(r.stdout) as { subjects: { kind: string; name: string }[] }).subjects;
  assert.ok(subjects.some((s) => s.kind === 'ServiceAccount' && s.name === 'ci'), JSON.stringify(subjects));
});

test('netpol reach --cluster evaluates the live policies', async () => {
  const r = await rampart(['netpol', 'reach', '--from', 'web/front', '--to', 'shop/debug', ...live(), '-o', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout) as { allowed: boolean; ingress: { selectedBy: string[] } };
  assert.equal(a.allowed, false);
  assert.deepEqual(a.ingress.selectedBy, ['shop/deny-all']);
});

test('a forbidden kind makes netpol and rbac incomplete (exit 2) and says which', async () => {
  fx.server.forbidden.add('networkpolicies');
  fx.server.forbidden.add('clusterrolebindings');
  try {
    const n = await rampart(['netpol', 'reach', '--from', 'web/front', '--to', 'shop/debug', ...live(), '-o', 'json']);
    assert.equal(n.status, 2);
    assert.match(n.stdout, /NetworkPolicy \(networking\.k8s\.io\/v1 networkpolicies\) forbidden/);
    const b = await rampart(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', ...live(), '-o', 'json', '--no-config']);
    assert.equal(b.status, 2);
    assert.match(b.stdout, /ClusterRoleBinding .* forbidden/);
  } finally {
    fx.server.forbidden.delete('networkpolicies');
    fx.server.forbidden.delete('clusterrolebindings');
  }
});
