// The real kubectl 1.35 (bundled by an npm dependency) against the fake API server: an independent
// witness that the double speaks the real API (discovery, paging with continue tokens, tables, auth).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { findKustomize } from '../../src/input/render/tools.js';
import { startCluster, deploymentWithPods, ns, pod, runAsync, type ClusterFixture } from '../support/cluster.js';

/** The bundled kubectl (not whatever is on PATH): the witness must be the version we name. */
function bundledKubectl(): string | undefined {
  const saved = process.env.PATH;
  process.env.PATH = '';
  try {
    const t = findKustomize();
    // A bundled binary is unpacked (into a private folder of this process) only when first needed.
    const bin = t.origin === 'bundled' && t.unpack ? t.unpack() : t.bin;
    return t.origin === 'bundled' && path.basename(bin) === 'kubectl' ? bin : undefined;
  } catch {
    return undefined;
  } finally {
    process.env.PATH = saved;
  }
}

const kubectl = bundledKubectl();
const skip = kubectl ? false : 'bundled kubectl not available (linux-x64 with npm ci only)';
if (skip) console.log(`# SKIPPED: ${skip}`);

let fx: ClusterFixture;
before(async () => {
  if (skip) return;
  fx = await startCluster((s) => {
    s.add(ns('a'), ns('b'));
    s.add(...deploymentWithPods('a', 'web', 700), ...deploymentWithPods('b', 'api', 600));
  });
});
after(async () => fx?.close());

const run = (args: string[], kc = fx.kubeconfig.token) => runAsync(kubectl!, ['--kubeconfig', kc, ...args], { HOME: fx.dir });

test('the witness is kubectl v1.35', { skip }, async () => {
  const r = await runAsync(kubectl!, ['version', '--client', '-o', 'json']);
  assert.equal(JSON.parse(r.stdout).clientVersion.minor, '35');
});

test('kubectl get pods -A --chunk-size=500 pages through continue tokens and sees every pod', { skip }, async () => {
  const before = fx.server.requests.length;
  const r = await run(['get', 'pods', '-A', '--chunk-size=500', '--no-headers']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1300);
  assert.match(lines[0]!, /^a\s+web-/);
  const pages = fx.server.requests.slice(before).filter((q) => q.path.startsWith('/api/v1/pods?'));
  assert.equal(pages.length, 3, 'three pages of 500');
  assert.ok(pages.slice(1).every((q) => q.path.includes('continue=')));
  console.log(`# kubectl listed ${lines.length} pods in ${pages.length} pages`);
});

test('kubectl get --raw /apis and kubectl api-resources read our discovery', { skip }, async () => {
  const raw = await run(['get', '--raw', '/apis']);
  assert.equal(raw.status, 0, raw.stderr);
  assert.ok(JSON.parse(raw.stdout).groups.some((g: { name: string }) => g.name === 'apps'));
  const r = await run(['api-resources', '--no-headers']);
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout.split('\n').map((l) => l.split(/\s+/)[0]);
  for (const n of ['pods', 'deployments', 'clusterroles', 'networkpolicies', 'secrets']) assert.ok(names.includes(n), n);
});

test('kubectl authenticates with a client certificate and an exec plugin, and sees 403 per kind', { skip }, async () => {
  for (const kc of [fx.kubeconfig.cert, fx.kubeconfig.exec]) {
    const r = await run(['get', 'namespaces', '--no-headers'], kc);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
  }
  fx.server.forbidden.add('secrets');
  const r = await run(['get', 'secrets', '-A']);
  fx.server.forbidden.delete('secrets');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /forbidden: User "reader" cannot list resource "secrets"/);
});

test('kubectl get --watch-only sees an object added while it watches', { skip }, async () => {
  const watching = run(['get', 'pods', '-n', 'b', '--watch-only', '--no-headers', '--request-timeout=4s']);
  await new Promise((r) => setTimeout(r, 1500));
  fx.server.add(pod('b', 'late-arrival'));
  const r = await watching;
  assert.match(r.stdout, /late-arrival/);
});
