// The admission webhook's HTTPS server: the I/O edge around `admit`. It must never take the cluster
// down with it: bounded bodies, a deadline under the API server's timeout, certificate reload
// without restart, graceful shutdown, and a 400 (not a crash) for anything malformed.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ADMISSION_API_VERSION, parseAdmissionReview, type AdmissionRequest } from '../../input/admission.js';
import { admit, mutate, type AdmissionContext, type Admitter, type Decision } from './admit.js';
import { WebhookMetrics } from './metrics.js';

export interface ContextSource {
  current(): AdmissionContext;
  /** Seconds since the context was last known to match the cluster (0 for static files). */
  ageSeconds(): number;
  ready(): boolean;
}

export interface WebhookServerOptions {
  certFile: string;
  keyFile: string;
  port: number;
  host?: string;
  admitter: Admitter;
  context: ContextSource;
  /** The webhook configuration's timeoutSeconds: answers are due well before it. */
  timeoutSeconds: number;
  maxBodyBytes: number;
  /** How often the certificate files are checked for rotation. */
  certCheckMs?: number;
  /** Structured log sink (one JSON object per line); never given object contents. */
  log?: (entry: Record<string, unknown>) => void;
  /** A log line per review (default true); off, only errors and lifecycle events are logged. */
  logReviews?: boolean;
  /** Longest wait for in-flight requests on shutdown. */
  shutdownGraceMs?: number;
  /** Serve POST /mutate (the safe fixes as a JSONPatch). Off unless asked for. */
  mutate?: boolean;
}

export interface RunningWebhook {
  port: number;
  metrics: WebhookMetrics;
  /** Stops accepting, finishes in-flight requests, then closes. */
  close(): Promise<void>;
}

// The API server sends an object and possibly its old version; etcd caps objects near 1.5 MiB and
// the API server's request limit is 3 MiB, so 7 MiB holds any real review with room to spare.
export const DEFAULT_MAX_BODY = 7 * 1024 * 1024;

function fileStamp(f: string): string {
  try {
    const s = statSync(f);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

function send(res: ServerResponse, code: number, body: string, type = 'application/json'): void {
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// Label names of the per-request series, in the order they are written.
const REQUEST_LABELS = ['path', 'code'] as const;
const ADMISSION_LABELS = ['operation', 'result'] as const;
const DECISION_LABELS = ['rule', 'outcome'] as const;

const REVIEW_HEAD = `{"apiVersion":${JSON.stringify(ADMISSION_API_VERSION)},"kind":"AdmissionReview","response":`;

function reviewBody(response: Decision['response']): string {
  // The same text as stringifying the whole review, without building the wrapper object per request.
  return `${REVIEW_HEAD}${JSON.stringify(response)}}`;
}

export async function startWebhookServer(o: WebhookServerOptions): Promise<RunningWebhook> {
  const metrics = new WebhookMetrics();
  const validated = metrics.requests.cell2(REQUEST_LABELS, '/validate', '200');
  metrics.contextAge = () => o.context.ageSeconds();
  const log = o.log ?? (() => undefined);
  // Not even built when off: at thousands of reviews a second the entries are a measurable cost.
  const logReviews = o.log !== undefined && o.logReviews !== false;
  const deadlineMs = Math.max(100, o.timeoutSeconds * 1000 * 0.8);
  const tlsFiles = () => ({ cert: readFileSync(o.certFile), key: readFileSync(o.keyFile) });
  // noDelay: an answer goes out as soon as it is written (Nagle would hold a small one back for the ACK).
  const server = https.createServer({ ...tlsFiles(), minVersion: 'TLSv1.2', noDelay: true });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = Math.max(1000, o.timeoutSeconds * 1000);
  server.headersTimeout = Math.min(server.requestTimeout, 60_000);
  let inflight = 0;
  let stopping = false;

  // Certificate rotation (cert-manager, a re-issued Secret): reload when either file changes. A
  // half-written pair fails to load and the old one stays in use until the next complete change.
  let stamp = fileStamp(o.certFile) + fileStamp(o.keyFile);
  const certTimer = setInterval(() => {
    const now = fileStamp(o.certFile) + fileStamp(o.keyFile);
    if (now === stamp) return;
    try {
      const files = tlsFiles();
      createSecureContext(files);
      server.setSecureContext({ ...files, minVersion: 'TLSv1.2' });
      stamp = now;
      metrics.certReloads++;
      log({ level: 'info', msg: 'serving certificate reloaded' });
    } catch (e) {
      log({ level: 'error', msg: `serving certificate not reloaded, keeping the previous one: ${(e as Error).message}` });
    }
  }, o.certCheckMs ?? 2000);
  certTimer.unref();

  const handleReview = (route: '/validate' | '/mutate', req: IncomingMessage, res: ServerResponse, started: number): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      if (tooBig) return;
      size += c.length;
      if (size > o.maxBodyBytes) {
        tooBig = true;
        chunks.length = 0;
        metrics.requests.inc({ path: route, code: '413' });
        send(res, 413, JSON.stringify({ error: `request body over ${o.maxBodyBytes} bytes` }));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooBig) return;
      // A review usually arrives in one chunk: decode it as it is rather than copy it first.
      const parsed = parseAdmissionReview((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
      if (!parsed.ok) {
        metrics.requests.inc({ path: route, code: '400' });
        metrics.admissions.inc({ operation: 'unknown', result: 'error' });
        log({ level: 'warn', msg: 'malformed admission review', error: parsed.error, ...(parsed.uid ? { uid: parsed.uid } : {}) });
        send(res, 400, JSON.stringify({ error: parsed.error }));
        return;
      }
      const r = parsed.request;
      if (route === '/mutate') {
        let body: string;
        try {
          const m = mutate(o.admitter, o.context.current(), r);
          metrics.admissions.cell2(ADMISSION_LABELS, r.operation, m.patch.length ? 'mutated' : 'unchanged').value++;
          if (logReviews) log({ level: 'info', msg: 'mutation review', uid: r.uid, operation: r.operation, kind: r.kind.kind, namespace: r.namespace ?? '', name: r.name ?? '', fixed: m.fixed, ...(m.skipped ? { skipped: m.skipped } : {}) });
          body = reviewBody(m.response);
        } catch (e) {
          // A mutation that cannot be planned changes nothing; validation still judges the object.
          log({ level: 'error', msg: `mutation failed, object left unchanged: ${(e as Error).message}`, uid: r.uid });
          body = reviewBody({ uid: r.uid, allowed: true });
        }
        metrics.latency.observe((performance.now() - started) / 1000);
        metrics.requests.cell2(REQUEST_LABELS, route, '200').value++;
        return void send(res, 200, body);
      }
      let decision: Decision;
      if (performance.now() - started > deadlineMs) {
        // Queued past the deadline: answer now rather than let the API server time out; fail closed.
        decision = {
          response: { uid: r.uid, allowed: false, status: { code: 503, reason: 'ServiceUnavailable', message: 'rampart could not evaluate the request in time; retry' } },
          verdicts: [],
          failures: ['deadline exceeded'],
        };
      } else {
        try {
          decision = admit(o.admitter, o.context.current(), r);
        } catch (e) {
          decision = {
            response: { uid: r.uid, allowed: false, status: { code: 500, reason: 'InternalError', message: `rampart could not evaluate the request: ${(e as Error).message}` } },
            verdicts: [],
            failures: [(e as Error).message],
          };
        }
      }
      const seconds = (performance.now() - started) / 1000;
      metrics.latency.observe(seconds);
      record(r, decision, seconds);
      validated.value++;
      send(res, 200, reviewBody(decision.response));
    });
  };

  const record = (r: AdmissionRequest, d: Decision, seconds: number) => {
    const result = d.skipped ? 'skipped' : d.response.allowed ? 'allowed' : 'denied';
    metrics.admissions.cell2(ADMISSION_LABELS, r.operation, result).value++;
    for (const v of d.verdicts) metrics.decisions.cell2(DECISION_LABELS, v.ruleId, v.mode).value++;
    if (!logReviews) return;
    log({
      level: 'info',
      msg: 'admission review',
      uid: r.uid,
      operation: r.operation,
      kind: r.kind.kind,
      namespace: r.namespace ?? '',
      name: r.name ?? '',
      user: r.userInfo.username,
      dryRun: r.dryRun,
      allowed: d.response.allowed,
      ...(d.skipped ? { skipped: d.skipped } : {}),
      violations: d.verdicts.map((v) => `${v.ruleId}:${v.mode}`),
      ms: Math.round(seconds * 1e4) / 10,
    });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    inflight++;
    res.on('close', () => inflight--);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const url = q < 0 ? raw : raw.slice(0, q);
    if (req.method === 'GET' && url === '/healthz') return void send(res, 200, 'ok\n', 'text/plain');
    if (req.method === 'GET' && url === '/readyz') {
      const ok = !stopping && o.context.ready();
      return void send(res, ok ? 200 : 503, ok ? 'ok\n' : stopping ? 'shutting down\n' : 'context not synced\n', 'text/plain');
    }
    if (req.method === 'GET' && url === '/metrics') return void send(res, 200, metrics.render(), 'text/plain; version=0.0.4');
    if (url === '/validate' || (url === '/mutate' && o.mutate)) {
      if (req.method !== 'POST') {
        metrics.requests.inc({ path: url, code: '405' });
        return void send(res, 405, JSON.stringify({ error: 'use POST' }));
      }
      const type = req.headers['content-type'];
      if (type && !/^application\/json\b/i.test(type)) {
        metrics.requests.inc({ path: url, code: '415' });
        return void send(res, 415, JSON.stringify({ error: `content-type must be application/json, got ${type}` }));
      }
      return handleReview(url, req, res, started);
    }
    if (url === '/mutate') {
      metrics.requests.inc({ path: '/mutate', code: '404' });
      return void send(res, 404, JSON.stringify({ error: '/mutate is off: start the webhook with --mutate' }));
    }
    metrics.requests.inc({ path: 'other', code: '404' });
    send(res, 404, JSON.stringify({ error: 'not found: use POST /validate, GET /healthz, /readyz, /metrics' }));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log({ level: 'info', msg: 'webhook listening', port });

  return {
    port,
    metrics,
    close: async () => {
      stopping = true;
      clearInterval(certTimer);
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const until = Date.now() + (o.shutdownGraceMs ?? 10_000);
      while (inflight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      server.closeAllConnections();
      await closed;
    },
  };
}
