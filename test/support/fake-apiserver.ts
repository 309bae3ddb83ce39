// A TEST DOUBLE of the Kubernetes API server, for tests and benches only: HTTPS on 127.0.0.1 with
// legacy discovery (/api, /apis), lists with real `limit`/`continue` tokens that expire (410 Gone),
// PartialObjectMetadataList and Table responses, nodes/{name}/proxy/configz, server-side apply,
// bearer-token and client-certificate authentication, 403 per resource, and injected 429/500 and
// delays. The real kubectl talks to it in the tests, as a witness that it speaks the real API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import os from 'node:os';
import path from 'node:path';

export interface ApiResourceDef {
  group: string;
  version: string;
  /** Plural resource name, e.g. `pods`. */
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  shortNames?: string[];
}

type Obj = Record<string, any>;

/** A response injected in place of the real one, consumed in order. */
export interface Injected {
  status: number;
  retryAfter?: number;
  /** Only for requests whose path contains this (default: any request for the resource). */
  pathIncludes?: string;
}

export interface TestCerts {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** CA, server (127.0.0.1) and client certificates made with openssl; `cleanup()` removes them. */
export function makeTestCerts(): TestCerts & { cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-fake-apiserver-'));
  const p = (n: string) => path.join(dir, n);
  const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '3650', '-subj', '/CN=fake-apiserver-test-ca']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  // The server certificate names 127.0.0.1 as an IP SAN, so hostname verification holds.
  writeFileSync(p('san.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.crt'), '-days', '3650', '-extfile', p('san.ext')]);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', '/CN=cert-user/O=rampart-readers']);
  ssl(['x509', '-req', '-in', p('client.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('client.crt'), '-days', '3650']);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The resources a v1.35 cluster serves that Rampart reads (plus a few it does not). */
export const BUILTIN_RESOURCES: ApiResourceDef[] = [
  { group: '', version: 'v1', name: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'] },
  { group: '', version: 'v1', name: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'] },
  { group: '', version: 'v1', name: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', name: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', name: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', name: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', name: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'] },
  { group: '', version: 'v1', name: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: 'apps', version: 'v1', name: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'] },
  { group: 'apps', version: 'v1', name: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'] },
  { group: 'apps', version: 'v1', name: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'] },
  { group: 'apps', version: 'v1', name: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'] },
  { group: 'batch', version: 'v1', name: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', name: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'] },
  { group: 'networking.k8s.io', version: 'v1', name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
  { group: 'networking.k8s.io', version: 'v1', name: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'apiextensions.k8s.io', version: 'v1', name: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd'] },
  { group: 'wgpolicyk8s.io', version: 'v1alpha2', name: 'policyreports', kind: 'PolicyReport', namespaced: true, shortNames: ['polr'] },
  { group: 'wgpolicyk8s.io', version: 'v1alpha2', name: 'clusterpolicyreports', kind: 'ClusterPolicyReport', namespaced: false, shortNames: ['cpolr'] },
];

const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface FakeApiServerOptions {
  certs: TestCerts;
  /** Bearer tokens accepted (each names a user). Client certificates signed by the CA are accepted too. */
  tokens?: Record<string, string>;
  resources?: ApiResourceDef[];
}

export interface RequestRecord {
  method: string;
  path: string;
  accept: string;
  user: string;
  status: number;
  /** When the answer was sent (ms since epoch). */
  at: number;
}

/** The test double. Objects are stored per resource; `rv` counts writes like etcd's revision. */
export class FakeApiServer {
  readonly resources: ApiResourceDef[];
  readonly requests: RequestRecord[] = [];
  /** Plural resource names (`secrets`, `nodes/proxy`) that every user is forbidden to read. */
  readonly forbidden = new Set<string>();
  /** Responses injected per plural resource name, consumed in order. */
  readonly inject = new Map<string, Injected[]>();
  /** Delay (ms) before answering requests for a resource. */
  readonly delays = new Map<string, number>();
  /** kubelet configz answers per node name. */
  readonly configz = new Map<string, Obj>();
  /** Continue tokens issued before this revision answer 410 Gone (like etcd compaction). */
  compactedBefore = 0;
  private rv = 1;
  private readonly store = new Map<string, Obj[]>();
  /** Every change, for watches that start from an older version (compact() forgets them). */
  private readonly events: { rv: number; resource: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Obj }[] = [];
  private readonly watchers = new Set<{ resource: string; ns: string | undefined; res: ServerResponse }>();
  private server: Server | undefined;
  private readonly tokens: Record<string, string>;
  private readonly certs: TestCerts;
  port = 0;

  constructor(opts: FakeApiServerOptions) {
    this.certs = opts.certs;
    this.tokens = opts.tokens ?? {};
    this.resources = [...(opts.resources ?? BUILTIN_RESOURCES)];
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Serves a custom resource (as if its CRD were installed), and stores the CRD object too. */
  addCustomResource(def: ApiResourceDef, crd: Obj): void {
    this.resources.push(def);
    this.add(crd);
  }

  /** Adds objects; their resource is found by apiVersion + kind. */
  add(...objects: Obj[]): void {
    for (const o of objects) {
      const def = this.defOf(String(o.apiVersion), String(o.kind));
      if (!def) throw new Error(`fake-apiserver: no resource serves ${o.apiVersion} ${o.kind}`);
      o.metadata = { uid: `uid-${this.rv}`, creationTimestamp: '2026-01-01T00:00:00Z', ...o.metadata, resourceVersion: String(++this.rv) };
      const list = this.listOf(def);
      const i = list.findIndex((x) => x.metadata?.name === o.metadata.name && x.metadata?.namespace === o.metadata.namespace);
      if (i >= 0) list[i] = o;
      else list.push(o);
      this.record(def, i >= 0 ? 'MODIFIED' : 'ADDED', o);
    }
    for (const l of this.store.values()) l.sort(byNamespaceName);
  }

  /** Deletes an object (as a controller or a user would), telling watchers. */
  remove(resource: string, name: string, namespace?: string): void {
    const def = this.resources.find((r) => r.name === resource)!;
    const list = this.listOf(def);
    const i = list.findIndex((o) => o.metadata?.name === name && o.metadata?.namespace === namespace);
    if (i < 0) return;
    const [o] = list.splice(i, 1);
    o!.metadata.resourceVersion = String(++this.rv);
    this.record(def, 'DELETED', o!);
  }

  private record(def: ApiResourceDef, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Obj): void {
    this.events.push({ rv: this.rv, resource: def.name, type, object });
    for (const w of this.watchers) if (w.resource === def.name && (w.ns === undefined || w.ns === object.metadata?.namespace)) w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  /** Ends every open watch (as an API server restart would). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  objects(resource: string): Obj[] {
    const def = this.resources.find((r) => r.name === resource);
    return def ? this.listOf(def) : [];
  }

  /** Advances the revision and compacts: every continue token issued so far now expires. */
  compact(): void {
    this.compactedBefore = ++this.rv;
    this.events.length = 0;
  }

  async start(): Promise<this> {
    const server = createServer(
      {
        key: readFileSync(this.certs.serverKey),
        cert: readFileSync(this.certs.serverCert),
        ca: readFileSync(this.certs.caCert),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        this.handle(req, res).catch((e: Error) => this.send(req, res, 500, status(500, 'InternalError', e.message), ''));
      },
    );
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.dropWatches();
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private defOf(apiVersion: string, kind: string): ApiResourceDef | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  private listOf(def: ApiResourceDef): Obj[] {
    const key = `${def.group}/${def.version}/${def.name}`;
    let l = this.store.get(key);
    if (!l) this.store.set(key, (l = []));
    return l;
  }

  private user(req: IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return this.tokens[auth.slice(7)];
    const sock = req.socket as TLSSocket;
    if (sock.authorized) {
      const cn = sock.getPeerCertificate()?.subject?.CN;
      return cn ? String(cn) : undefined;
    }
    return undefined;
  }

  private send(req: IncomingMessage, res: ServerResponse, code: number, body: unknown, user: string, headers: Record<string, string> = {}): void {
    this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', accept: String(req.headers.accept ?? ''), user, status: code, at: Date.now() });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const user = this.user(req);
    if (!user) return this.send(req, res, 401, status(401, 'Unauthorized', 'Unauthorized'), '');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/version') return this.send(req, res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0-fake', platform: 'linux/amd64' }, user);
    if (p === '/api') return this.send(req, res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] }, user);
    if (p === '/apis') return this.send(req, res, 200, this.groupList(), user);
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/(.*))?$/.exec(p);
    if (!m) return this.send(req, res, 404, status(404, 'NotFound', `the server could not find the requested resource`), user);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const rest = m[4] ? m[4].split('/') : [];
    if (rest.length === 0) {
      const list = this.resourceList(group, version);
      if (!list.resources.length) return this.send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user);
      return this.send(req, res, 200, list, user);
    }
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest.splice(0, 2);
    }
    const def = this.resources.find((r) => r.group === group && r.version === version && r.name === rest[0]);
    if (!def) return this.send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user);
    const name = rest[1];
    const sub = rest.slice(2).join('/');
    const resourceKey = sub ? `${def.name}/${sub.split('/')[0]}` : def.name;
    const delay = this.delays.get(def.name);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const inj = this.inject.get(resourceKey);
    const hitIdx = inj ? inj.findIndex((i) => !i.pathIncludes || (req.url ?? '').includes(i.pathIncludes)) : -1;
    if (inj && hitIdx >= 0) {
      const hit = inj.splice(hitIdx, 1)[0]!;
      const headers: Record<string, string> = hit.retryAfter !== undefined ? { 'retry-after': String(hit.retryAfter) } : {};
      return this.send(req, res, hit.status, status(hit.status, hit.status === 429 ? 'TooManyRequests' : 'InternalError', 'injected by the test'), user, headers);
    }
    const verb = req.method === 'PATCH' ? 'patch' : req.method === 'DELETE' ? 'delete' : name ? 'get' : 'list';
    if (this.forbidden.has(resourceKey) || this.forbidden.has(`${verb} ${resourceKey}`)) {
      const where = ns ? ` in the namespace "${ns}"` : ' at the cluster scope';
      return this.send(req, res, 403, status(403, 'Forbidden', `${def.name}${sub ? '/' + sub : ''} is forbidden: User "${user}" cannot ${verb} resource "${resourceKey}" in API group "${group}"${where}`), user);
    }
    if (def.name === 'nodes' && name && sub === 'proxy/configz') {
      const cfg = this.configz.get(name);
      if (!cfg) return this.send(req, res, 503, status(503, 'ServiceUnavailable', 'no kubelet on this node'), user);
      return this.send(req, res, 200, { kubeletconfig: cfg }, user);
    }
    if (req.method === 'PATCH' && name) return this.apply(req, res, def, ns, name, user);
    if (req.method === 'DELETE' && name) {
      const list = this.listOf(def);
      const i = list.findIndex((o) => o.metadata?.name === name && (o.metadata?.namespace ?? undefined) === ns);
      if (i < 0) return this.send(req, res, 404, status(404, 'NotFound', `${def.name} "${name}" not found`), user);
      const [gone] = list.splice(i, 1);
      gone!.metadata.resourceVersion = String(++this.rv);
      this.record(def, 'DELETED', gone!);
      return this.send(req, res, 200, status(200, '', ''), user);
    }
    if (req.method !== 'GET') return this.send(req, res, 405, status(405, 'MethodNotAllowed', 'method not allowed'), user);
    // Equality-based label selectors (k=v,k2=v2), the form clients use to find what they manage.
    const selector = (url.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((t) => t.split('='));
    // Field selectors as the API serves them for Secrets (type) and every kind (metadata.name).
    const fields = (url.searchParams.get('fieldSelector') ?? '').split(',').filter(Boolean).map((t) => t.split('='));
    const field = (o: Obj, k: string) => k.split('.').reduce<any>((v, seg) => (v && typeof v === 'object' ? v[seg] : undefined), o);
    const all = this.listOf(def).filter(
      (o) => (ns === undefined || o.metadata?.namespace === ns) && selector.every(([k, v]) => o.metadata?.labels?.[k!] === v) && fields.every(([k, v]) => String(field(o, k!) ?? '') === v),
    );
    if (name) {
      const o = all.find((x) => x.metadata?.name === name);
      if (!o) return this.send(req, res, 404, status(404, 'NotFound', `${def.name} "${name}" not found`), user);
      return this.send(req, res, 200, o, user);
    }
    const w = url.searchParams.get('watch');
    if (w === '1' || w === 'true') return this.watch(req, res, url, def, ns, user);
    return this.list(req, res, url, def, all, user);
  }

  private watch(req: IncomingMessage, res: ServerResponse, url: URL, def: ApiResourceDef, ns: string | undefined, user: string): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? 0);
    this.requests.push({ method: 'GET', path: req.url ?? '', accept: String(req.headers.accept ?? ''), user, status: 200, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' });
    if (from < this.compactedBefore) {
      // As the real server does: 200, then an ERROR event carrying a 410 Status.
      res.end(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${this.compactedBefore})`) }) + '\n');
      return;
    }
    for (const e of this.events) if (e.rv > from && e.resource === def.name && (ns === undefined || e.object.metadata?.namespace === ns)) res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
    const watcher = { resource: def.name, ns, res };
    this.watchers.add(watcher);
    const secs = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const timer = secs > 0 ? setTimeout(() => res.end(), secs * 1000) : undefined;
    res.on('close', () => {
      if (timer) clearTimeout(timer);
      this.watchers.delete(watcher);
    });
  }

  private list(req: IncomingMessage, res: ServerResponse, url: URL, def: ApiResourceDef, all: Obj[], user: string): void {
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const cont = url.searchParams.get('continue');
    let start = 0;
    let listRv = this.rv;
    if (cont) {
      let token: { rv: number; start: number };
      try {
        token = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { rv: number; start: number };
      } catch {
        return this.send(req, res, 400, status(400, 'BadRequest', 'invalid continue token'), user);
      }
      if (token.rv < this.compactedBefore) {
        return this.send(req, res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'), user);
      }
      start = token.start;
      listRv = token.rv;
    }
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const page = all.slice(start, end);
    const meta: Obj = { resourceVersion: String(listRv) };
    if (end < all.length) {
      meta.continue = Buffer.from(JSON.stringify({ rv: listRv, start: end })).toString('base64url');
      meta.remainingItemCount = all.length - end;
    }
    const accept = String(req.headers.accept ?? '');
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    if (/as=Table/.test(accept)) return this.send(req, res, 200, table(page, meta), user);
    if (/as=PartialObjectMetadataList/.test(accept)) {
      const items = page.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }));
      return this.send(req, res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items }, user);
    }
    // Items in a list carry no apiVersion/kind, as in the real API.
    const items = page.map((o) => {
      const { apiVersion: _a, kind: _k, ...restOf } = o;
      return restOf;
    });
    // Streamed by hand so that a page of thousands of objects is not one giant string twice.
    this.requests.push({ method: 'GET', path: req.url ?? '', accept, user, status: 200, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"kind":"${def.kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`);
    items.forEach((o, i) => res.write((i ? ',' : '') + JSON.stringify(o)));
    res.end(']}');
  }

  private async apply(req: IncomingMessage, res: ServerResponse, def: ApiResourceDef, ns: string | undefined, name: string, user: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/apply-patch')) return this.send(req, res, 415, status(415, 'UnsupportedMediaType', 'only server-side apply is served'), user);
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (!url.searchParams.get('fieldManager')) return this.send(req, res, 422, status(422, 'Invalid', 'fieldManager is required for apply patch'), user);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj;
    const list = this.listOf(def);
    const i = list.findIndex((o) => o.metadata?.name === name && (o.metadata?.namespace ?? undefined) === ns);
    const meta = { ...(body.metadata ?? {}), name, ...(ns ? { namespace: ns } : {}), resourceVersion: String(++this.rv) };
    const obj = { ...body, metadata: meta };
    if (i >= 0) list[i] = obj;
    else {
      list.push(obj);
      list.sort(byNamespaceName);
    }
    this.record(def, i >= 0 ? 'MODIFIED' : 'ADDED', obj);
    return this.send(req, res, i >= 0 ? 200 : 201, obj, user);
  }

  private groupList(): Obj {
    const groups = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.group) continue;
      const vs = groups.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      groups.set(r.group, vs);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, vs]) => ({
        name,
        versions: vs.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${vs[0]}`, version: vs[0] },
      })),
    };
  }

  private resourceList(group: string, version: string): { kind: string; apiVersion: string; groupVersion: string; resources: Obj[] } {
    const resources: Obj[] = [];
    for (const r of this.resources.filter((x) => x.group === group && x.version === version)) {
      resources.push({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? DEFAULT_VERBS, ...(r.shortNames ? { shortNames: r.shortNames } : {}) });
      if (r.name === 'nodes') resources.push({ name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }
}

function byNamespaceName(a: Obj, b: Obj): number {
  return String(a.metadata?.namespace ?? '').localeCompare(String(b.metadata?.namespace ?? '')) || String(a.metadata?.name).localeCompare(String(b.metadata?.name));
}

function status(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure', message, reason, code };
}

/** The meta.k8s.io/v1 Table kubectl asks for: a name column and the object's metadata per row. */
function table(page: Obj[], meta: Obj): Obj {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 }],
    rows: page.map((o) => ({ cells: [o.metadata?.name], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } })),
  };
}
