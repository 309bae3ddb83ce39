// `rampart webhook certs | manifests | serve` as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';
import { review, privilegedPod } from '../support/admission.js';

test('certs writes a CA and a serving certificate for the Service names, keys 0600, and refuses to overwrite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-certs-'));
  try {
    const out = path.join(dir, 'pki');
    const r = runCli(['webhook', 'certs', '--out', out, '-n', 'guard', '--dns', 'hook.example.com']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rampart-webhook\.guard\.svc/);
    assert.equal(statSync(path.join(out, 'tls.key')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(out, 'ca.key')).mode & 0o777, 0o600);
    const again = runCli(['webhook', 'certs', '--out', out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /not overwriting/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('manifests pass our own scan at --fail-on low (with a pinned image) and never send kube-system or their own namespace', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-manifests-'));
  try {
    const ca = path.join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const m = runCli(['webhook', 'manifests', '-n', 'guard', '--ca-file', ca, '--image', `registry.example.com/rampart@sha256:${'c'.repeat(64)}`]);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /kind: ValidatingWebhookConfiguration/);
    assert.match(m.stdout, /sideEffects: None/);
    assert.match(m.stdout, /values:\n\s+- kube-system\n\s+- guard/);
    const file = path.join(dir, 'webhook.yaml');
    writeFileSync(file, m.stdout);
    const s = runCli(['scan', file, '--fail-on', 'low', '--no-config']);
    assert.equal(s.status, 0, s.stdout + s.stderr);
    const full = runCli(['webhook', 'manifests', '-n', 'guard', '--ca-file', ca, '--cluster', '--mutate', '--image', `registry.example.com/rampart@sha256:${'c'.repeat(64)}`]);
    assert.match(full.stdout, /kind: MutatingWebhookConfiguration/);
    assert.match(full.stdout, /- --cluster/);
    writeFileSync(file, full.stdout);
    const s2 = runCli(['scan', file, '--fail-on', 'low', '--no-config']);
    assert.equal(s2.status, 0, `with --cluster --mutate: ${s2.stdout}${s2.stderr}`);
    const bad = runCli(['webhook', 'manifests', '--failure-policy', 'Maybe']);
    assert.equal(bad.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve refuses to start without TLS or with an invalid webhook policy; starts, answers and stops on SIGTERM', async () => {
  const noTls = runCli(['webhook', 'serve']);
  assert.equal(noTls.status, 2);
  assert.match(noTls.stderr, /--tls-cert and --tls-key are required/);
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-serve-'));
  try {
    assert.equal(runCli(['webhook', 'certs', '--out', path.join(dir, 'pki')]).status, 0);
    const cert = path.join(dir, 'pki', 'tls.crt');
    const key = path.join(dir, 'pki', 'tls.key');
    writeFileSync(path.join(dir, 'bad.yaml'), 'webhook:\n  defaultMode: block\n');
    const bad = runCli(['webhook', 'serve', '--tls-cert', cert, '--tls-key', key, '--config', path.join(dir, 'bad.yaml')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /defaultMode/);

    const child = spawn(process.execPath, ['bin/rampart.js', 'webhook', 'serve', '--no-config', '--host', '127.0.0.1', '--port', '0', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (c) => {
        err += c;
        const m = /"port":(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(err)));
    });
    const body = JSON.stringify(review(privilegedPod()));
    const res = await new Promise<string>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', ca: readFileSync(path.join(dir, 'pki', 'ca.crt')), servername: 'rampart-webhook', headers: { 'content-type': 'application/json' } }, (r) => {
        let b = '';
        r.on('data', (c) => (b += c));
        r.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(JSON.parse(res).response.allowed, false);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.match(err, /"msg":"admission review"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
