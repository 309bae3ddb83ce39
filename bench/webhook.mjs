#!/usr/bin/env node
// Admission webhook latency and throughput over TLS on loopback, side by side with a bare TLS server
// that answers a constant AdmissionReview, in the same run (the machines are noisy: compare ratios).
//   node bench/webhook.mjs [--rate 500] [--seconds 10] [--concurrency 16] [--requests 1000000]
// Phase 1 (paced): requests at --rate for --seconds, p50/p99/max latency.
// Phase 2 (closed loop): --concurrency requests in flight for --seconds, req/s.
// Phase 3 (optional, --requests N): N requests in closed loop, server RSS sampled to show it is flat.
// Server CPU is read from /proc for the server process: CPU ms per request is printed beside wall.
// Reviews are real objects from ../shared/corpus/real-world (workloads, services, RBAC), so the
// webhook does the work it does in a cluster. Run `npm run build` first.
import https from 'node:https';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';

const { values: a } = parseArgs({
  options: { rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' }, requests: { type: 'string' } },
});
const RATE = Number(a.rate);
const SECONDS = Number(a.seconds);
const CONC = Number(a.concurrency);

const { makeWebhookCertificates } = await import('../dist/fronts/webhook/certs.js');
const { loadInputs } = await import('../dist/input/files.js');

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-bench-webhook-'));
const pems = await makeWebhookCertificates(['rampart-webhook'], 2);
writeFileSync(path.join(dir, 'tls.crt'), pems.cert);
writeFileSync(path.join(dir, 'tls.key'), pems.key);

// Reviews from the corpus (workloads and the kinds the webhook configuration sends).
const KINDS = new Set(['Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'NetworkPolicy', 'Ingress']);
const corpus = '../shared/corpus/real-world';
if (!existsSync(corpus)) {
  console.error(`${corpus} not found: run from the repository root next to shared/`);
  process.exit(2);
}
const load = await loadInputs([corpus], undefined, false);
const bodies = load.resources
  .filter((r) => KINDS.has(r.kind))
  .map((r) => {
    const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion];
    const req = {
      uid: 'UID',
      kind: { group, version, kind: r.kind },
      resource: { group, version, resource: r.kind.toLowerCase() + 's' },
      name: r.name,
      namespace: r.namespace ?? 'default',
      operation: 'CREATE',
      userInfo: { username: 'bench', groups: ['system:authenticated'] },
      object: r.object,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    };
    return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req });
  });
const avgBytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);

const BARE = `
const https = require('node:https'); const fs = require('node:fs');
const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'x', allowed: true } });
const s = https.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) }, (req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c));
  req.on('end', () => { JSON.parse(Buffer.concat(chunks).toString('utf8')); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
});
s.keepAliveTimeout = 65000;
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port })));`;

function startServer(kind) {
  const child =
    kind === 'bare'
      ? spawn(process.execPath, ['-e', BARE, path.join(dir, 'tls.crt'), path.join(dir, 'tls.key')], { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(process.execPath, ['bin/rampart.js', 'webhook', 'serve', '--quiet', '--no-config', '--host', '127.0.0.1', '--port', '0', '--tls-cert', path.join(dir, 'tls.crt'), '--tls-key', path.join(dir, 'tls.key')], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
  const stream = kind === 'bare' ? child.stdout : child.stderr;
  return new Promise((resolve, reject) => {
    let buf = '';
    stream.on('data', (c) => {
      buf += c;
      for (const line of buf.split('\n')) {
        try {
          const j = JSON.parse(line);
          if (j.port) return resolve({ child, port: j.port });
        } catch {}
      }
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

function procStat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(s[11]) + Number(s[12]);
  const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
  return { cpuMs: (ticks * 1000) / 100, rss };
}

function client(port) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONC, ca: pems.caCert });
  let i = 0;
  let errors = 0;
  const once = () =>
    new Promise((resolve) => {
      const body = bodies[i++ % bodies.length].replace('"UID"', JSON.stringify(randomUUID()));
      const t0 = process.hrtime.bigint();
      const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', agent, servername: 'rampart-webhook', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          resolve(Number(process.hrtime.bigint() - t0) / 1e6);
        });
      });
      req.on('error', () => {
        errors++;
        resolve(NaN);
      });
      req.end(body);
    });
  return { once, errors: () => errors, close: () => agent.destroy() };
}

const pct = (xs, p) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function paced(c, seconds) {
  const lat = [];
  const pending = [];
  const start = performance.now();
  const total = Math.round(RATE * seconds);
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(c.once().then((ms) => lat.push(ms)));
  }
  await Promise.all(pending);
  return { n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat.filter((x) => !Number.isNaN(x))), rps: lat.length / ((performance.now() - start) / 1000) };
}

async function closed(c, count, seconds, sample) {
  let n = 0;
  const start = performance.now();
  const until = seconds ? start + seconds * 1000 : Infinity;
  const worker = async () => {
    while (performance.now() < until && (count === undefined || n < count)) {
      n++;
      await c.once();
      if (sample && n % 100_000 === 0) sample(n);
    }
  };
  await Promise.all(Array.from({ length: CONC }, worker));
  return { n, rps: n / ((performance.now() - start) / 1000) };
}

console.log(`webhook bench: ${bodies.length} distinct reviews from the corpus (avg ${avgBytes} B), rate ${RATE}/s for ${SECONDS}s, concurrency ${CONC}, TLS on loopback`);
const results = {};
for (const kind of ['bare', 'rampart']) {
  const { child, port } = await startServer(kind);
  const c = client(port);
  await closed(c, 2000); // warm-up: JIT, TLS sessions
  const s0 = procStat(child.pid);
  const p = await paced(c, SECONDS);
  const s1 = procStat(child.pid);
  const t = await closed(c, undefined, SECONDS);
  const s2 = procStat(child.pid);
  const r = { ...p, cpuPerReqMs: (s1.cpuMs - s0.cpuMs) / p.n, maxRps: t.rps, cpuPerReqClosedMs: (s2.cpuMs - s1.cpuMs) / t.n, rssMB: s2.rss / 1048576, errors: c.errors() };
  if (a.requests && kind === 'rampart') {
    const rss = [];
    const base = procStat(child.pid).rss;
    await closed(c, Number(a.requests), undefined, (n) => rss.push(`${n / 1000}k: ${(procStat(child.pid).rss / 1048576).toFixed(0)} MB`));
    r.soak = `${a.requests} requests, RSS from ${(base / 1048576).toFixed(0)} MB: ${rss.join(', ')}`;
    r.errors = c.errors();
  }
  results[kind] = r;
  c.close();
  child.kill('SIGTERM');
}
const b = results.bare;
const w = results.rampart;
const row = (label, f, unit = '') => console.log(`${label.padEnd(28)} ${String(f(b)).padStart(10)} ${String(f(w)).padStart(10)}${unit}`);
console.log(`${''.padEnd(28)} ${'bare TLS'.padStart(10)} ${'rampart'.padStart(10)}`);
row(`paced ${RATE}/s p50 ms`, (x) => x.p50.toFixed(2));
row(`paced ${RATE}/s p99 ms`, (x) => x.p99.toFixed(2));
row(`paced ${RATE}/s max ms`, (x) => x.max.toFixed(2));
row('paced achieved req/s', (x) => x.rps.toFixed(0));
row('server CPU ms / request', (x) => x.cpuPerReqMs.toFixed(3));
row(`closed loop (c=${CONC}) req/s`, (x) => x.maxRps.toFixed(0));
row('server RSS MB', (x) => x.rssMB.toFixed(0));
row('errors', (x) => x.errors);
console.log(`rampart/bare: throughput ${(w.maxRps / b.maxRps).toFixed(2)}×, p99 at ${RATE}/s ${(w.p99 / b.p99).toFixed(2)}×  (targets: p99 ≤ 5 ms at 500 req/s, ≥ 0.5× bare throughput, 0 errors)`);
if (w.soak) console.log(`soak: ${w.soak}`);
rmSync(dir, { recursive: true, force: true });
