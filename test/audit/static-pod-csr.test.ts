// audit/static-pod-tampering and audit/csr-privileged-subject on events in the audit.k8s.io/v1 shape:
// the mirror pod is a real kube-apiserver static pod (a minikube cluster's, from the shared corpus),
// the CSRs are real PKCS#10 requests (RSA built here with node-forge; ECDSA as a kubelet sends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { parseAllDocuments } from 'yaml';
import { auditEvent, configWith, detect } from './support.js';
import { AuditDetector } from '../../src/analyses/audit/detect.js';
import { decodeCsrSubject } from '../../src/analyses/audit/csr.js';
import { builtinRules, eventRules } from '../../src/rules/index.js';
import type { AuditEvent } from '../../src/analyses/audit/event.js';

const PODS = '../shared/corpus/netpol/np-guard/minikube_resources/pods.yaml';
const NODE = { username: 'system:node:minikube', groups: ['system:nodes', 'system:authenticated'] };
const KUBELET_UA = 'kubelet/v1.30.0 (linux/amd64) kubernetes/7c48c2b';

const only = (rule: string) => (alerts: ReturnType<typeof detect>) => alerts.filter((a) => a.ruleId === rule);
const staticPod = only('audit/static-pod-tampering');
const csrRule = only('audit/csr-privileged-subject');

/** The minikube kube-apiserver mirror pod as the kubelet creates it (status and server fields dropped). */
function apiServerPod(t: { skip(m: string): void }): Record<string, any> | undefined {
  if (!existsSync(PODS)) {
    const msg = `SKIPPED: ${PODS} not found (run from the worktree next to ../shared)`;
    console.error(msg);
    t.skip(msg);
    return undefined;
  }
  const docs = parseAllDocuments(readFileSync(PODS, 'utf8')).map((d) => d.toJS());
  const items = docs.flatMap((d) => (Array.isArray(d?.items) ? d.items : [d]));
  const pod = items.find((p) => p?.kind === 'Pod' && String(p.metadata?.name).startsWith('kube-apiserver-'));
  assert.ok(pod, 'corpus has the kube-apiserver mirror pod');
  assert.ok(pod.metadata.annotations['kubernetes.io/config.mirror'], 'it carries the mirror annotation');
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...metadata } = pod.metadata;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: pod.spec };
}

/** The same pod with a manifest change: a new config hash, and optionally kube-apiserver flags edited. */
function changed(pod: Record<string, any>, hash: string, editFlags?: (args: string[]) => string[]): Record<string, any> {
  const p = structuredClone(pod);
  p.metadata.annotations['kubernetes.io/config.mirror'] = hash;
  p.metadata.annotations['kubernetes.io/config.hash'] = hash;
  if (editFlags) p.spec.containers[0].command = editFlags(p.spec.containers[0].command);
  return p;
}

function podCreate(pod: Record<string, any>, user: object, o: Record<string, unknown> = {}): AuditEvent {
  const ns = pod.metadata.namespace ?? 'default';
  return auditEvent({
    verb: 'create',
    user,
    userAgent: user === NODE ? KUBELET_UA : 'kubectl/v1.30.0 (linux/amd64)',
    requestURI: `/api/v1/namespaces/${ns}/pods`,
    objectRef: { resource: 'pods', namespace: ns, apiVersion: 'v1' },
    requestObject: pod,
    responseObject: pod,
    responseStatus: { metadata: {}, code: 201 },
    ...o,
  });
}

test('static pods: the kubelet re-creating a control-plane mirror pod with a new manifest, weakened flags named', (t) => {
  const pod = apiServerPod(t);
  if (!pod) return;
  const name = pod.metadata.name as string;
  // The cluster whose log we read audits: the corpus pod with audit flags added, as a kubeadm guide sets them.
  const audited = changed(pod, pod.metadata.annotations['kubernetes.io/config.mirror'], (args) => [...args, '--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kubernetes/audit/audit.log']);
  const weakened = changed(audited, '0badc0de0badc0de0badc0de0badc0de', (args) => [...args.filter((a) => !a.startsWith('--authorization-mode') && !a.startsWith('--audit-')), '--authorization-mode=AlwaysAllow']);
  const alerts = staticPod(
    detect([
      podCreate(audited, NODE), // first sight: the node starting up
      podCreate(audited, NODE), // same manifest again (kubelet restart)
      podCreate(changed(audited, 'feedfacefeedfacefeedfacefeedface'), NODE),
      podCreate(weakened, NODE),
    ]),
  );
  assert.deepEqual(alerts.map((a) => a.severity), ['high', 'critical']);
  assert.match(alerts[0]!.message, new RegExp(`control-plane static pod kube-system/${name} with a new manifest \\(config hash \\w+ -> feedface`));
  assert.doesNotMatch(alerts[0]!.message, /runs with/, 'defences the cluster never had (minikube: anonymous auth on) are not blamed on the change');
  assert.match(alerts[1]!.message, /runs with --authorization-mode=AlwaysAllow, no audit log \(--audit-log-path, --audit-webhook-config-file\), no --audit-policy-file$/);
  assert.deepEqual(alerts[0]!.mitre, ['T1543.005', 'T1562.001', 'T1036.005', 'T1611']);
});

test('static pods: a mirror pod forged, patched or deleted by anyone but its node', (t) => {
  const pod = apiServerPod(t);
  if (!pod) return;
  const name = pod.metadata.name as string;
  const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  const forged = structuredClone(pod);
  forged.metadata.name = 'kube-apiserver-backup';
  const plain = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
  // Metadata level (no body): the pod is known as a mirror pod from the kubelet's create.
  const write = (verb: string, user: object) =>
    auditEvent({ verb, user, level: 'Metadata', requestURI: `/api/v1/namespaces/kube-system/pods/${name}`, objectRef: { resource: 'pods', namespace: 'kube-system', name, apiVersion: 'v1' } });
  const alerts = staticPod(detect([podCreate(pod, NODE), podCreate(forged, admin), podCreate(plain, admin), write('patch', admin), write('delete', admin), write('delete', NODE), write('get', admin)]));
  assert.deepEqual(
    alerts.map((a) => [a.verb, a.severity]),
    [
      ['create', 'high'],
      ['patch', 'high'],
      ['delete', 'high'],
    ],
  );
  assert.match(alerts[0]!.message, /kubernetes-admin created pods kube-system\/kube-apiserver-backup with the mirror-pod annotation/);
  assert.match(alerts[1]!.message, new RegExp(`patch on the mirror pod of control-plane static pod kube-system/${name}`));
});

test('static pods: a workload mounting the manifest directory writable (directly, from a parent, through subPath)', () => {
  const ds = (volume: object, mount: object = {}) =>
    auditEvent({
      verb: 'create',
      requestURI: '/apis/apps/v1/namespaces/ops/daemonsets',
      objectRef: { resource: 'daemonsets', namespace: 'ops', apiGroup: 'apps', apiVersion: 'v1' },
      responseStatus: { code: 201 },
      requestObject: {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'node-agent', namespace: 'ops' },
        spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36', volumeMounts: [{ name: 'host', mountPath: '/host', ...mount }] }], volumes: [{ name: 'host', hostPath: volume }] } } },
      },
    });
  const hits = (e: AuditEvent) => staticPod(detect([e])).map((a) => a.severity);
  assert.deepEqual(hits(ds({ path: '/etc/kubernetes/manifests/', type: 'Directory' })), ['critical']);
  assert.deepEqual(hits(ds({ path: '/etc' })), ['critical']);
  assert.deepEqual(hits(ds({ path: '/' }, { subPath: 'etc/kubernetes/manifests' })), ['critical']);
  assert.deepEqual(hits(ds({ path: '/etc/kubernetes/manifests' }, { readOnly: true })), [], 'read-only mount');
  assert.deepEqual(hits(ds({ path: '/var/log' })), []);
  assert.deepEqual(hits(ds({ path: '/' }, { subPath: 'var/log' })), []);
  // Another kubelet layout, configured.
  const custom = ds({ path: '/var/lib/kubelet/static' });
  assert.deepEqual(hits(custom), []);
  assert.deepEqual(staticPod(detect([custom], configWith({ 'audit/static-pod-tampering': { options: { manifestDirs: ['/var/lib/kubelet/static'] } } }))).length, 1);
});

// ---- CSRs ----------------------------------------------------------------------------------------

/** base64 of a PEM PKCS#10 request with this subject, RSA key (as `kubectl certificate` guides have users make). */
function rsaCsr(subject: { cn: string; o?: string[] }): string {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey);
  csr.setSubject([{ name: 'commonName', value: subject.cn }, ...(subject.o ?? []).map((o) => ({ name: 'organizationName', value: o }))]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return Buffer.from(forge.pki.certificationRequestToPem(csr)).toString('base64');
}

/** An ECDSA P-256 request for O=system:nodes, CN=system:node:worker-1, as a joining kubelet sends (made with openssl; public key only). */
const KUBELET_CSR =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlId01JR1lBZ0VBTURZeEZUQVRCZ05WQkFvTURITjVjM1JsYlRwdWIyUmxjekVkTUJzR0ExVUVBd3dVYzNsegpkR1Z0T201dlpHVTZkMjl5YTJWeUxURXdXVEFUQmdjcWhrak9QUUlCQmdncWhrak9QUU1CQndOQ0FBVGh5anBKCm5YUjkwK0VWcG82bVJkNTFMMWF5akVETXJoRFVRZTU1eEV5THJzaFJRMjJSb1d3V2dwbVlURFhTQXZibUIwbHkKenNzSnZVQURZaWt4SXJkYW9BQXdDZ1lJS29aSXpqMEVBd0lEUndBd1JBSWdZOUdTbHZ3czcwRHRvOEVWd25qdQp6a0Z0MUplRzdydXAvUnAxcGlsYmRBOENJR2FNM1pFbWM4VEFkclBUSVY3djN0WnVVaWZNc1hEMVlMZHJKQy9xCkVqcSsKLS0tLS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCg==';

function csrEvent(name: string, request: string, user: object, o: { signerName?: string; approval?: boolean; level?: string } = {}): AuditEvent {
  const csr = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request, signerName: o.signerName ?? 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 86400 } };
  const approved = { ...csr, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }] } };
  return auditEvent({
    verb: o.approval ? 'update' : 'create',
    user,
    level: o.level ?? 'RequestResponse',
    requestURI: `/apis/certificates.k8s.io/v1/certificatesigningrequests${o.approval ? `/${name}/approval` : ''}`,
    objectRef: { resource: 'certificatesigningrequests', name, apiGroup: 'certificates.k8s.io', apiVersion: 'v1', ...(o.approval ? { subresource: 'approval' } : {}) },
    ...(o.level === 'Metadata' ? {} : { requestObject: o.approval ? approved : csr }),
    responseStatus: { metadata: {}, code: o.approval ? 200 : 201 },
  });
}

test('CSR subjects decode from RSA and ECDSA requests; garbage is an error, not a throw', () => {
  assert.deepEqual(decodeCsrSubject(rsaCsr({ cn: 'mallory', o: ['system:masters', 'devs'] })), { commonName: 'mallory', organizations: ['system:masters', 'devs'] });
  assert.deepEqual(decodeCsrSubject(KUBELET_CSR), { commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
  assert.ok('error' in decodeCsrSubject(Buffer.from('not a csr').toString('base64')));
});

test('CSRs for system:masters, for a node by another identity, for a control-plane user: alerts; ordinary and bootstrap CSRs: none', () => {
  const alice = { username: 'alice@example.com', groups: ['devs', 'system:authenticated'] };
  const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  const bootstrap = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] };
  const worker1 = { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };
  const worker2 = { username: 'system:node:worker-2', groups: ['system:nodes', 'system:authenticated'] };
  const masters = rsaCsr({ cn: 'alice', o: ['system:masters'] });
  const events = [
    csrEvent('alice-admin', masters, alice),
    csrEvent('alice', rsaCsr({ cn: 'alice@example.com', o: ['devs'] }), alice),
    csrEvent('node-csr-1', KUBELET_CSR, bootstrap, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }),
    csrEvent('node-csr-2', KUBELET_CSR, worker1, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }),
    csrEvent('node-csr-3', KUBELET_CSR, worker2, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }),
    csrEvent('kcm', rsaCsr({ cn: 'system:kube-controller-manager' }), alice),
    csrEvent('alice-admin', masters, admin, { approval: true }),
    csrEvent('broken', Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n').toString('base64'), alice),
  ];
  const alerts = detect(events);
  const got = csrRule(alerts).map((a) => [a.objectRef.name, a.severity]);
  assert.deepEqual(got, [
    ['alice-admin', 'critical'],
    ['node-csr-3', 'high'],
    ['kcm', 'high'],
    ['alice-admin', 'critical'],
    ['broken', 'medium'],
  ]);
  const [requested, , , approved] = csrRule(alerts);
  assert.match(requested!.message, /alice@example.com requested certificatesigningrequests alice-admin for a certificate in system:masters \(CN=alice, O=system:masters, signer kubernetes.io\/kube-apiserver-client\)/);
  assert.match(approved!.message, /kubernetes-admin approved/);
  assert.ok(alerts.some((a) => a.ruleId === 'audit/csr-approved' && a.objectRef.name === 'alice-admin'), 'the approval also raises csr-approved');
  assert.ok(!JSON.stringify(alerts).includes(masters.slice(40, 80)), 'the request itself never reaches an alert');
});

test('a CSR logged at level Metadata cannot be checked: counted in csrsWithoutBody', () => {
  const d = new AuditDetector({ rules: eventRules, scannerRules: builtinRules });
  const alerts = d.process(csrEvent('x', rsaCsr({ cn: 'x', o: ['system:masters'] }), { username: 'alice', groups: [] }, { level: 'Metadata' }));
  assert.equal(alerts.filter((a) => a.ruleId === 'audit/csr-privileged-subject').length, 0);
  assert.equal(d.stats.csrsWithoutBody, 1);
});
