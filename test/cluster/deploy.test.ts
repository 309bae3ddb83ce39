// deploy/ (the in-cluster CronJob) passes Rampart's own scan, its ClusterRole is enough for a complete
// run of the CronJob's own arguments, and --apply-reports writes PolicyReports and removes stale ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { deploymentWithPods, ns, pod, rampart, secretWithValue, SECRET_VALUE, startCluster, type ClusterFixture } from '../support/cluster.js';

let fx: ClusterFixture;
before(async () => {
  fx = await startCluster((s) => {
    s.add(ns('shop'), ns('clean'), ns('old'));
    s.add(pod('shop', 'debug', { spec: { hostPID: true } }));
    s.add(...deploymentWithPods('clean', 'ok', 1));
    s.add(secretWithValue('shop', 'db'));
    s.add(
      { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'rampart-old', namespace: 'old', labels: { 'app.kubernetes.io/managed-by': 'rampart' } }, results: [] },
      { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'kyverno-shop', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } }, results: [] },
    );
  });
});
after(async () => fx?.close());

test('deploy/ passes `rampart scan deploy --fail-on low` with zero unsuppressed findings', async () => {
  const r = await rampart(['scan', 'deploy', '--fail-on', 'low', '-o', 'json', '--no-config']);
  const rep = JSON.parse(r.stdout) as { summary: { findings: number; notEvaluated: number; resources: number } };
  assert.equal(r.status, 0, r.stdout);
  assert.equal(rep.summary.findings, 0);
  assert.equal(rep.summary.notEvaluated, 0);
  assert.ok(rep.summary.resources >= 6);
});

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const role = parse(readFileSync('deploy/clusterrole.yaml', 'utf8')) as { rules: Rule[] };
const cronArgs = ((parse(readFileSync('deploy/cronjob.yaml', 'utf8')) as any).spec.jobTemplate.spec.template.spec.containers[0].args as string[]).filter((a) => !a.startsWith('--output'));

test('the ClusterRole is read-only but for PolicyReports, and grants no Secret or nodes/proxy access', () => {
  for (const r of role.rules) {
    const writes = r.verbs.filter((v) => !['get', 'list', 'watch'].includes(v));
    if (writes.length) assert.deepEqual(r.apiGroups, ['wgpolicyk8s.io'], `writes only PolicyReports (${r.resources.join(',')})`);
    assert.ok(!r.resources.includes('secrets') && !r.resources.includes('nodes/proxy') && !r.resources.includes('*'));
    assert.ok(!r.verbs.includes('*'));
  }
});

test("the CronJob's own arguments, with exactly the ClusterRole's permissions, give a complete run and PolicyReports", async () => {
  // Everything the role does not grant is forbidden on the fake server.
  const granted = new Set(role.rules.flatMap((r) => r.resources));
  for (const res of fx.server.resources) if (!granted.has(res.name)) fx.server.forbidden.add(res.name);
  fx.server.forbidden.add('nodes/proxy');
  try {
    const r = await rampart([...cronArgs, '--kubeconfig', fx.kubeconfig.token, '--no-config']);
    assert.equal(r.status, 0, r.stderr + r.stdout.slice(0, 2000));
    const rep = JSON.parse(r.stdout) as { cluster: { policyReports: { applied: number; deleted: number }; coverage: { kind: string; status: string }[] }; skipped: { reason: string }[] };
    assert.deepEqual(rep.cluster.coverage.filter((c) => c.status !== 'read' && c.status !== 'not-served').map((c) => `${c.kind}:${c.status}`).sort(), ['KubeletConfiguration:not-requested', 'Secret:not-requested']);
    assert.ok(rep.skipped.some((s) => /^Secret not requested/.test(s.reason)), 'the skipped kind is named');
    assert.equal(rep.cluster.policyReports.deleted, 1, 'the stale report of namespace "old" was removed');
  } finally {
    fx.server.forbidden.clear();
  }
  const reports = fx.server.objects('policyreports');
  const names = reports.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
  assert.ok(names.includes('shop/rampart-shop'), names.join());
  assert.ok(names.includes('shop/kyverno-shop'), 'another manager\'s report is untouched');
  assert.ok(!names.includes('old/rampart-old'), 'the stale report is gone');
  const shop = reports.find((p) => p.metadata.name === 'rampart-shop')!;
  assert.ok(shop.results.some((x: { policy: string; result: string }) => x.policy === 'pss/hostNamespaces' && x.result === 'fail'));
  const cluster = fx.server.objects('clusterpolicyreports');
  assert.equal(cluster.length, 1);
  assert.equal(cluster[0]!.metadata.name, 'rampart-cluster');
  const applies = fx.server.requests.filter((q) => q.method === 'PATCH');
  assert.ok(applies.every((q) => q.path.includes('fieldManager=rampart')));
  assert.ok(!JSON.stringify([reports, cluster]).includes(SECRET_VALUE));
});
