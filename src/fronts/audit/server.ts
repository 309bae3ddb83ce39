// The API server's audit webhook backend: HTTPS, POST of an audit.k8s.io EventList per batch.
// A batch is answered 200 only after every event in it was judged (or stored in the queue);
// when too many batches are in flight it answers 429, when the queue is down 503, so the API
// server's webhook backend retries instead of this process buffering without bound.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonValue } from '../../model/types.js';
import { eventListItems } from '../../analyses/audit/event.js';
import { isObject } from '../../model/json.js';

export interface ReceiverOptions {
  cert: Buffer | string;
  key: Buffer | string;
  port: number;
  host: string;
  /** Largest accepted request body (bytes): larger batches get 413. */
  maxBodyBytes: number;
  /** Batches processed at once; more get 429 with Retry-After. */
  maxInFlight: number;
  /** Judges or stores one batch; rejects when it could not (→ 503, the API server retries). */
  handle(events: JsonValue[]): Promise<void>;
  /** Batches with invalid JSON are answered 400 and counted here. */
  onInvalid?(message: string): void;
}

export interface ReceiverMetrics {
  batches: number;
  events: number;
  rejectedBusy: number;
  rejectedTooLarge: number;
  rejectedInvalid: number;
  failed: number;
  inFlight: number;
}

export interface Receiver {
  server: Server;
  metrics: ReceiverMetrics;
  close(): Promise<void>;
  /** The bound port (useful with port 0). */
  port(): number;
}

export function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const metrics: ReceiverMetrics = { batches: 0, events: 0, rejectedBusy: 0, rejectedTooLarge: 0, rejectedInvalid: 0, failed: 0, inFlight: 0 };
  const reply = (res: ServerResponse, code: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body + '\n');
  };
  const server = createServer({ cert: opts.cert, key: opts.key }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) return reply(res, 200, 'ok');
    if (req.method === 'GET' && req.url === '/metrics') {
      const lines = Object.entries(metrics).map(([k, v]) => `rampart_audit_receiver_${k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())} ${v}`);
      return reply(res, 200, lines.join('\n'));
    }
    if (req.method !== 'POST') return reply(res, 405, 'POST an audit.k8s.io/v1 EventList', { allow: 'POST' });
    if (metrics.inFlight >= opts.maxInFlight) {
      metrics.rejectedBusy++;
      req.resume();
      return reply(res, 429, 'busy: retry later', { 'retry-after': '1' });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.maxBodyBytes) {
      metrics.rejectedTooLarge++;
      req.resume();
      return reply(res, 413, `batch larger than ${opts.maxBodyBytes} bytes`);
    }
    metrics.inFlight++;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (code: number, body: string, headers?: Record<string, string>) => {
      if (done) return;
      done = true;
      metrics.inFlight--;
      reply(res, code, body, headers);
    };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > opts.maxBodyBytes) {
        metrics.rejectedTooLarge++;
        finish(413, `batch larger than ${opts.maxBodyBytes} bytes`);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => finish(400, 'request aborted'));
    req.on('end', () => {
      if (done) return;
      let value: JsonValue;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonValue;
      } catch (e) {
        metrics.rejectedInvalid++;
        opts.onInvalid?.(`batch is not JSON: ${(e as Error).message}`);
        return finish(400, 'body is not JSON');
      }
      const items = eventListItems(value) ?? (isObject(value) && value.kind === 'Event' ? [value] : undefined);
      if (!items) {
        metrics.rejectedInvalid++;
        opts.onInvalid?.('batch is neither an EventList nor an Event');
        return finish(400, 'expected an audit.k8s.io EventList');
      }
      opts.handle(items).then(
        () => {
          metrics.batches++;
          metrics.events += items.length;
          finish(200, 'ok');
        },
        (e: Error) => {
          metrics.failed++;
          finish(503, `not stored: ${e.message}`, { 'retry-after': '1' });
        },
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve({
        server,
        metrics,
        port: () => {
          const a = server.address();
          return typeof a === 'object' && a ? a.port : opts.port;
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
