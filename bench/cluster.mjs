#!/usr/bin/env node
// `rampart scan --cluster` against the fake API server (a test double on 127.0.0.1) holding a large
// cluster — 30k pods with their Deployments/ReplicaSets, 3k Services, 10k RBAC objects, 1k
// NetworkPolicies at scale 1 — side by side with a list-only floor: the same lists fetched page by
// page and JSON.parse'd, nothing else. Both run as child processes (wall, CPU, peak RSS each).
// Targets at scale 1: scan ≤ 60 s and ≤ 500 MB peak RSS. Runs dist/ (run `npm run build` first).
//
//   node bench/cluster.mjs [--scales 0.1,0.5,1]
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';

if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
register();
const { startCluster } = await import('../test/support/cluster.ts');
const { WANTED } = await import('../dist/input/cluster/discovery.js');

const args = process.argv.slice(2);
const at = args.indexOf('--scales');
const SCALES = (at >= 0 ? args[at + 1] : '0.1,0.5,1').split(',').map(Number);

const NAMESPACES = 100;
const NODES = 50;

/** A realistic managedFields block: the client must drop it (it is most of a live object's bytes). */
const MANAGED = [
  { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"x"}': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': {}, 'f:resources': {}, 'f:securityContext': {} } } } } },
  { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:startTime': {} } } },
];

function template(app, i) {
  return {
    metadata: { labels: { app, tier: i % 3 ? 'web' : 'db', 'pod-template-hash': '5d4f8b7c9' } },
    spec: {
      serviceAccountName: 'app',
      containers: [
        {
          name: 'app',
          image: `registry.example/team${i % 40}/${app}:1.${i % 9}.0`,
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          securityContext: i % 10 === 0 ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    },
  };
}

function seed(s, scale) {
  const pods = Math.round(30_000 * scale);
  const deployments = Math.round(pods / 10);
  const perNs = (n) => `ns-${n % NAMESPACES}`;
  for (let n = 0; n < NAMESPACES; n++) s.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { 'pod-security.kubernetes.io/enforce': n % 2 ? 'baseline' : 'restricted' } } });
  for (let n = 0; n < NODES; n++) {
    s.add({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` }, status: { nodeInfo: { kubeletVersion: 'v1.35.0', containerRuntimeVersion: 'containerd://2.1.0' } } });
    s.configz.set(`node-${n}`, { authentication: { anonymous: { enabled: false }, webhook: { enabled: true } }, authorization: { mode: 'Webhook' }, readOnlyPort: 0 });
  }
  const objs = [];
  for (let d = 0; d < deployments; d++) {
    const ns = perNs(d);
    const app = `app-${d}`;
    const tpl = template(app, d);
    objs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, managedFields: MANAGED }, spec: { replicas: 10, selector: { matchLabels: { app } }, template: tpl } });
    const rs = `${app}-5d4f8b7c9`;
    objs.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: ns, managedFields: MANAGED, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `d${d}`, controller: true }] }, spec: { replicas: 10, selector: { matchLabels: { app } }, template: tpl } });
    for (let r = 0; r < 10; r++) {
      objs.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${rs}-${r}x${d}`, namespace: ns, labels: tpl.metadata.labels, managedFields: MANAGED, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `r${d}`, controller: true }] },
        spec: { ...tpl.spec, nodeName: `node-${(d + r) % NODES}` },
        status: { phase: 'Running', podIP: `10.${(d >> 8) & 255}.${d & 255}.${r}`, hostIP: '192.168.0.1', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: tpl.spec.containers[0].image, imageID: `registry.example/x@sha256:${'b'.repeat(64)}`, containerID: `containerd://${'c'.repeat(64)}` }] },
      });
    }
  }
  const services = Math.round(3_000 * scale);
  for (let i = 0; i < services; i++) objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: perNs(i) }, spec: { type: i % 50 ? 'ClusterIP' : 'LoadBalancer', selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
  const rbac = Math.round(2_500 * scale);
  for (let i = 0; i < rbac; i++) {
    const ns = perNs(i);
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}`, namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] }] });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i}` }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }] });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${i}` }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: i % 100 ? ['get'] : ['*'] }] });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${i}` }, subjects: [{ kind: 'Group', name: `team-${i % 40}`, apiGroup: 'rbac.authorization.k8s.io' }] });
  }
  const netpols = Math.round(1_000 * scale);
  for (let i = 0; i < netpols; i++) objs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, namespace: perNs(i) }, spec: { podSelector: { matchLabels: { app: `app-${i}` } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080 }] }] } });
  s.add(...objs);
  return { pods, objects: objs.length + NAMESPACES + NODES };
}

/** Wall, CPU and peak RSS of a child, reported by the child itself on exit. */
const MEASURE = `data:text/javascript,process.on('exit',()=>{const c=process.cpuUsage();process.stderr.write('\\n@@bench '+JSON.stringify({cpu:(c.user+c.system)/1000,rss:process.resourceUsage().maxRSS*1024})+'\\n')})`;

function child(argv, env = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(process.execPath, ['--import', MEASURE, ...argv], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      const wall = performance.now() - t0;
      const m = /@@bench (.*)/.exec(stderr);
      if (!m) {
        console.error(stderr.slice(-2000));
        throw new Error(`child failed: ${argv.join(' ')}`);
      }
      resolve({ wall, ...JSON.parse(m[1]), stdout, code: err ? err.code : 0 });
    });
  });
}

/** The floor: every list the scan reads, paged at 500 and JSON.parse'd, with plain node:https. */
const FLOOR = `
import https from 'node:https';
import { readFileSync } from 'node:fs';
const kc = JSON.parse(readFileSync(process.env.KC, 'utf8'));
const server = new URL(kc.clusters[0].cluster.server);
const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
const agent = new https.Agent({ keepAlive: true, ca });
const headers = { authorization: 'Bearer ' + kc.users[0].user.token };
const get = (p, accept) => new Promise((res, rej) => https.get({ hostname: server.hostname, port: server.port, path: p, agent, headers: { ...headers, accept } }, (r) => { const cs = []; r.on('data', (c) => cs.push(c)); r.on('end', () => res(Buffer.concat(cs))); }).on('error', rej));
let items = 0, bytes = 0;
for (const path of JSON.parse(process.env.PATHS)) {
  let cont = '';
  do {
    const body = await get(path.p + '?limit=500' + (cont ? '&continue=' + encodeURIComponent(cont) : ''), path.accept);
    bytes += body.length;
    const doc = JSON.parse(body.toString('utf8'));
    items += (doc.items || []).length;
    cont = doc.metadata && doc.metadata.continue;
  } while (cont);
}
agent.destroy();
console.log(JSON.stringify({ items, bytes }));
`;

const mb = (b) => (b / 1024 / 1024).toFixed(0);
const s = (ms) => (ms / 1000).toFixed(1);
console.log('scale  objects  pods    JSON MB | floor wall s  cpu s  RSS MB | scan wall s  cpu s  RSS MB | wall× cpu× RSS÷JSON');
for (const scale of SCALES) {
  const fx = await startCluster((srv) => (fx_meta = seed(srv, scale)));
  var fx_meta;
  const paths = WANTED.map((w) => ({ p: `${w.group ? `/apis/${w.group}/${w.versions[0]}` : '/api/v1'}/${w.resource}`, accept: w.metadataOnly ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' : 'application/json' })).filter((x) => !x.p.includes('openshift'));
  const floorFile = path.join(fx.dir, 'floor.mjs');
  writeFileSync(floorFile, FLOOR);
  const floor = await child([floorFile], { KC: fx.kubeconfig.token, PATHS: JSON.stringify(paths) });
  const { bytes } = JSON.parse(floor.stdout);
  const scan = await child([path.resolve('bin/rampart.js'), 'scan', '--cluster', '--kubeconfig', fx.kubeconfig.token, '-o', 'json', '--output', path.join(fx.dir, 'report.json'), '--fail-on', 'never', '--no-config'], { KUBECONFIG: '' });
  if (scan.code !== 0) console.error(`scan exited ${scan.code}`);
  if (process.env.BENCH_TRACE) {
    const rs = fx.server.requests.filter((q) => !q.path.includes('limit=500&') || true);
    let prev = rs[0]?.at ?? 0;
    for (const q of rs) {
      if (q.at - prev > 500) console.log(`  gap ${q.at - prev} ms before ${q.method} ${q.path.slice(0, 90)} (${q.status})`);
      prev = q.at;
    }
    console.log(`  ${rs.length} requests; first→last ${((rs.at(-1)?.at ?? 0) - (rs[0]?.at ?? 0)) / 1000} s`);
  }
  console.log(
    `${String(scale).padEnd(5)}  ${String(fx_meta.objects).padStart(7)}  ${String(fx_meta.pods).padStart(6)}  ${mb(bytes).padStart(7)} | ${s(floor.wall).padStart(12)}  ${s(floor.cpu).padStart(5)}  ${mb(floor.rss).padStart(6)} | ${s(scan.wall).padStart(11)}  ${s(scan.cpu).padStart(5)}  ${mb(scan.rss).padStart(6)} | ${(scan.wall / floor.wall).toFixed(1).padStart(5)} ${(scan.cpu / floor.cpu).toFixed(1).padStart(4)} ${(scan.rss / bytes).toFixed(2).padStart(8)}`,
  );
  await fx.close();
}
console.log(`targets at scale 1: scan wall ≤ 60 s, peak RSS ≤ 500 MB. The server (a test double, in this process) shares the machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}.`);
