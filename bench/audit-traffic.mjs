// Generator of realistic API-server audit traffic (audit.k8s.io/v1 Events) with injected attack
// scenarios, for the anomaly detector's precision/recall test, the least-privilege test and the
// bench. Deterministic for a seed. Each event carries its ground truth in `annotations`:
// `rampart.dev/scenario` names the attack it belongs to (absent for benign traffic).
//
//   import { generateTraffic } from './audit-traffic.mjs';
//   for (const e of generateTraffic({ days: 14, attacks: false })) ...

const DAY = 86_400_000;
export const SCENARIO = 'rampart.dev/scenario';

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const saUser = (ns, name) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
const human = (name, groups = []) => ({ username: name, groups: [...groups, 'system:authenticated'] });

// Workload service accounts: a fixed repertoire, a client-go user agent, a pod address; around the clock.
const SERVICE_ACCOUNTS = [
  { ns: 'shop', name: 'web', ip: '10.244.1.12', ua: 'web/v2.3.1 (linux/amd64) kubernetes/abc123', perHour: 30, acts: [['get', 'configmaps', 'shop', 'web-config'], ['list', 'endpoints', 'shop'], ['watch', 'endpoints', 'shop'], ['get', 'secrets', 'shop', 'web-tls']] },
  { ns: 'shop', name: 'cart', ip: '10.244.1.31', ua: 'cart/v1.9.0 (linux/amd64) kubernetes/abc123', perHour: 20, acts: [['get', 'configmaps', 'shop', 'cart-config'], ['get', 'secrets', 'shop', 'cart-db']] },
  { ns: 'payments', name: 'api', ip: '10.244.2.5', ua: 'payments/v4.0.2 (linux/amd64) kubernetes/abc123', perHour: 25, acts: [['get', 'secrets', 'payments', 'stripe-key'], ['get', 'configmaps', 'payments', 'api-config'], ['create', 'events', 'payments']] },
  { ns: 'ci', name: 'deployer', ip: '10.244.3.9', ua: 'argocd-application-controller/v2.10.0 (linux/amd64) kubernetes/abc123', perHour: 60, acts: [['list', 'deployments', 'shop', '', 'apps'], ['patch', 'deployments', 'shop', 'web', 'apps'], ['list', 'deployments', 'payments', '', 'apps'], ['patch', 'deployments', 'payments', 'api', 'apps'], ['get', 'services', 'shop', 'web'], ['list', 'configmaps', 'shop'], ['get', 'secrets', 'ci', 'git-creds']] },
  { ns: 'monitoring', name: 'prometheus', ip: '10.244.4.2', ua: 'Prometheus/2.51.0', perHour: 120, acts: [['list', 'pods', ''], ['list', 'services', ''], ['list', 'endpoints', ''], ['watch', 'pods', '']] },
  { ns: 'ingress', name: 'ingress-nginx', ip: '10.244.5.3', ua: 'nginx-ingress-controller/v1.10.0 (linux/amd64) ingress-nginx/abc', perHour: 40, acts: [['list', 'ingresses', '', '', 'networking.k8s.io'], ['watch', 'ingresses', '', '', 'networking.k8s.io'], ['get', 'secrets', 'shop', 'web-tls'], ['list', 'services', '']] },
  { ns: 'cert-manager', name: 'cert-manager', ip: '10.244.6.4', ua: 'cert-manager-controller/v1.14.0 (linux/amd64) kubernetes/abc', perHour: 15, acts: [['list', 'certificates', '', '', 'cert-manager.io'], ['update', 'secrets', 'shop', 'web-tls'], ['get', 'secrets', 'shop', 'web-tls']] },
];

// People: office hours on weekdays, kubectl from the office /24, their team namespaces.
const PEOPLE = [
  { user: human('alice@example.com', ['sre']), ips: ['192.168.10.21', '192.168.10.22'], nss: ['shop', 'payments'], exec: true, admin: true },
  { user: human('bob@example.com', ['dev']), ips: ['192.168.10.35'], nss: ['shop'], exec: false },
  { user: human('carol@example.com', ['dev']), ips: ['192.168.10.40'], nss: ['payments'], exec: false },
  { user: human('dave@example.com', ['sre']), ips: ['192.168.10.51'], nss: ['shop', 'payments', 'monitoring'], exec: true },
];
const HUMAN_ACTS = [
  ['get', 'pods'],
  ['list', 'pods'],
  ['get', 'pods', 'log'],
  ['list', 'deployments', '', 'apps'],
  ['get', 'deployments', '', 'apps'],
  ['list', 'services'],
  ['list', 'events'],
  ['patch', 'deployments', '', 'apps'],
];

// Control-plane components: very regular, very frequent.
const SYSTEM = [
  { user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] }, ip: '10.0.0.10', ua: 'kube-scheduler/v1.30.0 (linux/amd64) kubernetes/abc/scheduler', perHour: 200, acts: [['list', 'pods', ''], ['watch', 'nodes', ''], ['create', 'pods', 'shop', 'x', '', 'binding']] },
  { user: { username: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] }, ip: '10.0.1.1', ua: 'kubelet/v1.30.0 (linux/amd64) kubernetes/abc', perHour: 300, acts: [['get', 'nodes', '', 'node-1'], ['patch', 'nodes', '', 'node-1', '', 'status'], ['get', 'secrets', 'shop', 'web-tls'], ['create', 'serviceaccounts', 'shop', 'web', '', 'token']] },
];

let uid = 0;
function event(t, user, ip, ua, [verb, resource, ns = '', name = '', group = '', sub = ''], extra = {}) {
  const objectRef = { resource, apiVersion: 'v1' };
  if (ns) objectRef.namespace = ns;
  if (name) objectRef.name = name;
  if (group) objectRef.apiGroup = group;
  if (sub) objectRef.subresource = sub;
  const ts = new Date(t).toISOString().replace('Z', '000Z');
  const path = `/${group ? `apis/${group}/v1` : 'api/v1'}${ns ? `/namespaces/${ns}` : ''}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${(++uid).toString(16).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: path,
    verb,
    user,
    sourceIPs: [ip],
    userAgent: ua,
    objectRef,
    responseStatus: { metadata: {}, code: verb === 'create' ? 201 : 200 },
    requestReceivedTimestamp: ts,
    stageTimestamp: ts,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '', ...extra },
  };
}

/**
 * Yields events in time order from `start` over `days`. With `attacks`, the last day carries the
 * scenarios below (their events are labelled); benign novelty the detector must tolerate is mixed
 * in as well (a new kubectl version, a pod restarting on a new address in its /24, a person reading
 * pods in a namespace new to them).
 */
export function* generateTraffic({ seed = 7, start = Date.UTC(2026, 0, 5), days = 14, attacks = false, scale = 1 } = {}) {
  const rand = rng(seed);
  const end = start + days * DAY;
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const attackDay = end - DAY;
  const injected = attacks ? scenarios(attackDay) : [];
  let next = 0;
  for (let hour = start; hour < end; hour += 3_600_000) {
    const batch = [];
    const h = new Date(hour).getUTCHours();
    const weekday = ![0, 6].includes(new Date(hour).getUTCDay());
    for (const sa of SERVICE_ACCOUNTS) {
      const n = Math.round(sa.perHour * scale * (0.8 + 0.4 * rand()));
      for (let i = 0; i < n; i++) {
        // Pods restart now and then: same /24, new last octet (benign).
        const ip = rand() < 0.02 ? sa.ip.replace(/\.\d+$/, `.${10 + Math.floor(rand() * 200)}`) : sa.ip;
        batch.push(event(hour + rand() * 3_600_000, saUser(sa.ns, sa.name), ip, sa.ua, pick(sa.acts)));
      }
    }
    for (const s of SYSTEM) {
      const n = Math.round(s.perHour * scale * (0.9 + 0.2 * rand()));
      for (let i = 0; i < n; i++) batch.push(event(hour + rand() * 3_600_000, s.user, s.ip, s.ua, pick(s.acts)));
    }
    if (weekday && h >= 8 && h < 18) {
      for (const p of PEOPLE) {
        const n = Math.round(12 * scale * rand());
        for (let i = 0; i < n; i++) {
          const [verb, resource, sub = '', group = ''] = pick(HUMAN_ACTS);
          const ns = pick(p.nss);
          const ua = hour > attackDay && rand() < 0.5 ? 'kubectl/v1.31.0 (darwin/arm64) kubernetes/def' : 'kubectl/v1.30.2 (darwin/arm64) kubernetes/abc';
          batch.push(event(hour + rand() * 3_600_000, p.user, pick(p.ips), ua, [verb, resource, ns, sub ? `${ns}-pod` : '', group, sub]));
        }
        if (p.exec && rand() < 0.3) batch.push(event(hour + rand() * 3_600_000, p.user, pick(p.ips), 'kubectl/v1.30.2 (darwin/arm64) kubernetes/abc', ['create', 'pods', pick(p.nss), 'web-1', '', 'exec']));
      }
      // Benign novelty on the attack day: carol looks at pods in shop for the first time.
      if (attacks && hour >= attackDay && h === 10) batch.push(event(hour + 60_000, PEOPLE[2].user, PEOPLE[2].ips[0], 'kubectl/v1.30.2 (darwin/arm64) kubernetes/abc', ['list', 'pods', 'shop']));
    }
    while (next < injected.length && injected[next].t < hour + 3_600_000) batch.push(injected[next++].e);
    batch.sort((a, b) => (a.requestReceivedTimestamp < b.requestReceivedTimestamp ? -1 : 1));
    yield* batch;
  }
}

/** The injected attacks, each a labelled list of events. */
function scenarios(day) {
  const out = [];
  const add = (name, t, user, ip, ua, act) => out.push({ t, e: event(t, user, ip, ua, act, { [SCENARIO]: name }) });
  // 1. The CI deployer's token is used to read secrets in kube-system.
  for (let i = 0; i < 3; i++) add('ci-token-secrets', day + 2 * 3_600_000 + i * 5_000, saUser('ci', 'deployer'), '10.244.3.9', 'argocd-application-controller/v2.10.0 (linux/amd64) kubernetes/abc123', ['get', 'secrets', 'kube-system', `bootstrap-token-${i}`]);
  // 2. A shell in the web pod: kubectl with the pod's token, listing things it never listed.
  add('web-pod-shell', day + 3 * 3_600_000, saUser('shop', 'web'), '10.244.1.12', 'kubectl/v1.30.0 (linux/amd64) kubernetes/abc', ['list', 'secrets', 'shop']);
  add('web-pod-shell', day + 3 * 3_600_000 + 2_000, saUser('shop', 'web'), '10.244.1.12', 'kubectl/v1.30.0 (linux/amd64) kubernetes/abc', ['list', 'pods', 'shop']);
  // 3. alice's credentials used at 03:00 from an unknown network to grant cluster-admin.
  add('alice-stolen', day + 3 * 3_600_000 + 30_000, human('alice@example.com', ['sre']), '203.0.113.77', 'kubectl/v1.30.2 (linux/amd64) kubernetes/abc', ['create', 'clusterrolebindings', '', 'backdoor', 'rbac.authorization.k8s.io']);
  // 4. bob execs into a payments pod (he never execs, never touches payments).
  add('bob-exec', day + 11 * 3_600_000, human('bob@example.com', ['dev']), '192.168.10.35', 'kubectl/v1.30.2 (darwin/arm64) kubernetes/abc', ['create', 'pods', 'payments', 'api-0', '', 'exec']);
  // 5. The prometheus token floods the API (rate spike, 40× its rate in one minute).
  for (let i = 0; i < 200; i++) add('prometheus-flood', day + 5 * 3_600_000 + i * 250, saUser('monitoring', 'prometheus'), '10.244.4.2', 'Prometheus/2.51.0', ['list', 'pods', '']);
  // 6. An identity never seen before lists pods and secrets cluster-wide.
  add('unknown-sa', day + 6 * 3_600_000, saUser('default', 'default'), '10.244.9.9', 'python-requests/2.31.0', ['list', 'secrets', '']);
  return out.sort((a, b) => a.t - b.t);
}

export const SCENARIOS = ['ci-token-secrets', 'web-pod-shell', 'alice-stolen', 'bob-exec', 'prometheus-flood', 'unknown-sa'];
