// Each audit rule: on the real Falco events where the corpus has one, and on small events built
// from the audit.k8s.io/v1 schema for the rest. Tables of must-fire / must-not-fire cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, corpusOrSkip, detect, eventsOf, configWith, auditEvent as ev } from './support.js';
import type { AuditEvent } from '../../src/analyses/audit/event.js';
import { eventRules } from '../../src/rules/index.js';

const SA = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
const ids = (events: AuditEvent[], rules?: Parameters<typeof configWith>[0]) => detect(events, rules ? configWith(rules) : undefined).map((a) => a.ruleId);

test('every audit rule has ATT&CK ids (except the activity trail), a rationale and an event scope', () => {
  for (const r of eventRules) {
    assert.equal(r.meta.scope, 'event', r.meta.id);
    assert.match(r.meta.id, /^audit\//);
    assert.ok(r.meta.rationale.length > 40, r.meta.id);
    if (r.meta.id !== 'audit/resource-lifecycle') assert.ok((r.meta.references.mitre ?? []).every((m) => /^T\d{4}(\.\d{3})?$/.test(m)) && r.meta.references.mitre!.length > 0, r.meta.id);
  }
  assert.ok(eventRules.length >= 25);
});

test('rules on the real Falco events (each file fires what its name says, and only that)', (t) => {
  if (!corpusOrSkip(t)) return;
  const cases: [string, string[]][] = [
    ['anonymous_creates_namespace_foo', ['audit/anonymous-allowed']],
    ['attach_cluster_admin_role', ['audit/cluster-admin-granted']],
    ['exec_pod', ['audit/pod-exec']],
    ['attach_pod', ['audit/pod-exec']],
    ['create_cluster_role_pod_exec', ['audit/role-pod-exec']],
    ['create_cluster_role_wildcard_verbs', ['audit/role-widened']],
    ['create_cluster_role_wildcard_resources', ['audit/role-widened']],
    ['create_cluster_role_write_privileges', ['audit/role-write-privileges']],
    ['create_nginx_pod_privileged', ['audit/workload-security']],
    ['create_nginx_pod_hostnetwork', ['audit/workload-security']],
    // hostPath /etc, writable: it holds the static pod manifest directory.
    ['create_nginx_pod_sensitive_mount', ['audit/workload-security', 'audit/static-pod-tampering']],
    ['create_nginx_pod_sensitive_mount_2nd_container', ['audit/workload-security', 'audit/static-pod-tampering']],
    ['create_nginx_pod_unsensitive_mount', []], // the kubelet's get of a pod with hostPath /usr/local
    ['create_nginx_pod_unprivileged', []],
    ['create_nginx_pod_nohostnetwork', []],
    ['create_nginx_service_nodeport', ['audit/exposed-service']],
    ['create_nginx_service_nonodeport', []],
    ['create_pod_kube_system_namespace', ['audit/system-namespace-pod']],
    ['create_serviceaccount_kube_system_namespace', ['audit/system-namespace-write']],
    ['delete_cluster_role_kube_aggregator', ['audit/system-role-changed']],
    ['modify_cluster_role_node_problem_detector', ['audit/system-role-changed']],
    ['create_configmap_sensitive_values', ['audit/configmap-credentials', 'audit/configmap-credentials', 'audit/configmap-credentials', 'audit/configmap-credentials', 'audit/configmap-credentials', 'audit/configmap-credentials']],
    ['create_configmap_no_sensitive_values', []],
    ['create_service_account_token_secret', []],
    ['create_deployment', []],
  ];
  for (const [file, want] of cases) assert.deepEqual(ids(eventsOf(corpusFile(file))), want, file);
});

test('privileged pods are judged by the scanner rules: same rule ids, same options from config', (t) => {
  if (!corpusOrSkip(t)) return;
  const [a] = detect(eventsOf(corpusFile('create_nginx_pod_privileged')));
  assert.deepEqual(a!.details!.scannerRules, ['pss/privileged']);
  assert.equal(a!.severity, 'critical');
  // Turning the scanner rule off in .rampart.yaml turns it off for the audit log too (one engine).
  assert.deepEqual(ids(eventsOf(corpusFile('create_nginx_pod_privileged')), { 'pss/privileged': { enabled: false } }), []);
});

test('synthetic events: each rule fires on its case and not on the benign twin', () => {
  const table: [string, AuditEvent[], string[]][] = [
    ['secret get by a person', [ev({ verb: 'get', objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' } })], ['audit/secret-read']],
    ['SA reads its own named secret', [ev({ verb: 'get', user: SA('shop', 'web'), userAgent: 'web/1.0', objectRef: { resource: 'secrets', namespace: 'shop', name: 'web-tls' } })], []],
    ['SA reads a secret of another namespace', [ev({ verb: 'get', user: SA('shop', 'web'), userAgent: 'web/1.0', objectRef: { resource: 'secrets', namespace: 'payments', name: 'stripe' } })], ['audit/secret-read']],
    ['secret list by a service account', [ev({ verb: 'list', user: SA('ci', 'deployer'), userAgent: 'Go-http-client/2.0', objectRef: { resource: 'secrets', namespace: 'ci' } })], ['audit/secret-read']],
    ['secret read by a kube-system controller', [ev({ verb: 'get', user: SA('kube-system', 'generic-garbage-collector'), userAgent: 'kube-controller-manager', objectRef: { resource: 'secrets', namespace: 'a', name: 'b' } })], []],
    ['impersonation of system:masters', [ev({ impersonatedUser: { username: 'bob', groups: ['system:masters'] }, objectRef: { resource: 'pods', namespace: 'shop' }, verb: 'list' })], ['audit/impersonation']],
    ['token request by a person', [ev({ verb: 'create', objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'kube-system', name: 'admin' }, responseStatus: { code: 201 } })], ['audit/sa-token-request', 'audit/system-namespace-write']],
    ['token request by the kubelet', [ev({ verb: 'create', user: { username: 'system:node:n1', groups: ['system:nodes'] }, objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'shop', name: 'web' }, responseStatus: { code: 201 } })], []],
    ['CSR approved', [ev({ verb: 'update', objectRef: { resource: 'certificatesigningrequests', subresource: 'approval', name: 'evil', apiGroup: 'certificates.k8s.io' } })], ['audit/csr-approved']],
    ['validating webhook deleted', [ev({ verb: 'delete', objectRef: { resource: 'validatingwebhookconfigurations', name: 'gatekeeper', apiGroup: 'admissionregistration.k8s.io' } })], ['audit/admission-config-changed']],
    ['kubectl with a service-account token', [ev({ verb: 'list', user: SA('shop', 'web'), objectRef: { resource: 'pods', namespace: 'shop' } })], ['audit/kubectl-in-pod']],
    ['controller client with a service-account token', [ev({ verb: 'list', user: SA('shop', 'web'), userAgent: 'web/v1 (linux/amd64) client-go', objectRef: { resource: 'pods', namespace: 'shop' } })], []],
    ['events deleted', [ev({ verb: 'deletecollection', objectRef: { resource: 'events', namespace: 'shop' } })], ['audit/events-deleted']],
    ['PSA enforce set to privileged', [ev({ verb: 'patch', objectRef: { resource: 'namespaces', name: 'shop' }, requestObject: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } } })], ['audit/namespace-psa-weakened']],
    ['PSA enforce set to restricted', [ev({ verb: 'patch', objectRef: { resource: 'namespaces', name: 'shop' }, requestObject: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } })], []],
    ['nodes/proxy exec', [ev({ verb: 'create', requestURI: '/api/v1/nodes/n1/proxy/exec/shop/web/app?command=id', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'n1' } })], ['audit/nodes-proxy']],
    ['ephemeral container', [ev({ verb: 'patch', objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', namespace: 'shop', name: 'web' } })], ['audit/ephemeral-container']],
    ['cronjob created', [ev({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'cronjobs', namespace: 'shop', apiGroup: 'batch' }, requestObject: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'evil.example/miner:1' }] } } } } } } })], ['audit/cronjob-changed']],
    ['escalate verb in a role', [ev({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'roles', namespace: 'shop', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, requestObject: { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }] } })], ['audit/role-widened']],
    ['anonymous /healthz', [ev({ verb: 'get', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, requestURI: '/healthz', objectRef: undefined })], []],
    ['anonymous list secrets', [ev({ verb: 'list', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, objectRef: { resource: 'secrets' } })], ['audit/anonymous-allowed', 'audit/secret-read']],
    ['anonymous denied', [ev({ verb: 'list', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, objectRef: { resource: 'secrets' }, responseStatus: { code: 403 } })], []],
    ['LoadBalancer service', [ev({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'services', namespace: 'shop', name: 'web' }, requestObject: { kind: 'Service', apiVersion: 'v1', spec: { type: 'LoadBalancer' } } })], ['audit/exposed-service']],
  ];
  for (const [name, events, want] of table) assert.deepEqual(ids(events).sort(), [...want].sort(), name);
  const list = ev({ verb: 'list', user: SA('ci', 'deployer'), userAgent: 'argocd/2', objectRef: { resource: 'secrets', namespace: 'ci' } });
  assert.deepEqual(ids([list], { 'audit/secret-read': { options: { allowedServiceAccounts: ['ci:*'] } } }), []);
});

test('windowed rules: 401 burst per address, 403 burst per user, recon, mass deletion (one alert per burst)', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 10, 0, s)).toISOString(); // seconds overflow into minutes
  const burst = Array.from({ length: 25 }, (_, i) => ev({ verb: 'list', requestReceivedTimestamp: at(i), user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, responseStatus: { code: 401 }, sourceIPs: ['203.0.113.9'], objectRef: { resource: 'pods' } }));
  assert.deepEqual(ids(burst), ['audit/auth-failure-burst']);
  // The same 25 failures spread over 25 minutes are not a burst.
  const slow = Array.from({ length: 25 }, (_, i) => ev({ verb: 'list', requestReceivedTimestamp: at(i * 60), user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, responseStatus: { code: 401 }, sourceIPs: ['203.0.113.9'], objectRef: { resource: 'pods' } }));
  assert.deepEqual(ids(slow), []);
  const denied = Array.from({ length: 25 }, (_, i) => ev({ verb: 'get', requestReceivedTimestamp: at(i), responseStatus: { code: 403 }, sourceIPs: [`10.1.0.${i}`], objectRef: { resource: 'secrets', namespace: 'a', name: `s${i}` } }));
  assert.deepEqual(ids(denied), ['audit/auth-failure-burst']);
  const kinds = ['pods', 'secrets', 'configmaps', 'services', 'deployments', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'nodes', 'namespaces', 'ingresses', 'networkpolicies'];
  const recon = kinds.map((k, i) => ev({ verb: 'list', requestReceivedTimestamp: at(i), user: SA('shop', 'web'), userAgent: 'Go-http-client/2.0', objectRef: { resource: k } }));
  // One alert for the burst of kinds (the cluster-wide configmaps list in it is reported on its own, once).
  assert.deepEqual(detect(recon).filter((a) => a.ruleId === 'audit/recon').map((a) => /different resource types|configmaps across/.exec(a.message)?.[0]), ['configmaps across', 'different resource types']);
  const deletes = Array.from({ length: 12 }, (_, i) => ev({ verb: 'delete', requestReceivedTimestamp: at(i), objectRef: { resource: 'deployments', namespace: 'shop', name: `d${i}`, apiGroup: 'apps' } }));
  assert.deepEqual(ids(deletes), ['audit/mass-deletion']);
  // Thresholds are options.
  assert.deepEqual(ids(deletes, { 'audit/mass-deletion': { options: { threshold: 20 } } }), []);
});

test('a re-delivered event (same auditID and stage) is judged once; exec is judged when the connection starts', (t) => {
  if (!corpusOrSkip(t)) return;
  const [e] = eventsOf(corpusFile('exec_pod'));
  assert.equal(e!.stage, 'ResponseStarted');
  assert.deepEqual(ids([e!, e!, { ...e!, stage: 'ResponseComplete' }]), ['audit/pod-exec']);
  const req = ev({ stage: 'RequestReceived', verb: 'get', objectRef: { resource: 'secrets', namespace: 'a', name: 'b' } });
  assert.deepEqual(ids([req]), []);
});

test('secret values in request or response bodies never reach an alert', () => {
  const value = 'c3VwZXItc2VjcmV0LXZhbHVl';
  const secret = ev({ verb: 'get', objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'admin-token' }, responseObject: { kind: 'Secret', apiVersion: 'v1', data: { token: value } } });
  const cm = ev({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'configmaps', namespace: 'shop', name: 'cfg' }, requestObject: { kind: 'ConfigMap', apiVersion: 'v1', data: { 'db.properties': `password=${value}` } } });
  const alerts = detect([secret, cm]);
  assert.deepEqual(alerts.map((a) => a.ruleId).sort(), ['audit/configmap-credentials', 'audit/secret-read']);
  assert.ok(!JSON.stringify(alerts).includes(value));
});

test('A16: a person\'s credentials used from a pod address (podCIDRs configured), once per person and address', () => {
  const fromPod = (ip: string, user = { username: 'alice@example.com', groups: ['devs', 'system:authenticated'] }) =>
    ev({ verb: 'list', sourceIPs: [ip], user, requestURI: '/api/v1/secrets', objectRef: { resource: 'secrets', apiVersion: 'v1' } });
  const workload = { ...fromPod('10.244.1.12', SA('shop', 'web')), userAgent: 'web/v2.3.1 (linux/amd64) kubernetes/abc123' };
  const events = [fromPod('10.244.3.17'), fromPod('10.244.3.17'), fromPod('192.168.10.21'), workload];
  const cfg = { 'audit/kubectl-in-pod': { options: { podCIDRs: ['10.244.0.0/16'] } } };
  const hits = detect(events, configWith(cfg)).filter((a) => a.ruleId === 'audit/kubectl-in-pod');
  assert.deepEqual(hits.map((a) => a.sourceIPs[0]), ['10.244.3.17']);
  assert.match(hits[0]!.message, /alice@example.com, a person's identity, made a request from pod address 10.244.3.17/);
  assert.deepEqual(ids(events).filter((r) => r === 'audit/kubectl-in-pod'), [], 'without podCIDRs nothing is known about pod addresses');
});

test('A21: ConfigMaps listed or watched across all namespaces by a non-system identity, once per identity', () => {
  const list = (user: object, verb = 'list', namespace?: string) =>
    ev({ verb, user, requestURI: namespace ? `/api/v1/namespaces/${namespace}/configmaps` : '/api/v1/configmaps', objectRef: { resource: 'configmaps', apiVersion: 'v1', ...(namespace ? { namespace } : {}) } });
  const kcm = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
  const alerts = detect([list(SA('shop', 'web')), list(SA('shop', 'web'), 'watch'), list(SA('shop', 'cart'), 'list', 'shop'), list(kcm)]).filter((a) => a.ruleId === 'audit/recon');
  assert.deepEqual(alerts.map((a) => [a.user, a.severity]), [['system:serviceaccount:shop:web', 'low']]);
  assert.match(alerts[0]!.message, /listed configmaps across all namespaces/);
});

test('A22: mutable image tags through the scanner\'s image rules in audit/workload-image.scannerRules', () => {
  const deploy = (image: string) =>
    ev({
      verb: 'create',
      responseStatus: { code: 201 },
      requestURI: '/apis/apps/v1/namespaces/shop/deployments',
      objectRef: { resource: 'deployments', namespace: 'shop', apiGroup: 'apps', apiVersion: 'v1' },
      requestObject: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } } },
    });
  const cfg = { 'audit/workload-image': { options: { scannerRules: ['image/digest'] } }, 'image/digest': { enabled: true } };
  const events = [deploy('nginx:1.27'), deploy('nginx@sha256:' + 'a'.repeat(64))];
  const hits = detect(events, configWith(cfg)).filter((a) => a.ruleId === 'audit/workload-image');
  assert.equal(hits.length, 1);
  assert.match(hits[0]!.message, /image\/digest/);
  assert.deepEqual(ids(events).filter((r) => r === 'audit/workload-image'), [], 'off by default (Falco agreement: its Create Disallowed Pod needs an allowlist)');
});
