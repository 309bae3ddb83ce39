// The audit webhook backend: HTTPS POST of EventLists; 200 only after the batch is handled;
// 429 when busy, 503 when the batch could not be stored, 413 over the body limit, 400 on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startReceiver } from '../../src/fronts/audit/server.js';
import { corpusFile, corpusOrSkip } from './support.js';
import { eventList, post, testCertificate } from './https.js';
import type { JsonValue } from '../../src/model/types.js';

const list = (items: JsonValue[]) => eventList(items);

test('receiver: 200 only after the batch is handled; 429 when busy; 503 when not stored; 413; 400', async () => {
  const tls = testCertificate();
  let release: () => void = () => undefined;
  let fail = false;
  const handled: number[] = [];
  const r = await startReceiver({
    cert: tls.cert,
    key: tls.key,
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 4096,
    maxInFlight: 1,
    handle: (events) =>
      new Promise<void>((resolve, reject) => {
        release = () => (fail ? reject(new Error('queue down')) : (handled.push(events.length), resolve()));
      }),
  });
  try {
    const ev = { kind: 'Event', auditID: 'a', verb: 'get', stage: 'ResponseComplete', user: { username: 'u' } };
    const first = post(r.port(), list([ev, ev]));
    await new Promise((x) => setTimeout(x, 100));
    const busy = await post(r.port(), list([ev]));
    assert.equal(busy.status, 429);
    assert.equal(busy.headers['retry-after'], '1');
    assert.deepEqual(handled, []); // the first batch is not answered yet
    release();
    assert.equal((await first).status, 200);
    assert.deepEqual(handled, [2]);
    fail = true;
    const down = post(r.port(), list([ev]));
    await new Promise((x) => setTimeout(x, 100));
    release();
    assert.equal((await down).status, 503);
    assert.equal((await post(r.port(), list(Array(100).fill(ev)))).status, 413);
    assert.equal((await post(r.port(), '{nope')).status, 400);
    assert.equal((await post(r.port(), '{"kind":"Pod"}')).status, 400);
    assert.equal(r.metrics.rejectedBusy, 1);
  } finally {
    await r.close();
  }
});

test('audit serve (CLI): judges posted batches with the event rules, alerts on stdout', async (t) => {
  if (!corpusOrSkip(t)) return;
  const tls = testCertificate();
  const child = spawn(process.execPath, ['bin/rampart.js', 'audit', 'serve', '--tls-cert', tls.certFile, '--tls-key', tls.keyFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen line: ${err}`)), 15_000);
    child.stderr.on('data', () => {
      const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const items = ['exec_pod', 'create_nginx_pod_privileged', 'attach_cluster_admin_role'].map((f) => JSON.parse(readFileSync(corpusFile(f), 'utf8')));
  assert.equal((await post(port, list(items))).status, 200);
  assert.equal((await post(port, list(items))).status, 200); // a re-sent batch: judged once
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const alerts = lines.filter((l) => l.ruleId);
  assert.deepEqual(alerts.map((a) => a.ruleId).sort(), ['audit/cluster-admin-granted', 'audit/pod-exec', 'audit/workload-security']);
  const stats = lines.at(-1).stats;
  assert.equal(stats.duplicates, 3);
  assert.equal(stats.receiver.batches, 2);
});
