// `rampart paths`: formats, exit codes, evidence lines, input errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';

const WORLD = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: c, image: "nginx:1"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

test('paths: a path exits 1 and names every step with file:line and the choke point', () => {
  const r = runCli(['paths', '-'], WORLD);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /Path 1 → cluster-admin \(3 steps/);
  assert.match(r.stdout, /at <stdin>:4 \(Service shop\/web \/spec\/type\)/);
  assert.match(r.stdout, /Choke points \(1 change\(s\) cut every path\):\n  - remove ServiceAccount shop\/web from ClusterRoleBinding web-admin \(<stdin>:21, rbac\/[a-z-]+\) to cut 2 of 2 paths/);
});

test('paths -o json|dot|mermaid', () => {
  const j = runCli(['paths', '-', '-o', 'json'], WORLD);
  assert.equal(j.status, 1, j.stderr);
  const doc = JSON.parse(j.stdout);
  assert.equal(doc.summary.paths, 2);
  assert.deepEqual(doc.paths[0].steps.map((s: { kind: string }) => s.kind), ['exposure', 'token', 'rbac']);
  assert.equal(doc.chokePoints[0].line, 21);
  const dot = runCli(['paths', '-', '-o', 'dot'], WORLD);
  assert.match(dot.stdout, /^digraph attack_paths \{/);
  assert.match(dot.stdout, /"serviceaccount:shop\/web" -> "target:cluster-admin"/);
  const mm = runCli(['paths', '-', '-o', 'mermaid'], WORLD);
  assert.match(mm.stdout, /^flowchart LR\n/);
  assert.match(mm.stdout, /-->\|token\|/);
});

test('paths: no path exits 0; bad input and bad flags exit 2', () => {
  const safe = WORLD.replace('type: LoadBalancer', 'type: ClusterIP');
  const r = runCli(['paths', '-'], safe);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No attack path/);
  const missing = runCli(['paths', 'no-such-dir/x.yaml']);
  assert.equal(missing.status, 2);
  assert.match(missing.stdout + missing.stderr, /no-such-dir\/x\.yaml/);
  assert.equal(runCli(['paths', '-', '-o', 'svg'], WORLD).status, 2);
  assert.equal(runCli(['paths']).status, 2);
});

test('paths --baseline: known paths are left out, a new one exits 1; a bad baseline exits 2 naming the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-paths-baseline-'));
  try {
    const before = path.join(dir, 'before.json');
    writeFileSync(before, runCli(['paths', '-', '-o', 'json'], WORLD).stdout);
    const same = runCli(['paths', '-', '--baseline', before, '-o', 'json'], WORLD);
    assert.equal(same.status, 0, same.stderr);
    const doc = JSON.parse(same.stdout);
    assert.equal(doc.summary.paths, 0);
    assert.deepEqual(doc.summary.baseline, { file: before, known: 2 });
    // Lines moving (a comment added on top) keep the paths known.
    assert.equal(runCli(['paths', '-', '--baseline', before], '# moved\n' + WORLD).status, 0);
    // A second exposed workload bound to cluster-admin opens new paths: only those are listed.
    const more = WORLD + '---\n' + WORLD.replace(/\bweb\b/g, 'api');
    const r = runCli(['paths', '-', '--baseline', before, '-o', 'json'], more);
    assert.equal(r.status, 1, r.stderr);
    const keys = JSON.parse(r.stdout).paths.map((p: { key: string }) => p.key);
    assert.ok(keys.length > 0 && keys.every((k: string) => k.includes('shop/api')), keys.join('\n'));
    const text = runCli(['paths', '-', '--baseline', before], more);
    assert.match(text.stdout, /^Baseline .*before\.json: 2 known path\(s\) left out; new paths only\./);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"summary": {}}');
    const b = runCli(['paths', '-', '--baseline', bad], WORLD);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /--baseline .*bad\.json: not a `rampart paths -o json` report/);
    assert.equal(runCli(['paths', '-', '--baseline', path.join(dir, 'missing.json')], WORLD).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('paths --vulns: a critical CVE in an unexposed workload opens a path; a bad report exits 2', () => {
  const world = WORLD.replace('type: LoadBalancer', 'type: ClusterIP').replace('image: "nginx:1"', 'image: "nginx:1.25.3"');
  assert.equal(runCli(['paths', '-'], world).status, 0);
  const r = runCli(['paths', '-', '--vulns', 'test/fixtures/vulns/trivy-nginx.json', '-o', 'json'], world);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.match(doc.paths[0].steps[0].description, /critical CVE-2023-45853/);
  const bad = runCli(['paths', '-', '--vulns', 'test/fixtures/vulns/cyclonedx.json'], world);
  assert.equal(bad.status, 2);
});

test('scan --paths-baseline: the paths/* rule reports only paths a previous `rampart paths -o json` did not list', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-scan-paths-baseline-'));
  const pathFindings = (stdout: string) => (JSON.parse(stdout).findings as { ruleId: string; message: string }[]).filter((f) => f.ruleId.startsWith('paths/'));
  try {
    const before = path.join(dir, 'before.json');
    writeFileSync(before, runCli(['paths', '-', '-o', 'json'], WORLD).stdout);
    const plain = runCli(['scan', '-', '-o', 'json', '--fail-on', 'never'], WORLD);
    assert.ok(pathFindings(plain.stdout).length > 0, 'the world has a path to cluster-admin');
    const same = runCli(['scan', '-', '-o', 'json', '--fail-on', 'never', '--paths-baseline', before], WORLD);
    assert.equal(same.status, 0, same.stderr);
    assert.deepEqual(pathFindings(same.stdout), []);
    // A second exposed workload bound to cluster-admin opens a new path: only it is reported.
    const more = WORLD + '---\n' + WORLD.replace(/\bweb\b/g, 'api');
    const grown = pathFindings(runCli(['scan', '-', '-o', 'json', '--fail-on', 'never', '--paths-baseline', before], more).stdout);
    assert.ok(grown.length > 0 && grown.every((f) => /\bapi\b/.test(f.message)), grown.map((f) => f.message).join('\n'));
    const bad = runCli(['scan', '-', '--paths-baseline', path.join(dir, 'missing.json')], WORLD);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--paths-baseline .*missing\.json: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
