// `webhook serve --cluster`: the context comes from the live cluster (the in-repo fake API server),
// is fed by watches off the request path, and only the context kinds are read (never pods or secrets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCluster, ns } from '../support/cluster.js';
import { runCli } from '../support/cli.js';
import { review, privilegedPod } from '../support/admission.js';

function post(port: number, ca: Buffer, body: unknown): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', ca, servername: 'rampart-webhook', headers: { 'content-type': 'application/json' } }, (r) => {
      let b = '';
      r.on('data', (c) => (b += c));
      r.on('end', () => resolve(JSON.parse(b).response));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('webhook --cluster: namespace labels from the live cluster decide the PSS level, and changes arrive through the watch', { timeout: 120_000 }, async () => {
  const fx = await startCluster((s) => s.add(ns('lab', { 'pod-security.kubernetes.io/enforce': 'privileged' }), ns('shop')));
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-webhook-cluster-'));
  assert.equal(runCli(['webhook', 'certs', '--out', path.join(dir, 'pki')]).status, 0);
  const child = spawn(process.execPath, ['bin/rampart.js', 'webhook', 'serve', '--no-config', '--host', '127.0.0.1', '--port', '0', '--tls-cert', path.join(dir, 'pki', 'tls.crt'), '--tls-key', path.join(dir, 'pki', 'tls.key'), '--cluster', '--kubeconfig', fx.kubeconfig.token, '--max-context-age', '60'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    let err = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (c) => {
        err += c;
        const m = /"msg":"ready","port":(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`webhook exited ${code}: ${err}`)));
    });
    const ca = readFileSync(path.join(dir, 'pki', 'ca.crt'));
    assert.equal((await post(port, ca, review(privilegedPod('p', 'lab')))).allowed, true, 'privileged namespace: PSS admits it');
    assert.equal((await post(port, ca, review(privilegedPod('p', 'shop')))).allowed, false);
    // A namespace created (and labelled) after start arrives through the watch.
    fx.server.add(ns('late', { 'pod-security.kubernetes.io/enforce': 'privileged' }));
    const until = Date.now() + 20_000;
    let allowed = false;
    while (!allowed && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      allowed = (await post(port, ca, review(privilegedPod('p', 'late')))).allowed;
    }
    assert.ok(allowed, 'the new namespace label reached the webhook through the watch');
    assert.ok(fx.server.requests.some((r) => r.path.includes('watch=1') && r.path.includes('/namespaces')), 'namespaces are watched');
    const listed = new Set(fx.server.requests.map((r) => r.path.split('?')[0]!.split('/').pop()));
    for (const kind of ['pods', 'deployments', 'secrets', 'configmaps']) assert.ok(!listed.has(kind), `${kind} are never read for the context`);
    assert.ok(listed.has('namespaces') && listed.has('rolebindings'));
  } finally {
    child.kill('SIGTERM');
    await fx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
