// The webhook over real HTTPS on loopback: reviews as the API server sends them, malformed and
// oversized bodies, health and metrics, certificate rotation under load, graceful shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startWebhookServer, type RunningWebhook } from '../../src/fronts/webhook/server.js';
import { contextOf } from '../../src/fronts/webhook/admit.js';
import { webhookPolicy } from '../../src/fronts/webhook/policy.js';
import { makeWebhookCertificates, type WebhookPems } from '../../src/fronts/webhook/certs.js';
import { builtinRules } from '../../src/rules/index.js';
import { emptyConfig } from '../../src/engine/config.js';
import { review, privilegedPod, hardenedPod } from '../support/admission.js';

let dir: string;
let pems: WebhookPems;
let server: RunningWebhook;
const logs: Record<string, unknown>[] = [];

function call(method: string, p: string, body?: string | Buffer, headers: Record<string, string> = {}, ca = pems.caCert): Promise<{ status: number; body: string; cert?: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: server.port, path: p, method, ca, servername: 'rampart-webhook.rampart-system.svc', headers: { 'content-type': 'application/json', ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate?.();
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(peer ? { cert: peer } : {}) }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const names = ['rampart-webhook', 'rampart-webhook.rampart-system.svc'];

/** A webhook on loopback with the files in `dir`; `over` replaces any option. */
function startTest(over: Partial<Parameters<typeof startWebhookServer>[0]> = {}) {
  return startWebhookServer({
    certFile: path.join(dir, 'tls.crt'),
    keyFile: path.join(dir, 'tls.key'),
    port: 0,
    host: '127.0.0.1',
    admitter: { rules: builtinRules, config: emptyConfig(), policy: webhookPolicy(undefined), settings: {} },
    context: { current: () => contextOf([]), ageSeconds: () => 0, ready: () => true },
    timeoutSeconds: 10,
    maxBodyBytes: 1024 * 1024,
    ...over,
  });
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-webhook-'));
  pems = await makeWebhookCertificates(names, 30);
  writeFileSync(path.join(dir, 'tls.crt'), pems.cert);
  writeFileSync(path.join(dir, 'tls.key'), pems.key);
  server = await startTest({ certCheckMs: 50, log: (e) => logs.push(e) });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('POST /validate: a privileged pod is denied, the response echoes the uid as admission.k8s.io/v1', async () => {
  const r = review(privilegedPod());
  const res = await call('POST', '/validate', JSON.stringify(r));
  assert.equal(res.status, 200);
  const out = JSON.parse(res.body);
  assert.equal(out.apiVersion, 'admission.k8s.io/v1');
  assert.equal(out.kind, 'AdmissionReview');
  assert.equal(out.response.uid, (r.request as { uid: string }).uid);
  assert.equal(out.response.allowed, false);
  assert.match(out.response.status.message, /pss\/privileged/);
});

test('deployments, UPDATE with oldObject, dryRun and unknown kinds over HTTPS', async () => {
  const pod = privilegedPod();
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod.spec } } };
  const d = JSON.parse((await call('POST', '/validate', JSON.stringify(review(deploy)))).body);
  assert.equal(d.response.allowed, false);
  assert.match(d.response.status.message, /\/spec\/template\/spec\/containers\/0\/securityContext\/privileged/);
  const relabel = { ...deploy, metadata: { ...deploy.metadata, labels: { v: '2' } } };
  const u = JSON.parse((await call('POST', '/validate', JSON.stringify(review(relabel, { operation: 'UPDATE', oldObject: deploy, dryRun: true })))).body);
  assert.equal(u.response.allowed, true, 'existing violations only warn on UPDATE');
  assert.ok(u.response.warnings.length > 0);
  const crd = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' }, spec: {} };
  assert.equal(JSON.parse((await call('POST', '/validate', JSON.stringify(review(crd)))).body).response.allowed, true);
  assert.equal(JSON.parse((await call('POST', '/validate', JSON.stringify(review(hardenedPod())))).body).response.allowed, true);
});

test('malformed JSON, a wrong apiVersion, a wrong method or content type are 4xx with a message; oversized bodies are 413', async () => {
  const bad = await call('POST', '/validate', '{"apiVersion": ');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error, /not valid JSON/);
  const v1beta1 = await call('POST', '/validate', JSON.stringify({ ...review(hardenedPod()), apiVersion: 'admission.k8s.io/v1beta1' }));
  assert.equal(v1beta1.status, 400);
  assert.equal((await call('GET', '/validate')).status, 405);
  assert.equal((await call('POST', '/validate', 'x', { 'content-type': 'text/plain' })).status, 415);
  const big = await call('POST', '/validate', Buffer.alloc(2 * 1024 * 1024, 0x20));
  assert.equal(big.status, 413);
  assert.equal((await call('GET', '/nope')).status, 404);
  const off = await call('POST', '/mutate', JSON.stringify(review(privilegedPod())));
  assert.equal(off.status, 404, '/mutate is off unless asked for');
  assert.match(JSON.parse(off.body).error, /--mutate/);
});

test('healthz, readyz and Prometheus metrics (requests, decisions by rule, latency, context age)', async () => {
  assert.equal((await call('GET', '/healthz')).status, 200);
  assert.equal((await call('GET', '/readyz')).status, 200);
  const m = (await call('GET', '/metrics')).body;
  assert.match(m, /# TYPE rampart_webhook_review_duration_seconds histogram/);
  assert.match(m, /rampart_webhook_rule_decisions_total\{rule="pss\/privileged",outcome="enforce"\} \d+/);
  assert.match(m, /rampart_webhook_admissions_total\{operation="CREATE",result="denied"\} \d+/);
  assert.match(m, /rampart_webhook_requests_total\{path="\/validate",code="400"\} \d+/);
  assert.match(m, /rampart_webhook_context_age_seconds 0/);
  // Every sample line is `name{labels} number`: a scraper must be able to read all of it.
  for (const line of m.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/, line);
});

test('logs are structured and never carry the object (no env values, no secret data)', async () => {
  const pod = privilegedPod();
  (pod.spec.containers[0] as Record<string, unknown>).env = [{ name: 'DB_PASSWORD', value: 'hunter2-s3cr3t-value' }];
  await call('POST', '/validate', JSON.stringify(review(pod)));
  const text = JSON.stringify(logs);
  assert.ok(!text.includes('hunter2-s3cr3t-value'));
  assert.ok(logs.some((l) => l.msg === 'admission review' && l.allowed === false && Array.isArray(l.violations)));
});

test('certificate rotation mid-load: requests keep succeeding and new connections get the new certificate', async () => {
  const before = await call('POST', '/validate', JSON.stringify(review(hardenedPod())));
  assert.equal(before.status, 200);
  const fresh = await makeWebhookCertificates(names, 60);
  let stop = false;
  const failures: string[] = [];
  let done = 0;
  const load = (async () => {
    while (!stop) {
      try {
        const r = await call('POST', '/validate', JSON.stringify(review(privilegedPod())), {}, pems.caCert + fresh.caCert);
        if (r.status !== 200) failures.push(String(r.status));
        done++;
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  // Key first, then cert: between the two writes the pair does not match and must not be loaded.
  writeFileSync(path.join(dir, 'tls.key'), fresh.key);
  await new Promise((r) => setTimeout(r, 120));
  writeFileSync(path.join(dir, 'tls.crt'), fresh.cert);
  const until = Date.now() + 3000;
  let seen: X509Certificate | undefined;
  while (Date.now() < until) {
    seen = (await call('GET', '/healthz', undefined, {}, fresh.caCert).catch(() => ({ cert: undefined }))).cert;
    if (seen && seen.serialNumber === new X509Certificate(fresh.cert).serialNumber) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  stop = true;
  await load;
  pems = { ...fresh, caCert: fresh.caCert };
  assert.equal(seen?.serialNumber, new X509Certificate(fresh.cert).serialNumber, 'new connections are served the new certificate');
  assert.deepEqual(failures, [], `no request failed during rotation (${done} requests)`);
  assert.ok(server.metrics.certReloads >= 1);
  assert.ok(logs.some((l) => String(l.msg).includes('not reloaded')), 'the mismatched half-written pair was refused, not loaded');
});

test('graceful shutdown: an in-flight request is answered, new connections are refused, then the port closes', async () => {
  const extra = await startTest();
  const saved = server;
  server = extra;
  try {
    // A request whose headers and half its body have arrived is in flight when shutdown starts.
    const body = JSON.stringify(review(privilegedPod()));
    const answer = new Promise<number>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: extra.port, path: '/validate', method: 'POST', ca: pems.caCert, servername: 'rampart-webhook', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 100));
      setTimeout(() => req.end(body.slice(100)), 300);
    });
    await new Promise((r) => setTimeout(r, 150));
    const closing = extra.close();
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(call('GET', '/healthz'), 'no new connections once shutdown started');
    assert.equal(await answer, 200, 'the in-flight request was answered');
    await closing;
  } finally {
    server = saved;
  }
});

test('POST /mutate (with --mutate) answers a JSONPatch for a new pod, and never denies', async () => {
  const m = await startTest({ admitter: { rules: builtinRules, config: emptyConfig(), policy: webhookPolicy({ mutateMayBreak: true }), settings: {} }, mutate: true });
  const saved = server;
  server = m;
  try {
    const res = await call('POST', '/mutate', JSON.stringify(review(privilegedPod())));
    assert.equal(res.status, 200);
    const out = JSON.parse(res.body).response;
    assert.equal(out.allowed, true);
    assert.equal(out.patchType, 'JSONPatch');
    const patch = JSON.parse(Buffer.from(out.patch, 'base64').toString('utf8'));
    assert.ok(Array.isArray(patch) && patch.every((p: { op: string }) => ['add', 'replace', 'remove'].includes(p.op)));
  } finally {
    server = saved;
    await m.close();
  }
});

test('logReviews off (--quiet): no line per review, but malformed reviews and lifecycle events are still logged', async () => {
  const quietLogs: Record<string, unknown>[] = [];
  const q = await startTest({ log: (e) => quietLogs.push(e), logReviews: false });
  const saved = server;
  server = q;
  try {
    const res = await call('POST', '/validate', JSON.stringify(review(privilegedPod())));
    assert.equal(JSON.parse(res.body).response.allowed, false, 'still judged');
    assert.equal((await call('POST', '/validate', '{nope')).status, 400);
  } finally {
    server = saved;
    await q.close();
  }
  assert.ok(!quietLogs.some((l) => l.msg === 'admission review'));
  assert.ok(quietLogs.some((l) => l.msg === 'malformed admission review'));
  assert.ok(quietLogs.some((l) => l.msg === 'webhook listening'));
  assert.equal(q.metrics.admissions.get({ operation: 'CREATE', result: 'denied' }), 1, 'metrics are kept either way');
});
