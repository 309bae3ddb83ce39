// `rampart scan --cluster` (the built CLI) against the fake API server: the same engine and reports
// as files, a coverage table per kind, fail-closed on forbidden kinds, no secret value anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../../src/reports/index.js';
import {
  apiserverStaticPod,
  deploymentWithPods,
  ns,
  pod,
  rampart,
  runAsync,
  rolloutCrdAndObject,
  secretWithValue,
  SECRET_VALUE,
  startCluster,
  type ClusterFixture,
} from '../support/cluster.js';

let fx: ClusterFixture;
before(async () => {
  fx = await startCluster((s) => {
    s.add(ns('shop', { 'pod-security.kubernetes.io/enforce': 'baseline' }), ns('kube-system'));
    s.add(...deploymentWithPods('shop', 'web', 3));
    s.add(pod('shop', 'debug', { spec: { hostPID: true } }));
    s.add(apiserverStaticPod('cp-1'));
    s.add(secretWithValue('shop', 'db-password'));
    s.add({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1' }, status: { nodeInfo: { kubeletVersion: 'v1.35.0', containerRuntimeVersion: 'containerd://2.1.0' } } });
    s.configz.set('cp-1', { authentication: { anonymous: { enabled: true }, webhook: { enabled: false } }, authorization: { mode: 'AlwaysAllow' }, readOnlyPort: 10255 });
    const { crd, rollout } = rolloutCrdAndObject();
    s.addCustomResource({ group: 'argoproj.io', version: 'v1alpha1', name: 'rollouts', kind: 'Rollout', namespaced: true }, crd);
    s.add(rollout);
    // An aggregated ClusterRole as the controller filled it, plus a rule someone edited in.
    s.add(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'widgets-view', labels: { 'example.com/aggregate-to-view': 'true' } }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'team-view' },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-view': 'true' } }] },
        rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
      },
    );
  });
});
after(async () => fx?.close());

type Report = {
  summary: { resources: number; notEvaluated: number };
  findings: { ruleId: string; resource: { kind: string; name: string; namespace?: string }; location: { file: string; line: number; path: string } }[];
  skipped: { reason: string; failsClosed: boolean }[];
  cluster: { context: string; allowPartial: boolean; coverage: { kind: string; status: string; read: number; viaController?: number; metadataOnly?: boolean }[] };
};

async function scanJson(args: string[] = [], kc = fx.kubeconfig.token) {
  const r = await rampart(['scan', '--cluster', '--kubeconfig', kc, '-o', 'json', '--fail-on', 'never', '--no-config', ...args]);
  let report: Report | undefined;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    assert.fail(`not JSON (exit ${r.status}): ${r.stderr}`);
  }
  return { ...r, report: report! };
}

test('scan --cluster: live objects through the same engine, located as cluster:// objects', async () => {
  const { status, report, stderr } = await scanJson();
  assert.equal(status, 0, stderr);
  const cov = new Map(report.cluster.coverage.map((c) => [c.kind, c]));
  assert.equal(cov.get('Pod')!.status, 'read');
  assert.equal(cov.get('Pod')!.read, 5);
  assert.equal(cov.get('Pod')!.viaController, 3, 'the 3 replicas are evaluated through their Deployment');
  assert.equal(cov.get('ReplicaSet')!.viaController, 1);
  assert.equal(cov.get('Secret')!.metadataOnly, true);
  assert.equal(cov.get('Rollout')!.read, 1, 'a CRD with a pod template is discovered and listed');
  assert.equal(cov.get('KubeletConfiguration')!.read, 1);
  const hostPid = report.findings.find((f) => f.ruleId === 'pss/hostNamespaces' && f.resource.name === 'debug');
  assert.ok(hostPid, 'hostPID pod found');
  assert.equal(hostPid.location.file, 'cluster://test/shop/Pod/debug');
  assert.equal(hostPid.location.line, 0);
  assert.equal(hostPid.location.path, '/spec/hostPID');
  const priv = report.findings.find((f) => f.ruleId === 'pss/privileged' && f.resource.kind === 'Rollout');
  assert.ok(priv, 'the Rollout\'s privileged container is a finding');
  assert.equal(priv.location.path, '/spec/template/spec/containers/0/securityContext/privileged');
  const cis = report.findings.filter((f) => f.resource.name === 'kube-apiserver-cp-1').map((f) => f.ruleId);
  assert.ok(cis.some((id) => id.startsWith('cis/')), `control-plane static pod flags are checked (${cis.join(', ')})`);
  const kubelet = report.findings.filter((f) => f.location.file === 'cluster://test/Node/cp-1/configz').map((f) => f.ruleId);
  assert.ok(kubelet.length >= 2, `kubelet configz is checked (${kubelet.join(', ')})`);
  assert.ok(!report.findings.some((f) => f.resource.kind === 'Pod' && f.resource.name.startsWith('web-')), 'no finding per replica');
  const drift = report.findings.find((f) => f.ruleId === 'rbac/aggregation-drift')!;
  assert.equal(drift.location.file, 'cluster://test/ClusterRole/team-view');
  assert.equal(drift.location.path, '/rules/1');
  assert.deepEqual((report.cluster as unknown as { nodes: unknown[] }).nodes, [{ name: 'cp-1', kubeletVersion: 'v1.35.0', containerRuntimeVersion: 'containerd://2.1.0' }]);
  console.log(`# ${report.summary.resources} resources, ${report.findings.length} findings, ${report.cluster.coverage.length} coverage rows`);
});

test('a forbidden kind fails closed: exit 2, the kind and the rules it hides are named', async () => {
  fx.server.forbidden.add('networkpolicies');
  try {
    const { status, report } = await scanJson();
    assert.equal(status, 2);
    const row = report.cluster.coverage.find((c) => c.kind === 'NetworkPolicy')!;
    assert.equal(row.status, 'forbidden');
    const s = report.skipped.find((x) => x.reason.startsWith('NetworkPolicy'))!;
    assert.ok(s.failsClosed);
    assert.match(s.reason, /forbidden/);
    assert.match(s.reason, /not evaluated: .*netpol\//);
    assert.ok(report.summary.notEvaluated >= 1);
    const text = await rampart(['scan', '--cluster', '--kubeconfig', fx.kubeconfig.token, '--no-config', '--fail-on', 'never']);
    assert.equal(text.status, 2);
    assert.match(text.stdout, /not evaluated\s+cluster:\/\/test\s+NetworkPolicy/);
    assert.match(text.stdout, /NetworkPolicy\s+networking\.k8s\.io\/v1\s+forbidden/);
    assert.match(text.stdout, /1 node\(s\): kubelet v1\.35\.0 ×1; runtime containerd:\/\/2\.1\.0 ×1/);
    // Accepted explicitly: exit 0, and the report says so.
    const partial = await scanJson(['--allow-partial']);
    assert.equal(partial.status, 0);
    assert.equal(partial.report.cluster.allowPartial, true);
    assert.ok(partial.report.skipped.some((x) => x.reason.startsWith('NetworkPolicy') && !x.failsClosed));
    const ptext = await rampart(['scan', '--cluster', '--kubeconfig', fx.kubeconfig.token, '--no-config', '--fail-on', 'never', '--allow-partial']);
    assert.match(ptext.stdout, /partial coverage accepted \(--allow-partial\)/);
  } finally {
    fx.server.forbidden.delete('networkpolicies');
  }
});

test('kubelet configz forbidden: the kubelet checks are not evaluated (exit 2) unless --no-kubelet-config', async () => {
  fx.server.forbidden.add('nodes/proxy');
  try {
    const r = await scanJson();
    assert.equal(r.status, 2);
    assert.equal(r.report.cluster.coverage.find((c) => c.kind === 'KubeletConfiguration')!.status, 'forbidden');
    const off = await scanJson(['--no-kubelet-config']);
    assert.equal(off.status, 0);
    assert.equal(off.report.cluster.coverage.find((c) => c.kind === 'KubeletConfiguration')!.status, 'not-requested');
  } finally {
    fx.server.forbidden.delete('nodes/proxy');
  }
});

test('no secret value in any output format; Secrets were only ever asked for as metadata', async () => {
  for (const format of FORMATS) {
    const r = await rampart(['scan', '--cluster', '--kubeconfig', fx.kubeconfig.token, '-o', format, '--fail-on', 'never', '--no-config']);
    assert.ok(r.status === 0, `${format}: ${r.stderr}`);
    for (const text of [r.stdout, r.stderr]) {
      assert.ok(!text.includes(SECRET_VALUE), `${format} leaks the secret`);
      assert.ok(!text.includes(Buffer.from(SECRET_VALUE).toString('base64')), `${format} leaks the base64 secret`);
    }
  }
  const secretRequests = fx.server.requests.filter((q) => /\/secrets/.test(q.path));
  assert.ok(secretRequests.length >= FORMATS.length);
  for (const q of secretRequests) assert.match(q.accept, /^application\/json;as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1$/, q.path);
});

test('-n limits namespaced kinds to one namespace; exec and cert kubeconfigs work from the CLI', async () => {
  const r = await scanJson(['-n', 'kube-system'], fx.kubeconfig.exec);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.report.findings.every((f) => f.resource.namespace === undefined || f.resource.namespace === 'kube-system'));
  assert.ok(fx.server.requests.some((q) => q.path.startsWith('/api/v1/namespaces/kube-system/pods?') && q.user === 'exec-user'));
  const c = await scanJson([], fx.kubeconfig.cert);
  assert.equal(c.status, 0, c.stderr);
});

test('--skip-kind names what was left out; a misspelt kind is an error, not a silent choice', async () => {
  const before = fx.server.requests.length;
  const ok = await scanJson(['--skip-kind', 'Secret,ConfigMap']);
  assert.ok(!fx.server.requests.slice(before).some((q) => q.path.includes('/secrets')), 'a skipped kind is not even asked for');
  assert.equal(ok.status, 0);
  assert.deepEqual(ok.report.cluster.coverage.filter((c) => c.status === 'not-requested').map((c) => c.kind).sort(), ['ConfigMap', 'Secret']);
  const bad = await scanJson(['--skip-kind', 'Secrets']);
  assert.equal(bad.status, 2);
  assert.match(JSON.stringify(bad.report), /--skip-kind Secrets: Rampart reads no such kind/);
});

test('a missing context is a usage error naming the contexts there are (exit 2, no stack trace)', async () => {
  const r = await rampart(['scan', '--kubeconfig', fx.kubeconfig.token, '--context', 'prod']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /context "prod" not found in kubeconfig .* \(contexts: test\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('an unreachable cluster is an error in its report (exit 2), not a crash', async () => {
  const kc = JSON.parse(readFileSync(fx.kubeconfig.token, 'utf8'));
  kc.clusters[0].cluster.server = 'https://127.0.0.1:1';
  const file = path.join(fx.dir, 'down.kubeconfig');
  writeFileSync(file, JSON.stringify(kc));
  const r = await rampart(['scan', '--cluster', '--kubeconfig', file, '-o', 'json', '--no-config']);
  assert.equal(r.status, 2);
  assert.match(JSON.parse(r.stdout).errors[0].message, /cluster not read: cannot reach https:\/\/127\.0\.0\.1:1/);
});

test('fleets: --all-contexts writes one report per cluster plus a roll-up', async () => {
  const out = path.join(fx.dir, 'fleet.json');
  const r = await rampart(['scan', '--kubeconfig', fx.kubeconfig.multi, '--all-contexts', '-o', 'json', '--output', out, '--fail-on', 'never', '--no-config']);
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['east', 'west']) {
    const rep = JSON.parse(readFileSync(path.join(fx.dir, `fleet.${c}.json`), 'utf8')) as Report;
    assert.equal(rep.cluster.context, c);
    assert.ok(rep.findings.some((f) => f.location.file.startsWith(`cluster://${c}/`)));
  }
  assert.match(r.stdout, /^CLUSTER\s+RESOURCES/m);
  assert.match(r.stdout, /^east\s+\d+/m);
  assert.match(r.stdout, /^west\s+\d+/m);
});

test('as a kubectl plugin (kubectl-rampart), scan with no paths reads the cluster', async () => {
  // A symlink keeps argv[1] as the plugin name, as an npm-installed kubectl-rampart bin does.
  const link = path.join(fx.dir, 'plugin', 'kubectl-rampart');
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.resolve('bin/rampart.js'), link);
  const r = await runAsync(process.execPath, [link, 'scan', '-o', 'json', '--fail-on', 'never', '--no-config'], { KUBECONFIG: fx.kubeconfig.token });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).cluster.context, 'test');
  // Commands that take -f read the cluster too when given no files.
  const who = await runAsync(process.execPath, [link, 'rbac', 'who-can', 'list', 'secrets', '-n', 'shop', '-o', 'json', '--no-config', '--no-kubelet-config'], { KUBECONFIG: fx.kubeconfig.token });
  assert.equal(who.status, 0, who.stderr);
  // This cluster has no bindings, and a live cluster gets no bundled bootstrap roles added: nobody.
  assert.deepEqual((JSON.parse(who.stdout) as { subjects: unknown[] }).subjects, []);
  assert.ok(fx.server.requests.some((q) => q.path.startsWith('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')));
});

test('--vulns with --cluster: image reports no live workload runs, and resources Trivy could not scan, are noted', async () => {
  const { status, report, stderr } = await scanJson(['--rule', 'image/known-vulnerability', '--vulns', 'test/fixtures/vulns/trivy-k8s.json']);
  assert.equal(status, 0, stderr);
  const notes = report.skipped.filter((s) => !s.failsClosed).map((s) => s.reason.replace(/ with .*/, ''));
  assert.ok(notes.includes('image nginx:1.25.3'), 'no live workload runs nginx:1.25.3');
  assert.ok(notes.includes('image registry.k8s.io/kube-proxy:v1.29.2'));
  assert.ok(notes.some((n) => n.startsWith('Trivy could not scan CronJob shop/report')));
});
