// The attack graph: who an attacker on the internet can become, step by step, built from the
// answers of the other analyses (exposure helpers, the NetworkPolicy engine, PSS offences, token
// mounts and the RBAC escalation graph). Pure: resources in, graph out. Assumptions (docs/paths.md):
// an exposed workload can be compromised; a workload with a breakout offence gives root on a node
// that matches its nodeSelector; root on a node gives every pod that may run there (and its token).
import type { JsonObject, Resource } from '../../model/types.js';
import { ResourceIndex } from '../../model/index.js';
import { asArray, asObject, asString, getIn, isObject, parsePointer } from '../../model/json.js';
import { isGatewayRoute, referenceGranted, routeBackends, routeGateways, ROUTE_KINDS } from '../../model/gateway-routes.js';
import { allContainers, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import type { ImageVulns } from '../vulns/formats.js';
import { reportsForImage, summariseVulns } from '../vulns/join.js';
import { tokenMountOf } from '../../model/service-accounts.js';
import { normalisePosixPath } from '../../model/paths.js';
import { ingressBackends, isExternallyExposed, serviceBackends, serviceType } from '../../model/services.js';
import { exposedSockets } from '../../model/runtime-sockets.js';
import { clusterFromResources, type PodInfo } from '../netpol/cluster.js';
import { NetpolEngine } from '../netpol/engine.js';
import { formatPorts } from '../netpol/ports.js';
import { computeMatrix } from '../netpol/matrix.js';
import { pssResultFor } from '../pss/scan.js';
import { scanPolicy } from '../rbac/scan-policy.js';
import { scanEscalationGraph } from '../rbac/scan-graph.js';
import { describeNode, type EscalationPath, type Goal } from '../rbac/escalation.js';
import { appliesTo } from '../rbac/match.js';
import { userOf } from '../rbac/escalation.js';

export type TargetName = 'cluster-admin' | 'all-secrets';
export const TARGETS: TargetName[] = ['cluster-admin', 'all-secrets'];
export const INTERNET = 'internet';

export type NodeKind = 'internet' | 'workload' | 'node' | 'serviceaccount' | 'target' | 'netclass';
export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
}

/** A source position behind a step: the object, the JSON Pointer of the field, and file:line. */
export interface Evidence {
  resource: string;
  path: string;
  file: string;
  line: number;
}

/** The fix that removes an edge: the rule that reports it and the line to edit. */
export interface Cut extends Evidence {
  rule: string;
  action: string;
}

export type EdgeKind = 'exposure' | 'lateral' | 'breakout' | 'schedule' | 'token' | 'rbac' | 'node-takeover';
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Cost for ranking (more likely steps weigh less). */
  weight: number;
  description: string;
  evidence: Evidence[];
  /** Undefined when no single line removes this step (e.g. scheduling onto a node). */
  cut?: Cut;
  /** The object that makes this step possible (a finding's subject); not serialised. */
  source?: Resource;
}

export interface NotEvaluated {
  resource: string;
  file: string;
  line: number;
  reason: string;
}

export interface AttackGraph {
  nodes: Map<string, GraphNode>;
  edges: Edge[];
  notEvaluated: NotEvaluated[];
}

// Node ids are the keys of every table the graph and its analyses build (adjacency, walks, distances): one
// string object per node, not a fresh (unflattened) string per edge, so a look-up compares pointers instead
// of characters.
const TARGET_IDS: Record<TargetName, string> = { 'cluster-admin': 'target:cluster-admin', 'all-secrets': 'target:all-secrets' };
export const targetId = (t: TargetName) => TARGET_IDS[t] ?? `target:${t}`;
const workloadIds = new WeakMap<Resource, string>();
export const workloadId = (r: Resource): string => {
  let id = workloadIds.get(r);
  if (id === undefined) workloadIds.set(r, (id = `workload:${r.kind}/${r.namespace ?? 'default'}/${r.name}`));
  return id;
};
const saId = (ns: string, name: string) => `serviceaccount:${ns}/${name}`;
/** Selector-less breakouts land on "any node"; otherwise on a node carrying these labels. */
const nodeId = (sel: Placement) => `node:${Object.keys(sel).length ? Object.entries(sel).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v.join('|')}`).join(',') : '*'}`;

function describe(r: Resource): string {
  return `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}`;
}

/** Hidden identity of a Cut's fix (object and field), so keys need not locate the line. */
const FIX_KEY = Symbol('fix');
const resourceIds = new WeakMap<Resource, number>();
let lastResourceId = 0;
const resourceId = (r: Resource) => resourceIds.get(r) ?? (resourceIds.set(r, ++lastResourceId), lastResourceId);

/**
 * Where a step comes from. The file and line are located on first read: the graph holds an edge
 * per workload and per hop, and locating re-reads the (deflated) source, so only the steps that
 * are shown pay for it. Both stay ordinary enumerable fields for JSON and spreads.
 */
export function evidenceOf(r: Resource, path: string): Evidence {
  let loc: { file: string; line: number } | undefined;
  const at = () => (loc ??= r.locator.locate(path));
  const ev = { resource: describe(r), path } as Evidence;
  Object.defineProperty(ev, 'file', { enumerable: true, get: () => at().file });
  Object.defineProperty(ev, 'line', { enumerable: true, get: () => at().line });
  return ev;
}

function cutAt(r: Resource, path: string, rule: string, action: string): Cut {
  const c = Object.assign(evidenceOf(r, path), { rule, action }) as Cut;
  Object.defineProperty(c, FIX_KEY, { value: `${resourceId(r)}\u0000${path}` });
  return c;
}

/** The same fix for two cuts: the same object and field (a copy of a cut keeps the key only through withFixKey). */
export const cutKey = (c: Cut) => (c as { [FIX_KEY]?: string })[FIX_KEY] ?? `${c.file}\u0000${c.line}\u0000${c.path}\u0000${c.resource}`;

/** `copy` with the fix identity of `c`. */
export function withFixKey<T extends object>(c: Cut, copy: T): T {
  const k = (c as { [FIX_KEY]?: string })[FIX_KEY];
  if (k !== undefined) Object.defineProperty(copy, FIX_KEY, { value: k });
  return copy;
}

/** Host paths that give the node: its root, configuration, kubelet and runtime state, devices and processes. */
const SENSITIVE_HOST_DIRS = ['/etc', '/root', '/proc', '/sys', '/dev', '/boot', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/etcd', '/etc/kubernetes'];
/** Capabilities that let a container escape (load modules, mount, trace host processes, read any file, raw I/O). */
const BREAKOUT_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'BPF']);

export function isSensitiveHostPath(hostPath: string): boolean {
  const p = normalisePosixPath(hostPath);
  if (exposedSockets(hostPath).length > 0) return true;
  return SENSITIVE_HOST_DIRS.some((d) => p === d || p.startsWith(d + '/') || d.startsWith(p === '/' ? '/' : p + '/'));
}

interface Breakout {
  rule: string;
  path: string;
  why: string;
}

/** One settings object for every workload: PSS settings are parsed once per object, not per call. */
const BASELINE = Object.freeze({ level: 'baseline' });

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const setTo = (v: unknown) => v !== undefined && v !== false;

/**
 * Whether a pod spec may hold a breakout: any of the fields the breakout checks read is set, or
 * something on the way to them is not the expected shape (fail closed: the evaluation decides).
 * False only when hostPID, hostIPC, hostPath volumes, privileged and added capabilities are all absent.
 */
function mayBreakOut(spec: JsonObject): boolean {
  if (setTo(spec.hostPID) || setTo(spec.hostIPC)) return true;
  const volumes = spec.volumes;
  if (volumes !== undefined) {
    if (!Array.isArray(volumes)) return true;
    for (const v of volumes) if (!isObject(v) || v.hostPath !== undefined) return true;
  }
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (cs === undefined) continue;
    if (!Array.isArray(cs)) return true;
    for (const c of cs) {
      if (!isObject(c)) return true;
      const sc = c.securityContext;
      if (sc === undefined) continue;
      if (!isObject(sc) || setTo(sc.privileged)) return true;
      const caps = sc.capabilities;
      if (caps !== undefined && (!isObject(caps) || caps.add !== undefined)) return true;
    }
  }
  return false;
}

/**
 * Breakout offences of a workload, read from the PSS baseline evaluation and narrowed to real escapes.
 * Without a list for malformed fields (the scan rule: the pss/* rules name them), a pod spec that
 * cannot hold a breakout is not evaluated.
 */
function breakoutsOf(r: Resource, spec: JsonObject, notEvaluated: NotEvaluated[] | undefined): Breakout[] {
  if (!notEvaluated && !mayBreakOut(spec)) return [];
  const res = pssResultFor(r, BASELINE);
  if (!res) return [];
  if (notEvaluated) for (const m of res.malformed) notEvaluated.push({ ...evidenceOf(r, m.path), reason: `pod security fields not evaluable: ${m.message}` });
  const out: Breakout[] = [];
  const value = (path: string) => getIn(r.object, ...parsePointer(path).map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
  for (const o of res.offences) {
    if (o.check === 'privileged') out.push({ rule: 'pss/privileged', path: o.path, why: 'privileged container: root on the node' });
    else if (o.check === 'hostNamespaces') {
      if (/hostPID$|hostIPC$/.test(o.path)) out.push({ rule: 'pss/hostNamespaces', path: o.path, why: `${o.path.slice(o.path.lastIndexOf('/') + 1)}: shares the node's ${/PID/.test(o.path) ? 'processes' : 'IPC'}` });
    } else if (o.check === 'capabilities_baseline') {
      const cap = asString(value(o.path));
      if (cap && BREAKOUT_CAPS.has(cap.toUpperCase().replace(/^CAP_/, ''))) out.push({ rule: 'pss/capabilities_baseline', path: o.path, why: `capability ${cap} allows escaping the container` });
    } else if (o.check === 'hostPathVolumes') {
      const v = asObject(value(o.path));
      const hp = asString(asObject(v?.hostPath)?.path) ?? asString(v?.path) ?? asString(value(o.path));
      if (hp && isSensitiveHostPath(hp)) out.push({ rule: exposedSockets(hp).length ? 'workload/runtime-socket-mount' : 'pss/hostPathVolumes', path: o.path, why: `hostPath ${hp} exposes the node` });
    }
  }
  return out;
}

/** Node labels a pod requires: label → the values it accepts (nodeSelector, and required node affinity where it narrows). */
type Placement = Record<string, string[]>;

/**
 * Where a pod may run, as far as its manifest says: its nodeSelector, narrowed by required node
 * affinity when that is one term (several terms are alternatives: any of them may hold) whose
 * `In` expressions list the accepted values. NotIn, Exists, Gt and Lt do not narrow (fail closed:
 * the pod may run there). Taints live on Node objects, not in manifests, so tolerations are not read.
 */
function placementOf(r: Resource): Placement {
  const pod = podSpecOf(r);
  const out: Placement = {};
  for (const [k, v] of Object.entries(asObject(pod?.spec.nodeSelector) ?? {})) if (typeof v === 'string') out[k] = [v];
  const terms = asArray(asObject(asObject(asObject(pod?.spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms);
  if (terms.length !== 1) return out;
  for (const e of asArray(asObject(terms[0])?.matchExpressions)) {
    const o = asObject(e);
    const key = asString(o?.key);
    if (!key || asString(o?.operator) !== 'In') continue;
    const values = asArray(o?.values).filter((v): v is string => typeof v === 'string');
    out[key] = out[key] ? out[key]!.filter((v) => values.includes(v)) : [...values].sort();
  }
  return out;
}

/** Pods with these two placements may share a node: every label both constrain has a value both accept. */
function compatible(a: Placement, b: Placement): boolean {
  return Object.entries(a).every(([k, vs]) => b[k] === undefined || vs.some((v) => b[k]!.includes(v)));
}

/** Taints DaemonSet pods tolerate by default (the DaemonSet controller adds these tolerations). */
const DAEMONSET_TOLERATED = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable', 'node.kubernetes.io/network-unavailable'];

/** Node objects that no workload template can tell apart: the same values of the labels placements read, the same scheduling taints. */
interface NodeClass {
  names: string[];
  /** One of them, for its labels and taints. */
  node: Resource;
}

/** Groups the nodes so that a thousand alike workers are one graph node, not a thousand times every workload. */
function nodeClasses(nodes: readonly Resource[], placements: readonly Placement[]): NodeClass[] {
  const keys = [...new Set(placements.flatMap((p) => Object.keys(p)))].sort();
  const byKey = new Map<string, NodeClass>();
  for (const n of nodes) {
    const taints = asArray(asObject(n.object.spec)?.taints).filter((t) => ['NoSchedule', 'NoExecute'].includes(asString(asObject(t)?.effect) ?? ''));
    const key = JSON.stringify([keys.map((k) => n.labels[k] ?? null), taints]);
    const c = byKey.get(key);
    if (c) c.names.push(n.name);
    else byKey.set(key, { names: [n.name], node: n });
  }
  return [...byKey.values()];
}

/**
 * Whether a workload may run on a node of the class: a bound Pod when its nodeName is one of them
 * (in a live cluster nearly every node has bound pods, so they do not split classes: a pod bound
 * to another node of the class counts as sharing it, fail closed), else its placement against the
 * labels and its tolerations against the NoSchedule/NoExecute taints.
 */
function fitsNode(w: Resource, placement: Placement, c: NodeClass): boolean {
  const n = c.node;
  const spec = podSpecOf(w)?.spec;
  const bound = asString(spec?.nodeName);
  if (bound) return c.names.includes(bound);
  if (!Object.entries(placement).every(([k, vs]) => n.labels[k] !== undefined && vs.includes(n.labels[k]!))) return false;
  const tolerations = asArray(spec?.tolerations).map((t) => asObject(t) ?? {});
  return asArray(asObject(n.object.spec)?.taints).every((t) => {
    const taint = asObject(t) ?? {};
    const effect = asString(taint.effect);
    if (effect !== 'NoSchedule' && effect !== 'NoExecute') return true;
    const key = asString(taint.key) ?? '';
    if (w.kind === 'DaemonSet' && DAEMONSET_TOLERATED.includes(key)) return true;
    return tolerations.some((o) => {
      const op = asString(o.operator) ?? 'Equal';
      const tk = asString(o.key) ?? '';
      if (asString(o.effect) && asString(o.effect) !== effect) return false;
      if (tk === '') return op === 'Exists';
      return tk === key && (op === 'Exists' || (asString(o.value) ?? '') === (asString(taint.value) ?? ''));
    });
  });
}

/** Does the pod's ingress side admit traffic from outside the cluster? Any ipBlock counts (fail closed). */
function admitsInternet(engine: NetpolEngine, pod: PodInfo): boolean {
  const selecting = engine.selecting(pod, 'ingress');
  if (selecting.length === 0) return true;
  return selecting.some((p) => p.ingress.some((rule) => rule.peers === 'all' || rule.peers.some((peer) => peer.kind === 'ipBlock')));
}

/** Image reports imported with `--vulns` (the CLI hands them in `settings.vulns.images`). */
function importedReports(settings: Readonly<Record<string, unknown>>): ImageVulns[] {
  const v = settings.vulns;
  return isObject(v) && Array.isArray(v.images) ? (v.images as unknown as ImageVulns[]) : [];
}

const GOAL_TARGET: Partial<Record<Goal, TargetName>> = { 'cluster-admin': 'cluster-admin', secrets: 'all-secrets' };

export interface GraphOptions {
  /** Follow pod-to-pod traffic (default true): the NetworkPolicy class matrix, one answer per class pair. */
  lateral?: boolean;
  /**
   * Name malformed pod security fields in `notEvaluated` (default true). The scan rule passes false:
   * the pss/* rules name them, and workloads with no breakout field set then skip the baseline evaluation.
   */
  podSecurityNotEvaluated?: boolean;
}

export function buildAttackGraph(index: ResourceIndex, settings: Readonly<Record<string, unknown>> = {}, options: GraphOptions = {}): AttackGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: Edge[] = [];
  const notEvaluated: NotEvaluated[] = [];
  // The id the graph holds for the node (see TARGET_IDS).
  const node = (id: string, kind: NodeKind, label: string) => {
    const n = nodes.get(id);
    if (n) return n.id;
    nodes.set(id, { id, kind, label });
    return id;
  };
  node(INTERNET, 'internet', 'the internet');
  for (const t of TARGETS) node(targetId(t), 'target', t);

  const workloads = index.ofKind(...WORKLOAD_KINDS).filter((r) => podSpecOf(r));
  // Lookups that stay in one namespace (a Service's backends, a pod's ServiceAccount) go through the
  // index's per-namespace tables, so the answers other rules asked for (the same Services' backends) are shared.
  for (const w of workloads) node(workloadId(w), 'workload', describe(w));

  // Network: NetworkPolicy verdicts per workload (malformed and CNI policies are named, not trusted).
  const cluster = clusterFromResources(index.all);
  for (const p of cluster.policies) if (p.problems.length && p.resource) notEvaluated.push({ ...evidenceOf(p.resource, p.problems[0]!.path), reason: `NetworkPolicy not evaluated: ${p.problems[0]!.message}` });
  for (const o of cluster.otherPolicies) if (o.resource) notEvaluated.push({ ...evidenceOf(o.resource, ''), reason: `${o.resource.kind} not evaluated: traffic it blocks is still counted as allowed` });
  const engine = new NetpolEngine(cluster);
  const podOf = new Map<Resource, PodInfo>();
  for (const p of cluster.pods) if (p.resource) podOf.set(p.resource, p);
  // Asked once per pod, not per Service in front of it: a namespace holding N copies of an app has
  // N Services each backed by N pods, each pod's policies read N times (cubic in the copies).
  const internetAdmitted = new Map<PodInfo, boolean>();
  // One (read-only) evidence of a backend's labels for every Service and route in front of it.
  const backendLabels = new Map<Resource, Evidence>();
  const labelsEvidence = (b: Resource) => backendLabels.get(b) ?? (backendLabels.set(b, evidenceOf(b, '/metadata/labels')), backendLabels.get(b)!);
  const admitted = (pod: PodInfo) => internetAdmitted.get(pod) ?? (internetAdmitted.set(pod, admitsInternet(engine, pod)), internetAdmitted.get(pod)!);

  // Entry: externally exposed Services and Ingress routes to their backends.
  const exposeVia = (svc: Resource, entry: Resource, evidence: Evidence[], cut: Cut, how: string) => {
    for (const b of serviceBackends(index, svc) ?? []) {
      const pod = podOf.get(b);
      if (!nodes.has(workloadId(b)) || (pod && !admitted(pod))) continue;
      edges.push({ from: INTERNET, to: workloadId(b), kind: 'exposure', weight: 1, description: `${how} reaches ${describe(b)}`, evidence: [...evidence, labelsEvidence(b)], cut, source: entry });
    }
  };
  const services = index.ofKind('Service');
  for (const svc of services) {
    if (!isExternallyExposed(svc)) continue;
    const t = serviceType(svc);
    const path = t === 'LoadBalancer' || t === 'NodePort' ? '/spec/type' : '/spec/externalIPs';
    const rule = t === 'NodePort' ? 'exposure/node-port' : t === 'LoadBalancer' ? 'exposure/lb-source-ranges' : 'exposure/external-ips';
    const action = t === 'LoadBalancer' ? 'make the LoadBalancer internal or restrict loadBalancerSourceRanges' : t === 'NodePort' ? 'use type ClusterIP behind an Ingress, or drop the NodePort' : 'remove spec.externalIPs';
    exposeVia(svc, svc, [evidenceOf(svc, path)], cutAt(svc, path, rule, `${action} on ${describe(svc)}`), `${t === 'ClusterIP' ? 'externalIPs of' : t} ${describe(svc)}`);
  }
  for (const ing of index.ofKind('Ingress')) {
    for (const b of ingressBackends(ing)) {
      const svc = index.find('Service', b.service, ing.namespace ?? '');
      if (!svc) continue;
      exposeVia(svc, ing, [evidenceOf(ing, b.path), evidenceOf(svc, '/spec/selector')], cutAt(ing, b.path, 'paths/internet-to-cluster-admin', `remove or protect the route to Service ${b.service} in ${describe(ing)}`), `Ingress ${describe(ing)}`);
    }
  }
  // Gateway API routes: attached to a Gateway (taken as reachable from outside: its address is not in
  // the manifests, fail closed), to their backend Services; another namespace needs a ReferenceGrant.
  const grants = index.ofKind('ReferenceGrant');
  for (const route of index.ofKind(...ROUTE_KINDS)) {
    if (!isGatewayRoute(route)) continue;
    const gateways = routeGateways(route);
    if (gateways.length === 0) continue;
    const gw = index.find('Gateway', gateways[0]!.name, gateways[0]!.namespace);
    for (const b of routeBackends(route)) {
      if (!referenceGranted(grants, route, b)) continue;
      const svc = index.find('Service', b.service, b.namespace);
      if (!svc) continue;
      const via = gw ? [evidenceOf(gw, '/spec/listeners')] : [evidenceOf(route, gateways[0]!.path)];
      exposeVia(svc, route, [evidenceOf(route, b.path), ...via, evidenceOf(svc, '/spec/selector')], cutAt(route, b.path, 'paths/internet-to-cluster-admin', `remove or protect the route to Service ${b.service} in ${describe(route)}`), `${describe(route)} on Gateway ${gateways[0]!.namespace}/${gateways[0]!.name}`);
    }
  }

  // The node's own network: a hostNetwork pod listens on the node's addresses, outside NetworkPolicy,
  // and a hostPort binds a container port there. Weight 2: node addresses are less often public than
  // a LoadBalancer, but nothing in the manifests says they are not (fail closed).
  for (const w of workloads) {
    const pod = podSpecOf(w)!;
    if (pod.spec.hostNetwork === true) {
      const path = `${pod.path}/hostNetwork`;
      edges.push({ from: INTERNET, to: workloadId(w), kind: 'exposure', weight: 2, description: `${describe(w)} uses hostNetwork: it listens on the node's addresses, outside NetworkPolicy`, evidence: [evidenceOf(w, path)], cut: cutAt(w, path, 'exposure/host-network', `drop hostNetwork from ${describe(w)}`), source: w });
      continue;
    }
    asArray(pod.spec.containers as never).forEach((c, i) =>
      asArray(asObject(c)?.ports).forEach((p, j) => {
        const hostPort = asObject(p)?.hostPort;
        if (typeof hostPort !== 'number' || hostPort === 0) return;
        const path = `${pod.path}/containers/${i}/ports/${j}/hostPort`;
        edges.push({ from: INTERNET, to: workloadId(w), kind: 'exposure', weight: 2, description: `${describe(w)} binds hostPort ${hostPort} on its node`, evidence: [evidenceOf(w, path)], cut: cutAt(w, path, 'pss/hostPorts', `drop hostPort ${hostPort} from ${describe(w)}`), source: w });
      }),
    );
  }

  // Images with a critical CVE (from `--vulns` reports): whoever can feed such a workload data may run
  // code in it (the reports carry no exploit-known flag, so critical severity stands for it). Weight 3:
  // an exploit is less certain than an open Service. Cut: the image, bumped to a fixed version.
  const reports = importedReports(settings);
  if (reports.length)
    for (const w of workloads)
      for (const c of allContainers(w)) {
        const raw = asString(c.container.image);
        if (raw === undefined) continue;
        const critical = summariseVulns(reportsForImage(raw, reports).flatMap((m) => m.report.vulns)).cves.filter((v) => v.severity === 'critical');
        if (!critical.length) continue;
        const path = `${c.path}/image`;
        const named = critical.slice(0, 3).map((v) => v.id).join(', ') + (critical.length > 3 ? ` and ${critical.length - 3} more` : '');
        edges.push({ from: INTERNET, to: workloadId(w), kind: 'exposure', weight: 3, description: `${describe(w)} runs ${raw} with critical ${named}`, evidence: [evidenceOf(w, path)], cut: cutAt(w, path, 'image/known-vulnerability', `update ${raw} in ${describe(w)} to a version that fixes ${named}`), source: w });
      }

  // Breakout to a node, and from a node to every workload that may run there. With Node objects in the
  // input (a live cluster), the nodes are those: labels against placement, taints against tolerations,
  // a bound Pod's nodeName. Otherwise a node stands for "a node matching this placement".
  const placements = new Map(workloads.map((w) => [w, placementOf(w)]));
  const clusterNodes = nodeClasses(index.ofKind('Node'), [...placements.values()]);
  /** Node id → whether a workload may run there. */
  const nodeFits = new Map<string, (w: Resource) => boolean>();
  for (const w of workloads) {
    const sel = placements.get(w)!;
    const breakouts = breakoutsOf(w, podSpecOf(w)!.spec, options.podSecurityNotEvaluated === false ? undefined : notEvaluated);
    if (!breakouts.length) continue;
    const landing = clusterNodes.length
      ? clusterNodes.filter((c) => fitsNode(w, sel, c)).map((c) => {
          const more = c.names.length > 1 ? ` and ${c.names.length - 1} more like it` : '';
          const id = node(`node:${c.names[0]}${more ? `+${c.names.length - 1}` : ''}`, 'node', `node ${c.names[0]}${more}`);
          nodeFits.set(id, (x) => fitsNode(x, placements.get(x)!, c));
          return id;
        })
      : [node(nodeId(sel), 'node', Object.keys(sel).length ? `a node with ${nodeId(sel).slice(5)}` : 'a node')];
    if (!clusterNodes.length) nodeFits.set(landing[0]!, (x) => compatible(sel, placements.get(x)!));
    for (const b of breakouts)
      for (const to of landing)
        edges.push({ from: workloadId(w), to, kind: 'breakout', weight: 1, description: `${describe(w)}: ${b.why}`, evidence: [evidenceOf(w, b.path)], cut: cutAt(w, b.path, b.rule, `remove ${b.path.slice(b.path.lastIndexOf('/', b.path.length - 2) + 1)} from ${describe(w)}`) });
  }


  // Identities: mounted tokens, then the RBAC escalation engine's shortest paths to the goals.
  const { index: rbacIndex } = scanPolicy(index, settings);
  const rbac = scanEscalationGraph(index, settings);
  const saNodes = new Set<string>();
  for (const w of workloads) {
    const pod = podSpecOf(w)!;
    const t = tokenMountOf(pod, index);
    if (!t.mounted) continue;
    const ns = w.namespace ?? 'default';
    const id = node(saId(ns, t.serviceAccount.name), 'serviceaccount', `ServiceAccount ${ns}/${t.serviceAccount.name}`);
    saNodes.add(`${ns}\u0000${t.serviceAccount.name}`);
    const path = t.decidedBy === 'pod' ? `${pod.path}/automountServiceAccountToken` : t.serviceAccount.path ?? pod.path;
    edges.push({
      from: workloadId(w),
      to: id,
      kind: 'token',
      weight: 1,
      description: `${describe(w)} carries the token of ServiceAccount ${ns}/${t.serviceAccount.name}`,
      evidence: [evidenceOf(w, path)],
      cut: cutAt(w, `${pod.path}/automountServiceAccountToken`, 'workload/automount-sa-token', `set automountServiceAccountToken: false on ${describe(w)}`),
    });
  }
  const bindingKey = (kind: string, ns: string | undefined, name: string) => `${kind}\u0000${ns ?? ''}\u0000${name}`;
  const bindings = new Map<string, (typeof rbacIndex.bindings)[number]>();
  for (const b of rbacIndex.bindings) if (!bindings.has(bindingKey(b.kind, b.namespace, b.name))) bindings.set(bindingKey(b.kind, b.namespace, b.name), b);
  // One backward search per goal for all the accounts (EscalationGraph.paths), not one search per account and goal.
  const subjects = [...saNodes].sort().map((key) => {
    const [namespace, name] = key.split('\u0000') as [string, string];
    return { kind: 'ServiceAccount' as const, namespace, name };
  });
  /** The evidence and cut of an escalation path: the binding that grants its first step, at the subject entry. */
  const grantOf = (p: EscalationPath) => {
    const first = p.steps[0]!.via[0];
    const b = first && bindings.get(bindingKey(first.bindingKind, first.namespace, first.binding));
    const subj = b?.subjects.find((s) => appliesTo(userOf(p.subject), s, b.namespace ?? ''));
    const subjPath = subj ? `/subjects/${subj.index}` : '/subjects';
    const evidence = b?.resource ? [evidenceOf(b.resource, subjPath)] : [];
    const cut = b?.resource ? cutAt(b.resource, subjPath, p.steps.length > 1 ? 'rbac/escalation-path' : p.goal === 'cluster-admin' ? 'rbac/cluster-admin-binding' : 'rbac/escalation-path', `remove ${describeNode(p.subject)} from ${b.kind} ${b.name}`) : undefined;
    return { evidence, ...(cut ? { cut } : {}), chain: p.steps.map((s) => s.action).join('; ') };
  };
  for (const p of subjects.length ? rbac.paths(['cluster-admin', 'secrets', 'nodes'], subjects) : []) {
    if (p.steps.length === 0 || p.subject.kind !== 'ServiceAccount') continue;
    const { namespace: ns, name } = p.subject as { namespace: string; name: string };
    const { chain, ...grant } = grantOf(p);
    const target = GOAL_TARGET[p.goal];
    const to = target ? targetId(target) : node(nodeId({}), 'node', 'a node');
    if (!target) nodeFits.set(to, () => true);
    const from = saId(ns, name);
    edges.push({ from: nodes.get(from)?.id ?? from, to, kind: target ? 'rbac' : 'node-takeover', weight: p.steps.length, description: `${describeNode(p.subject)} → ${target ?? 'root on any node'}: ${chain}`, ...grant });
  }
  // Root on a node holds the kubelet's credentials (user system:node:NAME, group system:nodes). The Node
  // authorizer and NodeRestriction limit the kubelet to the objects of its own pods, which the schedule
  // steps below already follow; what RBAC grants the group on top (no bootstrap binding does) is followed here.
  if (nodeFits.size) {
    for (const p of rbac.paths(['cluster-admin', 'secrets'], [{ kind: 'Group', name: 'system:nodes' }])) {
      const target = GOAL_TARGET[p.goal];
      if (!target || p.steps.length === 0) continue;
      const { chain, ...grant } = grantOf(p);
      for (const nid of nodeFits.keys()) edges.push({ from: nid, to: targetId(target), kind: 'rbac', weight: p.steps.length, description: `the kubelet's credentials (group system:nodes) → ${target}: ${chain}`, ...grant });
    }
  }

  // Root on a node reaches the pods that may run there: DaemonSets run everywhere (likelier, weight 1), others by nodeSelector (weight 2).
  // A workload's step from every node it may run on reads the same: made once per workload (shared, read-only).
  const scheduled = new Map<Resource, Omit<Edge, 'from'>>();
  for (const [nid, fits] of nodeFits) {
    for (const w of workloads) {
      if (!fits(w)) continue;
      let step = scheduled.get(w);
      if (!step) {
        const ds = w.kind === 'DaemonSet';
        step = { to: workloadId(w), kind: 'schedule', weight: ds ? 1 : 2, description: ds ? `DaemonSet ${describe(w)} runs on every node` : `${describe(w)} may run on that node`, evidence: [evidenceOf(w, podSpecOf(w)!.path)] };
        scheduled.set(w, step);
      }
      edges.push({ from: nid, to: step.to, kind: step.kind, weight: step.weight, description: step.description, evidence: step.evidence });
    }
  }
  if (options.lateral !== false) addLateral(engine, workloads, nodes, edges);
  return { nodes, edges, notEvaluated };
}

/** Nodes that stand for a NetworkPolicy class on a lateral hop (a → out(class) → in(class) → b); paths show the hop as one step. */
export const isHopNode = (id: string) => id.startsWith('netclass:');

/**
 * Lateral movement: pod-to-pod traffic the NetworkPolicies allow (some port). Pods that every policy
 * treats alike form one class (the netpol matrix), so traffic is decided per class pair, not per pod
 * pair. A hop a → b is three edges a → out(ca) → in(cb) → b (weights 0, 0, 1); the last carries the
 * cut, a policy that selects b. Only what can lie on a path is added: sources reached from the
 * internet and destinations that reach a target, both found exactly first over the implicit graph
 * (explicit edges plus the class matrix), so any chain of hops through pods that are neither exposed
 * nor powerful is kept.
 */
function addLateral(engine: NetpolEngine, workloads: readonly Resource[], nodes: Map<string, GraphNode>, edges: Edge[]): void {
  const ids = new Set(workloads.map(workloadId));
  const firstOf = new Map<string, Resource>();
  for (const w of workloads) if (!firstOf.has(workloadId(w))) firstOf.set(workloadId(w), w);
  const classes = new Map<string, number[]>();
  const members: string[][] = [];
  // The explicit edges do not change until the hops are added at the end: one table per direction.
  const forward = adjacencyOf(edges);
  const backward = adjacencyOf(edges, true);
  // Nothing to do (and no matrix to compute) unless an exposed workload and a powerful one exist.
  const reachedPlain = walk([INTERNET], forward);
  const usefulPlain = walk(TARGETS.map(targetId), backward);
  if (![...reachedPlain].some((n) => ids.has(n)) || ![...usefulPlain].some((n) => ids.has(n))) return;

  const matrix = computeMatrix(engine);
  const k = matrix.classes.length;
  const cells = matrix.cells;
  matrix.classes.forEach((c, ci) => {
    const list = new Set<string>();
    for (const pi of c.pods) {
      const r = engine.pods[pi]!.resource;
      const id = r && workloadId(r);
      if (!id || !ids.has(id)) continue;
      const cs = classes.get(id) ?? (classes.set(id, []), classes.get(id)!);
      if (!cs.includes(ci)) cs.push(ci);
      list.add(id);
    }
    members.push([...list]);
  });
  // Forward: a reached workload's classes reach every class their matrix row allows, and its members
  // (each class's members are handed to the walk once: N classes reaching it need not repeat them).
  const srcDone = new Uint8Array(k);
  const dstGiven = new Uint8Array(k);
  const reached = walk([INTERNET], forward, (n) => {
    const out: string[] = [];
    for (const c of classes.get(n) ?? []) {
      if (srcDone[c]) continue;
      srcDone[c] = 1;
      for (let d = 0; d < k; d++) if (cells[c * k + d] && !dstGiven[d]) (dstGiven[d] = 1), out.push(...members[d]!);
    }
    return out;
  });
  // Backward, among reached workloads: whoever can connect to a workload that reaches a target.
  const dstDone = new Uint8Array(k);
  const srcGiven = new Uint8Array(k);
  const useful = walk(TARGETS.map(targetId), backward, (n) => {
    const out: string[] = [];
    for (const d of classes.get(n) ?? []) {
      if (dstDone[d]) continue;
      dstDone[d] = 1;
      for (let c = 0; c < k; c++) if (cells[c * k + d] && !srcGiven[c]) {
        srcGiven[c] = 1;
        for (const w of members[c]!) if (reached.has(w)) out.push(w);
      }
    }
    return out;
  });
  const onPath = [...ids].filter((id) => reached.has(id) && useful.has(id)).sort();
  const classesOnPath = new Map<number, string[]>();
  for (const id of onPath) for (const c of classes.get(id) ?? []) (classesOnPath.get(c) ?? (classesOnPath.set(c, []), classesOnPath.get(c)!)).push(id);
  const cls = [...classesOnPath.keys()].sort((a, b) => a - b);
  const outUsed = new Set<number>();
  const inUsed = new Set<number>();
  const node = (id: string, label: string) => {
    const n = nodes.get(id);
    if (n) return n.id;
    nodes.set(id, { id, kind: 'netclass', label });
    return id;
  };
  const policiesOf = (ca: number, cb: number) => [...new Set([...matrix.classes[ca]!.egressPolicies, ...matrix.classes[cb]!.ingressPolicies])];
  for (const ca of cls)
    for (const cb of cls) {
      const cell = cells[ca * k + cb]!;
      // A class alone with one workload would only hop to itself.
      if (!cell || (ca === cb && classesOnPath.get(ca)!.length < 2)) continue;
      const via = policiesOf(ca, cb);
      edges.push({
        from: node(`netclass:out:${ca}`, `pods of NetworkPolicy class ${ca}`),
        to: node(`netclass:in:${cb}`, `pods of NetworkPolicy class ${cb}`),
        kind: 'lateral',
        weight: 0,
        description: `on ${formatPorts(matrix.table.get(cell))}${via.length ? `, allowed by ${via.join(', ')}` : ', no NetworkPolicy isolates either end'}`,
        evidence: [],
      });
      outUsed.add(ca);
      inUsed.add(cb);
    }
  for (const id of onPath) {
    const b = firstOf.get(id)!;
    for (const c of classes.get(id) ?? []) {
      if (outUsed.has(c)) edges.push({ from: id, to: nodes.get(`netclass:out:${c}`)!.id, kind: 'lateral', weight: 0, description: `${describe(b)} sends traffic`, evidence: [] });
      if (inUsed.has(c))
        edges.push({
          from: nodes.get(`netclass:in:${c}`)!.id,
          to: id,
          kind: 'lateral',
          weight: 1,
          description: `connects to ${describe(b)}`,
          evidence: [evidenceOf(b, '/metadata')],
          cut: cutAt(b, '/metadata', 'netpol/workload-not-selected', `add a NetworkPolicy that selects ${describe(b)} and admits only its clients`),
        });
    }
  }
}

/** Successors of each node over `edges` (backwards: predecessors). */
export function adjacencyOf(edges: readonly Edge[], backwards = false): Map<string, string[]> {
  const m = new Map<string, string[]>();
  // No destructured pair per edge: this runs twice per graph and stays interpreted, where each pair was an array and an iterator.
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    const a = backwards ? e.to : e.from;
    const b = backwards ? e.from : e.to;
    const l = m.get(a);
    if (l) l.push(b);
    else m.set(a, [b]);
  }
  return m;
}

const NO_MORE = (): string[] => [];

/** Nodes reachable from `starts` over `adj` plus the implicit neighbours `more(n)` gives. */
export function walk(starts: string[], adj: Map<string, string[]>, more: (n: string) => string[] = NO_MORE): Set<string> {
  const seen = new Set(starts);
  const stack = [...starts];
  while (stack.length) {
    const n = stack.pop()!;
    const next = adj.get(n);
    if (next)
      for (const t of next)
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
    for (const t of more(n))
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
  }
  return seen;
}
