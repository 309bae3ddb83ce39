#!/usr/bin/env node
// Admission webhook latency, throughput and memory over TLS on loopback, side by side with a bare TLS
// server in the same run (the machines are shared and noisy: compare ratios, read the load printed).
//   node bench/webhook.mjs [--rate 500] [--seconds 10] [--concurrency 16] [--warmup 20000] [--requests 1000000] [--profile DIR] [--before DIR]
// --before DIR adds a third server, `webhook serve` of another built checkout (e.g. main before a change),
// run between the two with the same load: before/after and the bare yardstick in one run.
// For each server, bare then rampart, after the same --warmup requests (closed loop: the JIT compiles
// the hot paths of both before anything is measured; a webhook runs for days, so steady state counts):
//   paced:  requests at --rate for --seconds (p50/p99/max from send; p99 from the schedule too);
//   closed: --concurrency requests in flight for --seconds (req/s);
//   soak (rampart, with --requests N): N requests in closed loop; heap and RSS after a forced GC are
//   sampled 20 times and their slope per 100k requests printed (a leak of 10 bytes per request shows).
// Before the servers: the decision in-process (parse, admit, serialise) on the same reviews.
// Server CPU and memory are the server's own process.cpuUsage() and memoryUsage(), read over IPC by a
// probe preloaded into both servers (memory is read after a full GC; the probe adds no V8 flag at start,
// so rampart starts from the bundle's code cache as it does for users: checked below). Each answer is
// checked (status 200, an AdmissionReview echoing the request's uid): anything else is an error.
// Reviews are real objects from ../shared/corpus/real-world (workloads, services, RBAC), so the
// webhook does the work it does in a cluster. Run `npm run build` first. Exit 1 when a target is missed.
import https from 'node:https';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';

const { values: a } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    requests: { type: 'string' },
    warmup: { type: 'string', default: '20000' },
    profile: { type: 'string' },
    before: { type: 'string' },
  },
});
const RATE = Number(a.rate);
const SECONDS = Number(a.seconds);
const CONC = Number(a.concurrency);
const SOAK = a.requests ? Number(a.requests) : 0;
const WARMUP = Number(a.warmup);
const TARGET = { p99Ms: 5, ratio: 0.5, leakBytesPerRequest: 10 };

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
      requestKind: { group, version, kind: r.kind },
      requestResource: { group, version, resource: r.kind.toLowerCase() + 's' },
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

// The decision alone, in this process: what the server adds on top is HTTP, TLS, metrics and logs.
async function inProcess() {
  const [{ builtinRules }, { admit, contextOf }, { defaultPolicy }, { parseAdmissionReview }, { emptyConfig }, { rbacScanSettings }] = await Promise.all([
    import('../dist/rules/index.js'),
    import('../dist/fronts/webhook/admit.js'),
    import('../dist/fronts/webhook/policy.js'),
    import('../dist/input/admission.js'),
    import('../dist/engine/config.js'),
    import('../dist/input/rbac-defaults.js'),
  ]);
  const config = emptyConfig();
  const rbac = await rbacScanSettings(config.settings.rbac, false);
  const admitter = { rules: builtinRules, config, policy: defaultPolicy(), settings: { ...config.settings, rbac: rbac.settings } };
  const ctx = contextOf([]);
  let denied = 0;
  const one = (i) => {
    const d = admit(admitter, ctx, parseAdmissionReview(bodies[i % bodies.length]).request);
    if (!d.response.allowed) denied++;
    return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: d.response });
  };
  for (let i = 0; i < 2 * bodies.length; i++) one(i);
  denied = 0;
  const n = 5 * bodies.length;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) one(i);
  const cpu = process.cpuUsage(c0);
  return { n, cpuMs: (cpu.user + cpu.system) / 1000 / n, wallMs: (performance.now() - t0) / n, denied: denied / n };
}

// Preloaded into both servers: answers {probe} over IPC with the process's own CPU and memory,
// after a full GC when asked. The channel is unref'd so it never keeps a stopping server alive.
// On Linux the main thread's own CPU is read too (the rest is V8's helper threads: JIT, GC).
const PROBE = `import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
// gc() is made on the first request for it, not with --expose-gc on the command line: V8 keys its
// code cache by its flags, and the server must start with the bundle's cache as users start it.
let gc;
const fullGc = () => {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
  }
  gc();
};
const mainThreadUs = () => {
  try {
    const st = readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
  } catch {
    return NaN;
  }
};
if (process.channel) {
  process.on('message', (m) => {
    if (!m || !m.probe) return;
    if (m.gc) fullGc();
    const c = process.cpuUsage();
    const mu = process.memoryUsage();
    process.send({ probe: m.probe, cpuUs: c.user + c.system, sysUs: c.system, mainUs: mainThreadUs(), rss: mu.rss, heapUsed: mu.heapUsed });
  });
  process.channel.unref();
}`;
const NODE_ARGS = ['--import', `data:text/javascript,${encodeURIComponent(PROBE)}`];

// A TLS server that does the least a correct webhook must: read the body, parse it, echo the uid.
const BARE = `
const https = require('node:https'); const fs = require('node:fs');
const s = https.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]), minVersion: 'TLSv1.2' }, (req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body);
  });
});
s.keepAliveTimeout = 65000;
process.on('SIGTERM', () => process.exit(0));
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port })));`;

/** What V8 says of the bundle's code cache when a process starts with the servers' flags ('false': taken). */
function codeCacheRejected() {
  const loader = JSON.stringify(pathToFileURL(path.resolve('dist/cli/bundle-loader.js')).href);
  const bundle = JSON.stringify(path.resolve('dist/bundle/rampart.cjs'));
  const script = `const { loadBundle } = await import(${loader}); process.stdout.write(String(loadBundle(${bundle}).cacheRejected));`;
  const r = spawnSync(process.execPath, [...NODE_ARGS, '--input-type=module', '-e', script], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : `failed: ${r.stderr.slice(0, 200)}`;
}

function startServer(kind) {
  const t0 = performance.now();
  const prof = a.profile ? ['--cpu-prof', '--cpu-prof-dir', a.profile, '--cpu-prof-name', `${kind}.cpuprofile`] : [];
  const args =
    kind === 'bare'
      ? [...NODE_ARGS, ...prof, '-e', BARE, path.join(dir, 'tls.crt'), path.join(dir, 'tls.key')]
      : [...NODE_ARGS, ...prof, kind === 'before' ? path.join(a.before, 'bin/rampart.js') : 'bin/rampart.js', 'webhook', 'serve', '--quiet', '--no-config', '--host', '127.0.0.1', '--port', '0', '--tls-cert', path.join(dir, 'tls.crt'), '--tls-key', path.join(dir, 'tls.key')];
  const child = spawn(process.execPath, args, { stdio: ['ignore', kind === 'bare' ? 'pipe' : 'ignore', kind === 'bare' ? 'inherit' : 'pipe', 'ipc'] });
  const stream = kind === 'bare' ? child.stdout : child.stderr;
  const waiting = new Map();
  let next = 0;
  child.on('message', (m) => {
    waiting.get(m.probe)?.(m);
    waiting.delete(m.probe);
  });
  /** The server's CPU (ms) and memory (bytes), after a full GC when `gc`. */
  const probe = (gc = false) =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, (m) => resolve({ cpuMs: m.cpuUs / 1000, sysMs: m.sysUs / 1000, mainMs: (m.mainUs ?? NaN) / 1000, rss: m.rss, heap: m.heapUsed }));
      child.send({ probe: id, gc });
    });
  return new Promise((resolve, reject) => {
    let buf = '';
    stream.on('data', (c) => {
      buf += c;
      for (const line of buf.split('\n')) {
        try {
          const j = JSON.parse(line);
          if (j.port) return resolve({ child, port: j.port, probe, startMs: performance.now() - t0 });
        } catch {}
      }
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

function client(port) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONC, ca: pems.caCert });
  let i = 0;
  let errors = 0;
  let requests = 0;
  let denied = 0;
  const firstErrors = [];
  const fail = (why) => {
    errors++;
    if (firstErrors.length < 3) firstErrors.push(why);
  };
  /** One review; resolves to its latency in ms from `t0` (NaN when it failed). */
  const once = (t0 = performance.now()) =>
    new Promise((resolve) => {
      const uid = randomUUID();
      const body = bodies[i++ % bodies.length].replace('"UID"', `"${uid}"`);
      requests++;
      const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', agent, servername: 'rampart-webhook', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          let review;
          try {
            review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {}
          if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}`);
          else if (review?.kind !== 'AdmissionReview' || review.response?.uid !== uid || typeof review.response.allowed !== 'boolean') fail('not an AdmissionReview answering the request');
          else {
            if (!review.response.allowed) denied++;
            return resolve(ms);
          }
          resolve(NaN);
        });
      });
      req.on('error', (e) => {
        fail(e.message);
        resolve(NaN);
      });
      req.end(body);
    });
  return { once, errors: () => errors, requests: () => requests, denied: () => denied, firstErrors, close: () => agent.destroy() };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Requests due at a fixed rate whatever the answers do (an open loop, as the API server sends). */
async function paced(c, seconds) {
  const fromSend = [];
  const fromDue = [];
  const pending = [];
  const start = performance.now();
  const total = Math.round(RATE * seconds);
  let k = 0;
  while (k < total) {
    const now = performance.now();
    // Everything due by now goes out; a late timer sends the backlog at once (and fromDue shows it).
    for (; k < total && start + (k * 1000) / RATE <= now; k++) {
      const due = start + (k * 1000) / RATE;
      pending.push(
        c.once().then((ms) => {
          if (Number.isNaN(ms)) return;
          fromSend.push(ms);
          fromDue.push(performance.now() - due);
        }),
      );
    }
    const wait = start + (k * 1000) / RATE - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
  await Promise.all(pending);
  const s = fromSend.sort((x, y) => x - y);
  const d = fromDue.sort((x, y) => x - y);
  return { n: total, p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1], p99Due: pct(d, 99), rps: total / ((performance.now() - start) / 1000) };
}

/** `CONC` requests in flight until `count` requests or `seconds` have passed. */
async function closed(c, count, seconds, every, sample) {
  let n = 0;
  let sampling = Promise.resolve();
  const start = performance.now();
  const until = seconds ? start + seconds * 1000 : Infinity;
  const worker = async () => {
    while (performance.now() < until && (count === undefined || n < count)) {
      n++;
      if (sample && n % every === 0) sampling = sampling.then(() => sample(n));
      await c.once();
    }
  };
  await Promise.all(Array.from({ length: CONC }, worker));
  await sampling;
  return { n, rps: n / ((performance.now() - start) / 1000) };
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

const MB = 1048576;
const load0 = loadavg();
console.log(
  `webhook bench: ${bodies.length} distinct reviews from the corpus (avg ${avgBytes} B), rate ${RATE}/s for ${SECONDS}s, concurrency ${CONC}, TLS on loopback; ` +
    `${cpus().length} CPUs, load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start`,
);
const cache = codeCacheRejected();
console.log(`rampart starts from the bundle's V8 code cache with the servers' flags: ${cache === 'false' ? 'yes (taken)' : `NO (rejected: ${cache})`}`);
const ip = await inProcess();
console.log(`in-process decision (parse, admit, serialise) over ${ip.n} reviews: ${ip.cpuMs.toFixed(3)} ms CPU, ${ip.wallMs.toFixed(3)} ms wall per review; ${(ip.denied * 100).toFixed(0)}% denied`);

const results = {};
const clientCpu0 = process.cpuUsage();
const SERVERS = a.before ? ['bare', 'before', 'rampart'] : ['bare', 'rampart'];
const LABELS = { bare: 'bare TLS', before: 'before', rampart: 'rampart' };
for (const kind of SERVERS) {
  const { child, port, probe, startMs } = await startServer(kind);
  const c = client(port);
  await closed(c, WARMUP); // warm-up: JIT, TLS sessions
  const s0 = await probe();
  const p = await paced(c, SECONDS);
  const s1 = await probe();
  const t = await closed(c, undefined, SECONDS);
  const s2 = await probe(true);
  const r = { ...p, startMs, cpuPerReqMs: (s1.cpuMs - s0.cpuMs) / p.n, sysPerReqMs: (s1.sysMs - s0.sysMs) / p.n, maxRps: t.rps, cpuPerReqClosedMs: (s2.cpuMs - s1.cpuMs) / t.n, sysPerReqClosedMs: (s2.sysMs - s1.sysMs) / t.n, mainPerReqClosedMs: (s2.mainMs - s1.mainMs) / t.n, rssMB: s2.rss / MB, heapMB: s2.heap / MB };
  if (SOAK && kind === 'rampart') {
    const every = Math.max(1000, Math.round(SOAK / 20));
    const samples = [{ n: 0, ...s2 }];
    const started = performance.now();
    const cpu0 = s2.cpuMs;
    const soak = await closed(c, SOAK, undefined, every, async (n) => samples.push({ n, ...(await probe(true)) }));
    const end = await probe(true);
    samples.push({ n: soak.n, ...end });
    // The first tenth warms caches and JIT; the slope is taken over the rest.
    const steady = samples.filter((s) => s.n >= SOAK / 10);
    const per100k = (key) => slope(steady.map((s) => ({ x: s.n, y: s[key] }))) * 100_000;
    r.soak = { n: soak.n, rps: soak.rps, seconds: (performance.now() - started) / 1000, cpuPerReqMs: (end.cpuMs - cpu0) / soak.n, samples, heapSlope: per100k('heap'), rssSlope: per100k('rss') };
  }
  r.errors = c.errors();
  r.requests = c.requests();
  r.denied = c.denied() / c.requests();
  r.firstErrors = c.firstErrors;
  results[kind] = r;
  c.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
const clientCpu = process.cpuUsage(clientCpu0);
const b = results.bare;
const w = results.rampart;
const row = (label, f) => console.log(`${label.padEnd(34)} ${SERVERS.map((k) => String(f(results[k])).padStart(10)).join(' ')}`);
console.log(`${''.padEnd(34)} ${SERVERS.map((k) => LABELS[k].padStart(10)).join(' ')}`);
row('start to listening ms', (x) => x.startMs.toFixed(0));
row(`paced ${RATE}/s p50 ms`, (x) => x.p50.toFixed(2));
row(`paced ${RATE}/s p99 ms`, (x) => x.p99.toFixed(2));
row(`paced ${RATE}/s max ms`, (x) => x.max.toFixed(2));
row(`paced p99 ms from the schedule`, (x) => x.p99Due.toFixed(2));
row('paced achieved req/s', (x) => x.rps.toFixed(0));
row('server CPU ms / request (paced)', (x) => x.cpuPerReqMs.toFixed(3));
row('  of which kernel (system)', (x) => x.sysPerReqMs.toFixed(3));
row(`closed loop (c=${CONC}) req/s`, (x) => x.maxRps.toFixed(0));
row('  ÷ bare TLS', (x) => `${(x.maxRps / b.maxRps).toFixed(2)}×`);
row('server CPU ms / request (closed)', (x) => x.cpuPerReqClosedMs.toFixed(3));
row('  of which kernel (system)', (x) => x.sysPerReqClosedMs.toFixed(3));
row('  of which the main thread', (x) => (Number.isNaN(x.mainPerReqClosedMs) ? 'n/a' : x.mainPerReqClosedMs.toFixed(3)));
row('server RSS MB after GC', (x) => x.rssMB.toFixed(0));
row('server heap MB after GC', (x) => x.heapMB.toFixed(1));
row('requests', (x) => x.requests);
row('denied', (x) => `${(x.denied * 100).toFixed(0)}%`);
row('errors', (x) => x.errors);
for (const [kind, x] of Object.entries(results)) if (x.firstErrors.length) console.log(`${kind} errors, first: ${x.firstErrors.join('; ')}`);
const allRequests = SERVERS.reduce((n, k) => n + results[k].requests, 0);
console.log(`bench client CPU over all servers: ${((clientCpu.user + clientCpu.system) / 1000 / allRequests).toFixed(3)} ms / request (it shares the machine with the server)`);
if (w.soak) {
  const s = w.soak;
  console.log(`soak: ${s.n} requests in ${s.seconds.toFixed(0)} s (${s.rps.toFixed(0)} req/s, ${s.cpuPerReqMs.toFixed(3)} ms server CPU / request); after GC:`);
  for (const x of s.samples) console.log(`  ${String(x.n).padStart(9)} requests: heap ${(x.heap / MB).toFixed(1).padStart(6)} MB, RSS ${(x.rss / MB).toFixed(0).padStart(4)} MB`);
  const first = s.samples.find((x) => x.n >= SOAK / 10);
  const last = s.samples[s.samples.length - 1];
  console.log(`  from ${first.n} to ${last.n}: heap ${(first.heap / MB).toFixed(1)} -> ${(last.heap / MB).toFixed(1)} MB (${(s.heapSlope / MB).toFixed(2)} MB per 100k), RSS ${(first.rss / MB).toFixed(0)} -> ${(last.rss / MB).toFixed(0)} MB (${(s.rssSlope / MB).toFixed(2)} MB per 100k)`);
}
const load1 = loadavg();
console.log(`load average ${load1.map((x) => x.toFixed(1)).join(' ')} at end`);

const targets = [
  [`p99 ≤ ${TARGET.p99Ms} ms at ${RATE} req/s`, `p99 ${w.p99.toFixed(2)} ms (p50 ${w.p50.toFixed(2)}, max ${w.max.toFixed(1)}) at ${w.rps.toFixed(0)} req/s; bare TLS p99 ${b.p99.toFixed(2)} ms`, w.p99 <= TARGET.p99Ms && w.rps >= RATE * 0.95],
  [`throughput ≥ ${TARGET.ratio}× bare TLS`, `${(w.maxRps / b.maxRps).toFixed(2)}× (${w.maxRps.toFixed(0)} / ${b.maxRps.toFixed(0)} req/s)`, w.maxRps / b.maxRps >= TARGET.ratio],
  ['zero errors', `${w.errors + b.errors} errors in ${w.requests + b.requests} requests`, w.errors + b.errors === 0],
];
if (w.soak) {
  const limit = (TARGET.leakBytesPerRequest * 100_000) / MB;
  targets.push([
    `memory flat over ${w.soak.n} requests`,
    `heap after GC ${(w.soak.heapSlope / MB).toFixed(2)} MB per 100k (limit ${limit.toFixed(2)}), RSS ${(w.soak.rssSlope / MB).toFixed(2)} MB per 100k`,
    w.soak.heapSlope <= TARGET.leakBytesPerRequest * 100_000,
  ]);
} else targets.push(['memory flat over 1M requests', 'not run: use --requests 1000000', undefined]);
console.log('targets:');
for (const [what, figure, ok] of targets) console.log(`  ${(ok === undefined ? '----' : ok ? 'PASS' : 'MISS').padEnd(5)} ${what.padEnd(40)} ${figure}`);
rmSync(dir, { recursive: true, force: true });
process.exitCode = targets.some(([, , ok]) => ok === false) ? 1 : 0;
