// A small Kubernetes API client on node:https: bounded concurrency, per-request timeouts, Retry-After
// on 429, exponential backoff on 5xx and dropped connections, a fresh credential once after a 401,
// HTTP CONNECT proxies, and paginated lists (limit/continue) that restart when the continue token
// expires (410 Gone). Reusable by every front (scan, the webhook's cache): it knows nothing of rules.
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { ClusterTarget } from './kubeconfig.js';
import { CredentialSource, type Credential } from './credentials.js';
import { VERSION } from '../../version.js';

export interface ClientOptions {
  /** Idle time (ms) after which a request is abandoned and retried. */
  timeoutMs?: number;
  /** Attempts after the first for 429, 5xx and dropped connections. */
  maxRetries?: number;
  /** Requests in flight at once (the API server's fairness is per client, be polite). */
  concurrency?: number;
  /** First backoff step (ms); doubles each retry, with jitter. */
  retryBaseMs?: number;
  /** Longest Retry-After honoured (ms). */
  maxRetryAfterMs?: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ListOptions {
  /** Page size (`limit`). */
  limit?: number;
  accept?: string;
  /** Called with each page's items (in order); a restart after 410 calls `onRestart` first. */
  onPage(items: unknown[]): void;
  /** The list is starting over (410 Gone): drop what the earlier pages gave. */
  onRestart?(): void;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Record<string, unknown>;
}

export interface WatchOptions {
  /** Start after this version (from a list, or the last event seen). */
  resourceVersion: string;
  /** The server ends the watch after this long (default 300 s); the caller watches again. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  onEvent(e: WatchEvent): void;
  /** The server accepted the watch: from here on the stream is live. */
  onOpen?(): void;
}

export interface WatchResult {
  /** The last version seen (events and bookmarks): where the next watch starts. */
  resourceVersion: string;
  /** The server no longer has history from that version (410): list again, then watch. */
  expired: boolean;
}

export interface ListResult {
  items: number;
  pages: number;
  restarts: number;
  resourceVersion?: string;
}

const RETRYABLE_NET = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ERR_REQUEST_TIMEOUT']);
/** A refused connection is retried briefly (an API server restarting), not for the full budget. */
const CONNECT_RETRIES = 2;
const MAX_410_RESTARTS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\d+$/.test(s.trim())) return Number(s.trim()) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** A FIFO semaphore: at most `n` holders. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Tunnels TLS through an HTTP proxy with CONNECT, keeping the agent's connection reuse. */
class ProxyAgent extends Agent {
  constructor(
    private readonly proxy: URL,
    opts: AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: ConnectionOptions & { host?: string; port?: number }, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    const target = `${options.host}:${options.port}`;
    const headers: Record<string, string> = { host: target };
    if (this.proxy.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`;
    const req = httpRequest({ host: this.proxy.hostname, port: Number(this.proxy.port || 80), method: 'CONNECT', path: target, headers });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        cb(new Error(`proxy ${this.proxy.host} refused CONNECT ${target}: HTTP ${res.statusCode}`));
        return;
      }
      cb(null, tlsConnect({ ...options, socket }));
    });
    req.once('error', (e) => cb(new Error(`proxy ${this.proxy.host}: ${e.message}`)));
    req.end();
    return undefined;
  }
}

export class KubeClient {
  readonly target: ClusterTarget;
  private readonly opts: Required<ClientOptions>;
  private readonly creds: CredentialSource;
  private readonly limiter: Limiter;
  private agent: Agent | undefined;
  private agentCert: Buffer | undefined;
  /** Requests sent (including retries), for progress and benches. */
  requests = 0;

  constructor(target: ClusterTarget, opts: ClientOptions = {}) {
    this.target = target;
    this.opts = { timeoutMs: 60_000, maxRetries: 5, concurrency: 6, retryBaseMs: 250, maxRetryAfterMs: 60_000, ...opts };
    this.creds = new CredentialSource(target);
    this.limiter = new Limiter(this.opts.concurrency);
    const u = new URL(target.server);
    if (u.protocol !== 'https:') throw new ApiError(`server ${target.server} is not https: Rampart only talks TLS to API servers`, 0, 'BadServer', '');
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private agentFor(cred: Credential): Agent {
    if (this.agent && this.agentCert === cred.clientCert) return this.agent;
    this.agent?.destroy();
    const t = this.target;
    const o: AgentOptions = { keepAlive: true, maxSockets: this.opts.concurrency, rejectUnauthorized: !t.insecureSkipTlsVerify };
    if (t.ca) o.ca = t.ca;
    if (t.tlsServerName) o.servername = t.tlsServerName;
    if (cred.clientCert && cred.clientKey) {
      o.cert = cred.clientCert;
      o.key = cred.clientKey;
    }
    const proxy = t.proxyUrl ?? undefined;
    this.agent = proxy && new URL(proxy).protocol === 'http:' ? new ProxyAgent(new URL(proxy), o) : new Agent(o);
    if (proxy && new URL(proxy).protocol !== 'http:') throw new ApiError(`proxy-url ${new URL(proxy).protocol}// is not supported (only http:// CONNECT proxies)`, 0, 'BadProxy', '');
    this.agentCert = cred.clientCert;
    return this.agent;
  }

  private once(method: string, path: string, cred: Credential, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
    const base = new URL(this.target.server);
    const prefix = base.pathname.replace(/\/+$/, '');
    const h: Record<string, string> = { 'user-agent': `rampart/${VERSION}`, ...headers };
    if (cred.authorization) h.authorization = cred.authorization;
    if (body) h['content-length'] = String(body.length);
    const agent = this.agentFor(cred);
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ protocol: 'https:', hostname: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 443, method, path: prefix + path, headers: h, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(this.opts.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${this.opts.timeoutMs / 1000} s`), { code: 'ERR_REQUEST_TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Watches a collection from `resourceVersion`, event by event, until the server ends the stream, the
   * signal aborts it, or the history is gone (`expired`: list again). Not retried here: a cache decides.
   */
  async watch(path: string, opts: WatchOptions): Promise<WatchResult> {
    const cred = await this.creds.get();
    const base = new URL(this.target.server);
    const timeout = opts.timeoutSeconds ?? 300;
    const sep = path.includes('?') ? '&' : '?';
    const full = `${base.pathname.replace(/\/+$/, '')}${path}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=${timeout}&resourceVersion=${encodeURIComponent(opts.resourceVersion)}`;
    const headers: Record<string, string> = { 'user-agent': `rampart/${VERSION}`, accept: 'application/json' };
    if (cred.authorization) headers.authorization = cred.authorization;
    const result: WatchResult = { resourceVersion: opts.resourceVersion, expired: false };
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ protocol: 'https:', hostname: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 443, method: 'GET', path: full, headers, agent: this.agentFor(cred), ...(opts.signal ? { signal: opts.signal } : {}) }, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 410) resolve({ ...result, expired: true });
            else reject(this.errorOf({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }, path));
          });
          return;
        }
        opts.onOpen?.();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          buf += text;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            let ev: { type?: string; object?: Record<string, unknown> };
            try {
              ev = JSON.parse(line) as typeof ev;
            } catch {
              continue; // a torn line cannot be used; the next list or watch corrects the cache
            }
            const obj = ev.object ?? {};
            const rv = (obj.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
            if (ev.type === 'ERROR') {
              if ((obj as { code?: unknown }).code === 410) result.expired = true;
              continue;
            }
            if (typeof rv === 'string') result.resourceVersion = rv;
            if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') opts.onEvent({ type: ev.type, object: obj });
          }
        });
        res.on('end', () => resolve(result));
        res.on('error', (e) => (opts.signal?.aborted ? resolve(result) : reject(e)));
      });
      // No byte for longer than the server's own timeout: the connection is dead.
      req.setTimeout((timeout + 30) * 1000, () => req.destroy(new Error('watch stalled')));
      req.on('error', (e) => (opts.signal?.aborted ? resolve(result) : reject(new ApiError(`watch ${path}: ${e.message}`, 0, 'NetworkError', path))));
      req.end();
    });
  }

  /** One API call with retries; resolves with any HTTP answer that is not retried. */
  async request(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawResponse> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const cred = await this.creds.get();
      let res: RawResponse;
      try {
        this.requests++;
        res = await this.limiter.run(() => this.once(method, path, cred, headers, body));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        const budget = code === 'ECONNREFUSED' ? Math.min(CONNECT_RETRIES, this.opts.maxRetries) : this.opts.maxRetries;
        if (attempt < budget && RETRYABLE_NET.has(code)) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new ApiError(`cannot reach ${this.target.server} (context ${this.target.context}): ${(e as Error).message}`, 0, code || 'NetworkError', path);
      }
      if (res.status === 401 && this.creds.refreshable && !refreshed) {
        refreshed = true;
        this.creds.invalidate();
        continue;
      }
      if ((res.status === 429 || res.status >= 500) && attempt < this.opts.maxRetries) {
        const ra = retryAfterMs(res.headers['retry-after']);
        await sleep(ra !== undefined ? Math.min(ra, this.opts.maxRetryAfterMs) : this.backoff(attempt));
        continue;
      }
      return res;
    }
  }

  private backoff(attempt: number): number {
    const base = this.opts.retryBaseMs * 2 ** attempt;
    return Math.min(30_000, base / 2 + Math.random() * base);
  }

  /** GET a JSON document; a non-2xx answer is an ApiError carrying the server's Status message. */
  async getJson(path: string, accept = 'application/json'): Promise<unknown> {
    const res = await this.request('GET', path, { accept });
    return this.decode(res, path);
  }

  decode(res: RawResponse, path: string): unknown {
    if (res.status < 200 || res.status >= 300) throw this.errorOf(res, path);
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ApiError(`${path}: the server answered ${res.status} with a body that is not JSON`, res.status, 'BadResponse', path);
    }
  }

  errorOf(res: RawResponse, path: string): ApiError {
    let message = '';
    let reason = '';
    try {
      const st = JSON.parse(res.body.toString('utf8')) as { message?: unknown; reason?: unknown };
      if (typeof st.message === 'string') message = st.message;
      if (typeof st.reason === 'string') reason = st.reason;
    } catch {
      message = res.body.toString('utf8').slice(0, 200);
    }
    if (res.status === 401) message = `the credentials of context "${this.target.context}" were rejected (401 Unauthorized)`;
    return new ApiError(message || `HTTP ${res.status}`, res.status, reason, path);
  }

  /**
   * Lists a collection page by page; restarts from the first page when the continue token expires.
   * The next page is requested before the current one is handed to `onPage`, so the server produces
   * it while the caller digests this one.
   */
  async list(path: string, opts: ListOptions): Promise<ListResult> {
    const limit = opts.limit ?? 500;
    const result: ListResult = { items: 0, pages: 0, restarts: 0 };
    const sep = path.includes('?') ? '&' : '?';
    const accept = opts.accept ?? 'application/json';
    const fetchPage = (cont: string | undefined) => this.request('GET', `${path}${sep}limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { accept });
    let cont: string | undefined;
    let pending = fetchPage(undefined);
    for (;;) {
      const res = await pending;
      if (res.status === 410 && cont && result.restarts < MAX_410_RESTARTS) {
        // The snapshot the token pointed into was compacted: a consistent list must start over.
        result.restarts++;
        result.items = 0;
        result.pages = 0;
        cont = undefined;
        opts.onRestart?.();
        pending = fetchPage(undefined);
        continue;
      }
      const doc = this.decode(res, path) as { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown } };
      const items = Array.isArray(doc.items) ? doc.items : [];
      const next = doc.metadata?.continue;
      if (typeof doc.metadata?.resourceVersion === 'string') result.resourceVersion = doc.metadata.resourceVersion;
      const more = typeof next === 'string' && next !== '';
      if (more) {
        cont = next;
        pending = fetchPage(next);
        // A failed prefetch is seen when awaited; until then it must not count as unhandled.
        pending.catch(() => undefined);
      }
      result.items += items.length;
      result.pages++;
      opts.onPage(items);
      if (!more) return result;
    }
  }
}
