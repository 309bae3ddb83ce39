// `rampart paths --cluster`: the attack graph from a live cluster's objects (the in-repo fake API server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentWithPods, ns, rampart, startCluster, type ClusterFixture } from '../support/cluster.js';

let fx: ClusterFixture;
before(async () => {
  fx = await startCluster((s) => {
    s.add(ns('shop'));
    const [dep, ...rest] = deploymentWithPods('shop', 'web', 1);
    // The template mounts the token of ServiceAccount web, which is bound to cluster-admin.
    const spec = (dep!.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    spec.automountServiceAccountToken = true;
    spec.serviceAccountName = 'web';
    s.add(
      dep!,
      ...rest,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'web-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] },
    );
  });
});
after(async () => fx?.close());

test('paths --cluster finds the path from the live objects and names the cluster', async () => {
  const r = await rampart(['paths', '--cluster', '--kubeconfig', fx.kubeconfig.token, '--no-kubelet-config', '-o', 'json']);
  const doc = JSON.parse(r.stdout) as { paths: { target: string; key: string }[]; cluster: { context: string }; errors: unknown[] };
  assert.ok(doc.paths.some((p) => p.key === 'cluster-admin: internet > workload:Deployment/shop/web > serviceaccount:shop/web > target:cluster-admin'), doc.paths.map((p) => p.key).join('\n'));
  assert.equal(doc.cluster.context, 'test');
  assert.equal(r.status, 1, r.stderr + JSON.stringify(doc.errors));
});

test('paths: paths and --cluster together is a usage error', async () => {
  const r = await rampart(['paths', 'x.yaml', '--cluster', '--kubeconfig', fx.kubeconfig.token]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /either paths or --cluster/);
});
