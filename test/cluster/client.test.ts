// The cluster client against the fake API server: every way to log in, paging, retries, 410 restarts,
// timeouts, proxies, and kubeconfig errors that say what is wrong.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KubeClient, resolveTargets, ApiError } from '../../src/input/cluster/index.js';
import { KubeconfigError, inClusterTarget, loadKubeconfig, resolveContext } from '../../src/input/cluster/kubeconfig.js';
import { retryAfterMs } from '../../src/input/cluster/client.js';
import { startCluster, deploymentWithPods, ns, type ClusterFixture } from '../support/cluster.js';

let fx: ClusterFixture;
const PODS = 5_000;

before(async () => {
  fx = await startCluster((s) => {
    s.add(ns('big'));
    // 5,000 pods: 50 Deployments of 100 replicas.
    for (let d = 0; d < PODS / 100; d++) s.add(...deploymentWithPods('big', `web-${d}`, 100));
  });
});
after(async () => fx.close());

function client(kubeconfig: string, opts = {}) {
  return new KubeClient(resolveTargets({ kubeconfig })[0]!, { retryBaseMs: 5, ...opts });
}

test('bearer token, client certificate and exec credential plugin each authenticate', async () => {
  for (const [how, user] of [['token', 'reader'], ['cert', 'cert-user'], ['exec', 'exec-user']] as const) {
    const before = fx.server.requests.length;
    const c = client(fx.kubeconfig[how]);
    const doc = (await c.getJson('/api/v1/namespaces')) as { items: unknown[] };
    c.close();
    assert.equal(doc.items.length, 1, how);
    assert.equal(fx.server.requests[before]!.user, user, `${how} authenticates as ${user}`);
  }
});

test('a wrong token is a 401 that names the context, without the token', async () => {
  const kc = path.join(fx.dir, 'bad.kubeconfig');
  const good = JSON.parse(readFileSync(fx.kubeconfig.token, 'utf8'));
  good.users[0].user.token = 'not-a-valid-token-s3cr3t';
  writeFileSync(kc, JSON.stringify(good));
  const c = client(kc);
  await assert.rejects(c.getJson('/api'), (e: ApiError) => e.status === 401 && /context "test"/.test(e.message) && !e.message.includes('s3cr3t'));
  c.close();
});

test(`lists ${PODS} pods in pages of 500 with real continue tokens`, async () => {
  const c = client(fx.kubeconfig.token);
  let seen = 0;
  const r = await c.list('/api/v1/pods', { limit: 500, onPage: (items) => (seen += items.length) });
  c.close();
  assert.equal(r.items, PODS);
  assert.equal(seen, PODS);
  assert.equal(r.pages, PODS / 500);
  const pageRequests = fx.server.requests.filter((q) => q.path.startsWith('/api/v1/pods?limit=500'));
  assert.equal(pageRequests.filter((q) => q.path.includes('continue=')).length, PODS / 500 - 1);
  console.log(`# ${r.items} pods in ${r.pages} pages`);
});

test('an expired continue token (410 Gone) restarts the list from the first page', async () => {
  const c = client(fx.kubeconfig.token);
  let pages = 0;
  let restarts = 0;
  let seen = 0;
  const r = await c.list('/apis/apps/v1/replicasets', {
    limit: 10,
    onRestart: () => {
      restarts++;
      seen = 0;
    },
    onPage: (items) => {
      seen += items.length;
      if (++pages === 2) fx.server.compact(); // etcd compacts while we page
    },
  });
  c.close();
  assert.equal(r.restarts, 1);
  assert.equal(restarts, 1);
  assert.equal(seen, PODS / 100, 'after the restart every object is seen exactly once');
  assert.ok(fx.server.requests.some((q) => q.status === 410));
});

test('429 waits for Retry-After, 500 is retried with backoff, then the answer comes', async () => {
  fx.server.inject.set('services', [{ status: 429, retryAfter: 1 }, { status: 500 }, { status: 503 }]);
  const c = client(fx.kubeconfig.token);
  const t0 = Date.now();
  const doc = (await c.getJson('/api/v1/services')) as { kind: string };
  const waited = Date.now() - t0;
  c.close();
  assert.equal(doc.kind, 'ServiceList');
  const statuses = fx.server.requests.filter((q) => q.path === '/api/v1/services').map((q) => q.status);
  assert.deepEqual(statuses.slice(-4), [429, 500, 503, 200]);
  assert.ok(waited >= 950, 'Retry-After: 1 was honoured');
  assert.equal(retryAfterMs('2'), 2000);
  assert.equal(retryAfterMs(new Date(Date.now() + 3000).toUTCString()) !== undefined, true);
});

test('retries stop after maxRetries and the error carries the status', async () => {
  fx.server.inject.set('configmaps', Array.from({ length: 5 }, () => ({ status: 500 })));
  const c = client(fx.kubeconfig.token, { maxRetries: 2 });
  await assert.rejects(c.getJson('/api/v1/configmaps'), (e: ApiError) => e.status === 500);
  c.close();
  fx.server.inject.delete('configmaps');
});

test('a slow answer times out and is retried; without retries it fails naming the server', async () => {
  fx.server.delays.set('serviceaccounts', 400);
  const c = client(fx.kubeconfig.token, { timeoutMs: 100, maxRetries: 1 });
  await assert.rejects(c.getJson('/api/v1/serviceaccounts'), (e: ApiError) => /no answer within/.test(e.message) && e.message.includes(fx.server.url));
  c.close();
  fx.server.delays.delete('serviceaccounts');
});

test('proxy-url: requests go through an HTTP CONNECT proxy', async () => {
  let tunnels = 0;
  const proxy: Server = createServer();
  proxy.on('connect', (req, sock, head) => {
    tunnels++;
    const [host, port] = String(req.url).split(':');
    const up = connect(Number(port), host, () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  const kc = JSON.parse(readFileSync(fx.kubeconfig.token, 'utf8'));
  kc.clusters[0].cluster['proxy-url'] = `http://127.0.0.1:${port}`;
  const file = path.join(fx.dir, 'proxy.kubeconfig');
  writeFileSync(file, JSON.stringify(kc));
  const c = client(file);
  const doc = (await c.getJson('/api')) as { kind: string };
  c.close();
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  assert.equal(doc.kind, 'APIVersions');
  assert.equal(tunnels, 1);
});

test('kubeconfig errors are clear: missing context, missing file, no current-context', () => {
  assert.throws(() => resolveTargets({ kubeconfig: fx.kubeconfig.token, contexts: ['prod'] }), (e: Error) => e instanceof KubeconfigError && /context "prod" not found/.test(e.message) && /contexts: test/.test(e.message));
  assert.throws(() => resolveTargets({ kubeconfig: path.join(fx.dir, 'nope.yaml') }), /no such file/);
  const f = path.join(fx.dir, 'nocurrent.kubeconfig');
  writeFileSync(f, 'apiVersion: v1\nkind: Config\ncontexts: [{name: a, context: {cluster: c}}]\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n');
  assert.throws(() => resolveContext(loadKubeconfig([f], true)), /no current-context; pass --context \(contexts: a\)/);
  assert.deepEqual(resolveTargets({ kubeconfig: fx.kubeconfig.multi, allContexts: true }).map((t) => t.context), ['east', 'west']);
});

test('KUBECONFIG merges files: the first file to name a context or set current-context wins', () => {
  const a = path.join(fx.dir, 'a.kubeconfig');
  const b = path.join(fx.dir, 'b.kubeconfig');
  writeFileSync(a, 'current-context: one\ncontexts: [{name: one, context: {cluster: c1}}]\nclusters: [{name: c1, cluster: {server: "https://127.0.0.1:1"}}]\n');
  writeFileSync(b, 'current-context: two\ncontexts: [{name: one, context: {cluster: c2}}, {name: two, context: {cluster: c2}}]\nclusters: [{name: c2, cluster: {server: "https://127.0.0.1:2"}}]\n');
  const t = resolveTargets({}, { KUBECONFIG: `${a}${path.delimiter}${b}`, HOME: fx.dir });
  assert.equal(t[0]!.context, 'one');
  assert.equal(t[0]!.server, 'https://127.0.0.1:1');
  assert.equal(resolveTargets({ contexts: ['two'] }, { KUBECONFIG: `${a}${path.delimiter}${b}`, HOME: fx.dir })[0]!.server, 'https://127.0.0.1:2');
});

test('in-cluster config: the service-account token, CA and namespace', () => {
  const sa = path.join(fx.dir, 'sa');
  mkdirSync(sa, { recursive: true });
  writeFileSync(path.join(sa, 'token'), 'sa-token');
  writeFileSync(path.join(sa, 'ca.crt'), 'CA');
  writeFileSync(path.join(sa, 'namespace'), 'rampart\n');
  const t = inClusterTarget({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, sa);
  assert.equal(t.server, 'https://10.96.0.1:443');
  assert.equal(t.namespace, 'rampart');
  assert.equal(t.tokenFile, path.join(sa, 'token'));
  assert.equal(t.token, undefined, 'the token file is re-read, not copied');
});

function execKubeconfig(name: string, script: string): string {
  const plugin = path.join(fx.dir, `${name}.mjs`);
  writeFileSync(plugin, `#!${process.execPath}\n${script}\n`, { mode: 0o755 });
  const kc = JSON.parse(readFileSync(fx.kubeconfig.exec, 'utf8'));
  kc.users[0].user.exec.command = plugin;
  const file = path.join(fx.dir, `${name}.kubeconfig`);
  writeFileSync(file, JSON.stringify(kc));
  return file;
}

test('exec plugin: a rejected credential (401) is fetched again once', async () => {
  const counter = path.join(fx.dir, 'calls');
  writeFileSync(counter, '0');
  const kc = execKubeconfig(
    'rotating',
    `const fs = await import('node:fs'); const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1; fs.writeFileSync(${JSON.stringify(counter)}, String(n));
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: n === 1 ? 'stale-token' : 'exec-token-from-plugin' } }));`,
  );
  const c = client(kc);
  const doc = (await c.getJson('/api')) as { kind: string };
  c.close();
  assert.equal(doc.kind, 'APIVersions');
  assert.equal(readFileSync(counter, 'utf8'), '2');
});

test('exec plugin failures are clear and never echo what the plugin printed on stdout', async () => {
  const failing = execKubeconfig('failing', `process.stdout.write('partial-secret-token'); console.error('token expired: run aws sso login'); process.exit(1);`);
  const c = client(failing);
  await assert.rejects(c.getJson('/api'), (e: Error) => /exec credential plugin ".*failing\.mjs" failed \(exit 1\): token expired: run aws sso login/.test(e.message) && !e.message.includes('partial-secret-token'));
  c.close();
  const garbage = execKubeconfig('garbage', `process.stdout.write('not json secret-ish');`);
  const g = client(garbage);
  await assert.rejects(g.getJson('/api'), (e: Error) => /printed something that is not JSON/.test(e.message) && !e.message.includes('secret-ish'));
  g.close();
});
