// Hand-made worlds with known attack paths and known minimal cuts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../src/input/files.js';
import { ResourceIndex } from '../../src/model/index.js';
import { analysePaths, buildAttackGraph, cutKey, type AttackGraph, type PathAnalysis } from '../../src/analyses/paths/index.js';

function world(yaml: string): { graph: AttackGraph; result: PathAnalysis } {
  const l = loadText(yaml, 'world.yaml');
  assert.equal(l.errors.length, 0, l.errors[0]?.message);
  const graph = buildAttackGraph(new ResourceIndex(l.resources));
  return { graph, result: analysePaths(graph) };
}

/** Nodes along a path, for readable assertions. */
const route = (p: PathAnalysis['paths'][number]) => ['internet', ...p.edges.map((e) => e.to)].join(' > ');

/** Applying the choke points must leave no path: the cut is a real cut. */
function assertCutWorks(graph: AttackGraph, result: PathAnalysis): void {
  const keys = new Set(result.chokePoints.map(cutKey));
  const rest: AttackGraph = { ...graph, edges: graph.edges.filter((e) => !(e.cut && keys.has(cutKey(e.cut)))) };
  assert.equal(analysePaths(rest).paths.length, 0, 'paths left after applying the choke points');
}

const deploy = (name: string, opts: { sa?: string; labels?: string; extraSpec?: string; kind?: string } = {}) => `---
apiVersion: apps/v1
kind: ${opts.kind ?? 'Deployment'}
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${opts.labels ? ', ' + opts.labels : ''}}}
    spec:
      serviceAccountName: ${opts.sa ?? name}
${opts.extraSpec ?? ''}      containers: [{name: c, image: "nginx:1", ports: [{containerPort: 8080}]}]
`;
const lb = (name: string, app: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {type: LoadBalancer, selector: {app: ${app}}, ports: [{port: 80, targetPort: 8080}]}
`;
const clusterAdmin = (sa: string, binding = `${sa}-admin`) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${binding}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ${sa}, namespace: shop}]
`;

test('exposed workload whose token is cluster-admin: one path per target, one cut', () => {
  const { graph, result } = world(lb('web', 'web') + deploy('web') + clusterAdmin('web'));
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/web > serviceaccount:shop/web > target:cluster-admin']);
  assert.deepEqual(admin[0]!.edges.map((e) => e.kind), ['exposure', 'token', 'rbac']);
  // Every step names its evidence with a file and line.
  for (const e of admin[0]!.edges) assert.ok(e.evidence.every((ev) => ev.file === 'world.yaml' && ev.line > 0), e.description);
  assert.equal(admin[0]!.edges[2]!.cut?.rule, 'rbac/cluster-admin-binding');
  assert.ok(result.paths.some((p) => p.target === 'all-secrets'));
  assert.equal(result.chokePoints.length, 1);
  assert.equal(result.chokePoints[0]!.cuts, result.paths.length);
  assertCutWorks(graph, result);
});

test('a NetworkPolicy that admits only in-cluster clients blocks the only route', () => {
  const policy = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]
`;
  const base = lb('web', 'web') + deploy('web') + clusterAdmin('web');
  assert.ok(world(base).result.paths.length > 0);
  const { result } = world(base + policy);
  assert.equal(result.paths.length, 0);
  assert.equal(result.chokePoints.length, 0);
});

test('lateral movement: exposed frontend → backend with cluster-admin, unless a policy isolates the backend', () => {
  const base = lb('front', 'front') + deploy('front', { extraSpec: '      automountServiceAccountToken: false\n' }) + deploy('api') + clusterAdmin('api');
  const open = world(base);
  const admin = open.result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/front > workload:Deployment/shop/api > serviceaccount:shop/api > target:cluster-admin']);
  assert.equal(admin[0]!.edges[1]!.kind, 'lateral');
  assertCutWorks(open.graph, open.result);
  const isolated = world(
    base +
      `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-only-from-jobs, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: jobs}}}]}]
`,
  );
  assert.equal(isolated.result.paths.length, 0);
});

/** Pod traffic closed (default deny) except web, which admits the internet. */
const ONLY_WEB_FROM_INTERNET = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-internet, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
`;

test('breakout: only the DaemonSet token on the node reaches cluster-admin', () => {
  const yaml =
    lb('web', 'web') +
    deploy('web', { extraSpec: '      automountServiceAccountToken: false\n      nodeSelector: {pool: web}\n      hostPID: true\n' }) +
    // A cluster-admin workload pinned to other nodes is not reachable from the web pool.
    deploy('admin-tool', { extraSpec: '      nodeSelector: {pool: system}\n' }) +
    clusterAdmin('admin-tool') +
    deploy('agent', { kind: 'DaemonSet' }) +
    clusterAdmin('agent') +
    // Pod traffic is closed (default deny), web admits the internet: the node is the only way on.
    ONLY_WEB_FROM_INTERNET;
  const { graph, result } = world(yaml);
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/web > node:pool=web > workload:DaemonSet/shop/agent > serviceaccount:shop/agent > target:cluster-admin']);
  assert.equal(admin[0]!.edges[1]!.cut?.rule, 'pss/hostNamespaces');
  assert.match(admin[0]!.edges[1]!.cut!.path, /hostPID$/);
  assert.equal(admin[0]!.edges[2]!.cut, undefined, 'scheduling onto the node is not cut by one line');
  assert.equal(result.chokePoints.length, 1);
  assertCutWorks(graph, result);
  // Without the breakout there is no path.
  assert.equal(world(yaml.replace('      hostPID: true\n', '')).result.paths.length, 0);
});

test('two exposed workloads sharing one powerful ServiceAccount: the minimal cut is the one binding', () => {
  const yaml = lb('a', 'a') + lb('b', 'b') + deploy('a', { sa: 'shared' }) + deploy('b', { sa: 'shared' }) + clusterAdmin('shared', 'shared-admin');
  const { graph, result } = world(yaml);
  // a and b, each directly, and each through the other (nothing isolates them): 4 paths, one binding behind all.
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.equal(admin.length, 4);
  assert.equal(admin.filter((p) => p.edges.length === 3).length, 2);
  assert.equal(result.chokePoints.length, 1);
  const cp = result.chokePoints[0]!;
  assert.equal(cp.resource, 'ClusterRoleBinding shared-admin');
  assert.equal(cp.path, '/subjects/0');
  assert.equal(cp.cuts, result.paths.length, `cuts ${cp.cuts} of ${cp.of}`);
  assertCutWorks(graph, result);
});

test('two independent routes need two cuts, each ranked by the paths it removes', () => {
  const yaml = lb('a', 'a') + lb('b', 'b') + deploy('a') + deploy('b') + clusterAdmin('a') + clusterAdmin('b');
  const { graph, result } = world(yaml);
  // Directly and through the other workload: 3 paths end at each binding.
  assert.equal(result.paths.filter((p) => p.target === 'cluster-admin').length, 4);
  assert.equal(result.chokePoints.length, 2);
  for (const cp of result.chokePoints) assert.equal(cp.cuts, result.paths.length / 2);
  assertCutWorks(graph, result);
});

test('a privileged exposed pod with no powerful token: no path, and nothing to report', () => {
  const yaml = lb('web', 'web') + deploy('web').replace('ports: [{containerPort: 8080}]', 'ports: [{containerPort: 8080}], securityContext: {privileged: true}');
  const { graph, result } = world(yaml);
  assert.ok(graph.edges.some((e) => e.kind === 'breakout' && e.cut?.rule === 'pss/privileged'));
  assert.equal(result.paths.length, 0);
  // The same pod next to a DaemonSet bound to cluster-admin: through the node.
  const withAgent = world(yaml + deploy('agent', { kind: 'DaemonSet' }) + clusterAdmin('agent'));
  assert.ok(withAgent.result.paths.some((p) => route(p).includes('node:* > workload:DaemonSet/shop/agent')));
});

test('a chain of two lateral hops through a workload neither exposed nor powerful', () => {
  // front (exposed, no token) → relay (not exposed, no token) → api (cluster-admin); api admits only relay.
  const noToken = { extraSpec: '      automountServiceAccountToken: false\n' };
  const yaml =
    lb('front', 'front') +
    deploy('front', noToken) +
    deploy('relay', noToken) +
    deploy('api') +
    clusterAdmin('api') +
    `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-relay, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: relay}}}], ports: [{port: 8080}]}]
`;
  const { graph, result } = world(yaml);
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/front > workload:Deployment/shop/relay > workload:Deployment/shop/api > serviceaccount:shop/api > target:cluster-admin']);
  assert.match(admin[0]!.edges[2]!.description, /relay can connect to .*api \(on TCP 8080, allowed by shop\/api-from-relay\)/);
  assert.equal(admin[0]!.edges[2]!.cut?.rule, 'netpol/workload-not-selected');
  assertCutWorks(graph, result);
});

const gatewayRoute = (kind: string, backendNs?: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: edge}
spec:
  gatewayClassName: cloud
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: web, namespace: edge}
spec:
  parentRefs: [{name: public}]
  rules:
  - backendRefs: [{name: web, ${backendNs ? `namespace: ${backendNs}, ` : ''}port: 80}]
`;
const clusterIp = (name: string, app: string) => lb(name, app).replace('type: LoadBalancer', 'type: ClusterIP');

test('Gateway API: an HTTPRoute on a Gateway exposes its backend; another namespace needs a ReferenceGrant', () => {
  const inShop = gatewayRoute('HTTPRoute', 'shop') + clusterIp('web', 'web') + deploy('web') + clusterAdmin('web');
  assert.equal(world(inShop).result.paths.length, 0, 'no ReferenceGrant: the route is not admitted');
  const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-edge, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: edge}]
  to: [{group: "", kind: Service}]
`;
  const { graph, result } = world(inShop + grant);
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/web > serviceaccount:shop/web > target:cluster-admin']);
  const entry = admin[0]!.edges[0]!;
  assert.match(entry.description, /^HTTPRoute edge\/web on Gateway edge\/public reaches Deployment shop\/web$/);
  assert.equal(entry.cut?.path, '/spec/rules/0/backendRefs/0');
  assert.ok(entry.evidence.some((e) => e.resource === 'Gateway edge/public'));
  assertCutWorks(graph, result);
  // A GRPCRoute works the same way.
  assert.equal(world((inShop + grant).replace(/HTTPRoute/g, 'GRPCRoute')).result.paths.filter((p) => p.target === 'cluster-admin').length, 1);
});

test('node network: hostNetwork and hostPort pods are entry points, cut by dropping the field', () => {
  const base = deploy('agent') + clusterAdmin('agent');
  assert.equal(world(base).result.paths.length, 0);
  const hostNet = world(base.replace('      containers:', '      hostNetwork: true\n      containers:'));
  const a = hostNet.result.paths.filter((p) => p.target === 'cluster-admin');
  assert.equal(a.length, 1);
  assert.equal(a[0]!.edges[0]!.cut?.rule, 'exposure/host-network');
  assert.equal(a[0]!.cost, 4, 'a node address weighs 2');
  assertCutWorks(hostNet.graph, hostNet.result);
  const hostPort = world(base.replace('containerPort: 8080}', 'containerPort: 8080, hostPort: 80}'));
  const b = hostPort.result.paths.filter((p) => p.target === 'cluster-admin');
  assert.equal(b[0]!.edges[0]!.cut?.rule, 'pss/hostPorts');
  assert.equal(b[0]!.edges[0]!.cut?.path, '/spec/template/spec/containers/0/ports/0/hostPort');
});

test('node placement: required node affinity narrows where a workload may run', () => {
  const affinity = (values: string) => `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [${values}]}]}]
`;
  const yaml = (values: string) =>
    lb('web', 'web') +
    deploy('web', { extraSpec: '      automountServiceAccountToken: false\n      nodeSelector: {pool: web}\n      hostPID: true\n' }) +
    deploy('admin-tool', { extraSpec: affinity(values) }) +
    clusterAdmin('admin-tool') +
    ONLY_WEB_FROM_INTERNET;
  assert.equal(world(yaml('system')).result.paths.length, 0, 'admin-tool only runs on the system pool');
  const shared = world(yaml('system, web'));
  const admin = shared.result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/web > node:pool=web > workload:Deployment/shop/admin-tool > serviceaccount:shop/admin-tool > target:cluster-admin']);
  assert.equal(admin[0]!.edges[2]!.weight, 2, 'a Deployment may run there (a DaemonSet does)');
  // Two terms are alternatives: they do not narrow (fail closed).
  const twoTerms = yaml('system').replace('[{matchExpressions: [{key: pool, operator: In, values: [system]}]}]', '[{matchExpressions: [{key: pool, operator: In, values: [system]}]}, {matchExpressions: [{key: zone, operator: Exists}]}]');
  assert.equal(world(twoTerms).result.paths.filter((p) => p.target === 'cluster-admin').length, 1);
});

test("kubelet credentials: RBAC granted to group system:nodes is reached from a broken-out node", () => {
  const base = lb('web', 'web') + deploy('web', { extraSpec: '      automountServiceAccountToken: false\n      hostPID: true\n' });
  assert.equal(world(base).result.paths.length, 0);
  const nodesAdmin = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: nodes-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: "system:nodes", apiGroup: rbac.authorization.k8s.io}]
`;
  const { graph, result } = world(base + nodesAdmin);
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/web > node:* > target:cluster-admin']);
  assert.match(admin[0]!.edges[2]!.description, /^the kubelet's credentials \(group system:nodes\) → cluster-admin/);
  assert.equal(admin[0]!.edges[2]!.cut?.resource, 'ClusterRoleBinding nodes-admin');
  assertCutWorks(graph, result);
});

test('image CVEs (--vulns): a workload running an image with a critical CVE is an entry point, cut at its image', () => {
  const images = [{ source: 'report.json', format: 'trivy', names: ['nginx:1.25.3'], digests: [], vulns: [{ id: 'CVE-2023-45853', pkg: 'zlib1g', installed: '1:1.2.13', severity: 'critical' }, { id: 'CVE-2024-2961', pkg: 'libc6', installed: '2.36', fixedIn: '2.36-9', severity: 'high' }] }];
  const yaml = deploy('api').replace('image: "nginx:1"', 'image: "nginx:1.25.3"') + clusterAdmin('api');
  const l = loadText(yaml, 'world.yaml');
  const graphOf = (vulns: unknown[]) => buildAttackGraph(new ResourceIndex(l.resources), { vulns: { images: vulns } });
  assert.equal(analysePaths(graphOf([])).paths.length, 0, 'not exposed, no report: no path');
  const graph = graphOf(images);
  const result = analysePaths(graph);
  const admin = result.paths.filter((p) => p.target === 'cluster-admin');
  assert.deepEqual(admin.map(route), ['internet > workload:Deployment/shop/api > serviceaccount:shop/api > target:cluster-admin']);
  const entry = admin[0]!.edges[0]!;
  assert.equal(entry.weight, 3);
  assert.match(entry.description, /runs nginx:1\.25\.3 with critical CVE-2023-45853$/);
  assert.equal(entry.cut?.rule, 'image/known-vulnerability');
  assert.equal(entry.cut?.path, '/spec/template/spec/containers/0/image');
  assertCutWorks(graph, result);
  // High only: not an entry.
  assert.equal(analysePaths(graphOf([{ ...images[0], vulns: [images[0]!.vulns[1]] }])).paths.length, 0);
});

test('Node objects (a live cluster): labels, taints against tolerations and bound pods decide who shares a node', () => {
  const nodes = `---
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {pool: web}}
---
apiVersion: v1
kind: Node
metadata: {name: cp-1, labels: {pool: system}}
spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}
`;
  const tolerateCp = '      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n';
  const yaml = (adminSpec: string) =>
    nodes +
    lb('web', 'web') +
    deploy('web', { extraSpec: '      automountServiceAccountToken: false\n      hostPID: true\n' }) +
    deploy('admin-tool', { extraSpec: adminSpec }) +
    clusterAdmin('admin-tool') +
    ONLY_WEB_FROM_INTERNET;
  // web does not tolerate the control-plane taint: it lands on worker-1 only.
  const pinned = world(yaml('      nodeSelector: {pool: system}\n' + tolerateCp));
  assert.ok(pinned.graph.edges.some((e) => e.kind === 'breakout' && e.to === 'node:worker-1'));
  assert.ok(!pinned.graph.edges.some((e) => e.kind === 'breakout' && e.to === 'node:cp-1'));
  assert.equal(pinned.result.paths.length, 0, 'admin-tool runs only on the control plane');
  // admin-tool without a selector or toleration may run on worker-1, next to web.
  const shared = world(yaml(''));
  assert.deepEqual(shared.result.paths.filter((p) => p.target === 'cluster-admin').map(route), ['internet > workload:Deployment/shop/web > node:worker-1 > workload:Deployment/shop/admin-tool > serviceaccount:shop/admin-tool > target:cluster-admin']);
  // A bound Pod runs where its nodeName says.
  const boundPod = (nodeName: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: admin-pod, namespace: shop, labels: {app: admin-pod}}
spec: {nodeName: ${nodeName}, serviceAccountName: admin-tool, containers: [{name: c, image: "nginx:1"}]}
`;
  const withPod = (n: string) => world(yaml('      nodeSelector: {pool: system}\n' + tolerateCp) + boundPod(n)).result.paths.filter((p) => p.target === 'cluster-admin').map(route);
  assert.deepEqual(withPod('cp-1'), []);
  assert.deepEqual(withPod('worker-1'), ['internet > workload:Deployment/shop/web > node:worker-1 > workload:Pod/shop/admin-pod > serviceaccount:shop/admin-tool > target:cluster-admin']);
});

test('alike Node objects are one graph node', () => {
  const nodes = Array.from({ length: 50 }, (_, i) => `---\napiVersion: v1\nkind: Node\nmetadata: {name: worker-${i}, labels: {pool: web, kubernetes.io/hostname: worker-${i}}}\n`).join('');
  const { graph, result } = world(nodes + lb('web', 'web') + deploy('web', { extraSpec: '      automountServiceAccountToken: false\n      hostPID: true\n' }) + deploy('agent', { kind: 'DaemonSet' }) + clusterAdmin('agent'));
  assert.deepEqual([...graph.nodes.values()].filter((n) => n.kind === 'node' && n.id !== 'node:*').map((n) => n.label), ['node worker-0 and 49 more like it'], 'node:* is root on any node, from RBAC');
  assert.ok(result.paths.some((p) => route(p).includes('node:worker-0+49 > workload:DaemonSet/shop/agent')));
});

test('breakout pre-check (scan rule: malformed fields left to pss/*): every breakout the evaluation finds is kept, odd shapes included', () => {
  // Each spec is exposed and lands on the DaemonSet's node only through a breakout, if it has one.
  const specs: [string, string, boolean][] = [
    ['privileged', '      containers: [{name: c, image: "nginx:1", securityContext: {privileged: true}}]\n', true],
    ['privileged-string', '      containers: [{name: c, image: "nginx:1", securityContext: {privileged: "true"}}]\n', false],
    ['init-privileged', '      initContainers: [{name: i, image: "busybox:1", securityContext: {privileged: true}}]\n', true],
    ['sys-admin', '      containers: [{name: c, image: "nginx:1", securityContext: {capabilities: {add: [SYS_ADMIN]}}}]\n', true],
    ['drop-all', '      containers: [{name: c, image: "nginx:1", securityContext: {capabilities: {drop: [ALL]}, privileged: false}}]\n', false],
    ['host-ipc', '      hostIPC: true\n', true],
    ['host-pid-false', '      hostPID: false\n', false],
    ['host-path', '      volumes: [{name: v, hostPath: {path: /var/lib/kubelet}}]\n', true],
    ['host-path-tmp', '      volumes: [{name: v, hostPath: {path: /tmp/x}}]\n', false],
    ['volumes-not-a-list', '      volumes: {name: v}\n', false],
    ['plain', '', false],
  ];
  let agreed = 0;
  for (const [name, extra, breaks] of specs) {
    // A spec line of the deploy template is replaced when the case sets its own containers.
    const own = extra.includes('containers:') && !extra.includes('initContainers');
    const web = deploy('web', { extraSpec: '      automountServiceAccountToken: false\n' + extra });
    const yaml = lb('web', 'web') + (own ? web.replace(/      containers: \[\{name: c, image: "nginx:1", ports: .*\n/, '') : web) + deploy('agent', { kind: 'DaemonSet' }) + clusterAdmin('agent') + ONLY_WEB_FROM_INTERNET;
    const l = loadText(yaml, 'world.yaml');
    const full = buildAttackGraph(new ResourceIndex(l.resources));
    const scan = buildAttackGraph(new ResourceIndex(l.resources), {}, { podSecurityNotEvaluated: false });
    const edges = (g: AttackGraph) => g.edges.map((e) => `${e.from} > ${e.to} ${e.kind} ${e.description}`);
    assert.deepEqual(edges(scan), edges(full), name);
    assert.equal(full.edges.some((e) => e.kind === 'breakout'), breaks, name);
    assert.equal(scan.notEvaluated.filter((n) => /pod security/.test(n.reason)).length, 0, name);
    agreed++;
  }
  console.log(`breakout pre-check: ${agreed}/${specs.length} specs give the same graph as the full evaluation`);
});
