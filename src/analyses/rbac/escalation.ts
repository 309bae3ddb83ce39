// The escalation graph: identities (service accounts, users, groups) and goals (cluster-admin,
// all secrets, node root), joined by the steps of escalation-paths (facts numbered as in the
// Rampart docs, docs/rbac.md). Edges are computed lazily with the authorizer-equivalent index.
import type { BindingDef } from './policy.js';
import { MASTERS, groupMemberInfo, serviceAccountUser, userInfo, type Request, type UserInfo } from './match.js';
import { normaliseSubject, type BoundRole, type Grant, type RbacIndex } from './authorizer.js';
import { ruleAllows } from './match.js';
import { POD_CREATORS } from './resources.js';
import type { ClusterFacts } from './facts.js';
import { OPERATORS, OPERATOR_WRITE_VERBS, operatorAccounts, type Operator } from './operators.js';

export type Goal = 'cluster-admin' | 'secrets' | 'nodes';
export const GOALS: Goal[] = ['cluster-admin', 'secrets', 'nodes'];

export interface Identity {
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  namespace?: string;
}

/** A capability in a namespace ('*' = every namespace) that reaches several service accounts at once. */
export interface CapNode {
  kind: 'Cap';
  fact: number;
  namespace: string;
}

export type GraphNode = Identity | { kind: 'Goal'; name: Goal } | CapNode;

export interface GrantRef {
  binding: string;
  bindingKind: BindingDef['kind'];
  role: string;
  roleKind: string;
  /** Index of the rule in the role (in `ruleFrom` when the rule was aggregated). */
  rule: number;
  ruleFrom?: string;
  /** Namespace the grant holds in; absent = cluster-wide. */
  namespace?: string;
}

export interface Step {
  from: GraphNode;
  to: GraphNode;
  /** Number of the escalation fact (docs/rbac.md); 0 = implied by the goal itself. */
  fact: number;
  action: string;
  via: GrantRef[];
  weight: number;
}

export interface EscalationPath {
  subject: Identity;
  goal: Goal;
  steps: Step[];
  cost: number;
}

export function nodeKey(n: GraphNode): string {
  if (n.kind === 'Cap') return `Cap:${n.fact}:${n.namespace}`;
  return n.kind === 'ServiceAccount' ? `ServiceAccount:${n.namespace}:${n.name}` : `${n.kind}:${n.name}`;
}

export function describeNode(n: GraphNode): string {
  if (n.kind === 'Cap') return `(fact ${n.fact} in ${n.namespace === '*' ? 'every namespace' : 'namespace ' + n.namespace})`;
  if (n.kind === 'Goal') return n.name === 'cluster-admin' ? 'cluster-admin' : n.name === 'secrets' ? 'all secrets' : 'node root';
  return n.kind === 'ServiceAccount' ? `ServiceAccount ${n.namespace}/${n.name}` : `${n.kind} ${n.name}`;
}

export function userOf(id: Identity): UserInfo {
  if (id.kind === 'ServiceAccount') return serviceAccountUser(id.namespace ?? '', id.name);
  if (id.kind === 'User') return userInfo(id.name);
  return groupMemberInfo(id.name);
}

function grantRef(g: Grant): GrantRef {
  const ref: GrantRef = { binding: g.binding.name, bindingKind: g.binding.kind, role: g.role.name, roleKind: g.role.kind, rule: g.rule.index };
  if (g.rule.from) ref.ruleFrom = g.rule.from;
  if (g.namespace) ref.namespace = g.namespace;
  return ref;
}

function uniqueGrants(grants: (Grant | undefined)[]): GrantRef[] {
  const seen = new Set<string>();
  const out: GrantRef[] = [];
  for (const g of grants) {
    if (!g) continue;
    const ref = grantRef(g);
    const k = JSON.stringify(ref);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(ref);
    }
  }
  return out;
}

const goal = (name: Goal): GraphNode => ({ kind: 'Goal', name });
const RBAC = 'rbac.authorization.k8s.io';

export class EscalationGraph {
  private edges = new Map<string, Step[]>();
  private namespaces: string[];
  private users: string[];
  private groups: string[];
  /** Operators (fact 22) whose service accounts are in the input. */
  private operators: [Operator, { namespace: string; name: string }[]][];

  constructor(
    readonly index: RbacIndex,
    readonly facts: ClusterFacts,
  ) {
    const ns = new Set<string>([...facts.namespaces, ...index.namespaces()]);
    this.namespaces = [...ns].sort();
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const b of index.bindings)
      for (const s of b.subjects) {
        if (s.kind === 'User') users.add(s.name);
        if (s.kind === 'Group' && s.name !== MASTERS) groups.add(s.name);
      }
    this.users = [...users].sort();
    this.groups = [...groups].sort();
    this.operators = OPERATORS.map((op): [Operator, { namespace: string; name: string }[]] => [op, operatorAccounts(op, facts)]).filter(([, a]) => a.length > 0);
  }

  /** Subjects worth starting from: those named by non-default bindings, and service accounts that run workloads. */
  startingSubjects(): Identity[] {
    const out = new Map<string, Identity>();
    for (const b of this.index.bindings) {
      if (b.bootstrap) continue;
      for (const s of b.subjects) {
        const n = normaliseSubject(s, b);
        if (!n) continue;
        const id: Identity = n.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', name: n.name, namespace: n.namespace! } : { kind: n.kind as 'User' | 'Group', name: n.name };
        out.set(nodeKey(id), id);
      }
    }
    for (const [ns, m] of this.facts.runningAs) for (const sa of m.keys()) out.set(nodeKey({ kind: 'ServiceAccount', name: sa, namespace: ns }), { kind: 'ServiceAccount', name: sa, namespace: ns });
    return [...out.values()].sort((a, b) => nodeKey(a).localeCompare(nodeKey(b)));
  }

  edgesFrom(n: GraphNode): Step[] {
    const key = nodeKey(n);
    let e = this.edges.get(key);
    if (!e) {
      e = n.kind === 'Goal' ? this.goalEdges(n.name) : n.kind === 'Cap' ? this.capEdges(n) : this.identityEdges(n);
      this.edges.set(key, e);
    }
    return e;
  }

  private goalEdges(g: Goal): Step[] {
    if (g === 'cluster-admin') {
      return [
        { from: goal(g), to: goal('secrets'), fact: 0, action: 'cluster-admin reads every Secret', via: [], weight: 1 },
        { from: goal(g), to: goal('nodes'), fact: 0, action: 'cluster-admin runs a privileged pod on any node', via: [], weight: 1 },
      ];
    }
    if (g === 'nodes') {
      return [{ from: goal(g), to: goal('cluster-admin'), fact: 7, action: 'root on a control-plane node reads etcd and the cluster CA keys', via: [], weight: 2 }];
    }
    return [];
  }

  /** Edges out of a capability node: to every service account it lets the holder act as. */
  private capEdges(c: CapNode): Step[] {
    const from: GraphNode = c;
    if (c.namespace === '*') {
      return this.namespaces.map((ns) => ({ from, to: { kind: 'Cap', fact: c.fact, namespace: ns } as GraphNode, fact: c.fact, action: '', via: [], weight: 0 }));
    }
    const ns = c.namespace;
    const out: Step[] = [];
    const to = (sa: string): GraphNode => ({ kind: 'ServiceAccount', name: sa, namespace: ns });
    if (c.fact === 11 || c.fact === 12) {
      for (const [sa, workloads] of this.facts.runningAs.get(ns) ?? []) out.push({ from, to: to(sa), fact: c.fact, action: `${workloads[0]} in namespace ${ns} (runs as ${ns}/${sa})`, via: [], weight: 0 });
    } else if (c.fact === 8) {
      for (const [sa, secrets] of this.facts.tokenSecrets.get(ns) ?? []) out.push({ from, to: to(sa), fact: 8, action: `token Secret ${secrets[0]} of service account ${ns}/${sa}`, via: [], weight: 0 });
    } else {
      for (const sa of [...(this.facts.serviceAccounts.get(ns) ?? new Set(['default']))].sort()) out.push({ from, to: to(sa), fact: c.fact, action: `service account ${ns}/${sa}`, via: [], weight: 0 });
    }
    return out;
  }

  private identityEdges(id: Identity): Step[] {
    const user = userOf(id);
    const from: GraphNode = id;
    const steps: Step[] = [];
    const add = (to: GraphNode, fact: number, action: string, grants: (Grant | undefined)[], weight = 1) => {
      if (to.kind === 'ServiceAccount' && id.kind === 'ServiceAccount' && to.namespace === id.namespace && to.name === id.name) return;
      steps.push({ from, to, fact, action, via: uniqueGrants(grants), weight });
    };
    const { cluster, byNamespace } = this.index.rolesFor(user);
    // Rule matching ignores the namespace, so cluster-wide answers are computed once and reused everywhere.
    const memo = new Map<string, Grant | null>();
    const canIn = (roles: BoundRole[], verbs: string[], apiGroup: string, resource: string, subresource = '', name = ''): Grant | undefined => {
      for (const verb of verbs) {
        const req: Request = { kind: 'resource', verb, namespace: 'ns', apiGroup, resource, subresource, name };
        for (const { binding, role } of roles) {
          const rule = role.rules.find((r) => ruleAllows(r, req));
          if (rule) return { binding, role, rule, namespace: binding.kind === 'RoleBinding' ? (binding.namespace ?? '') : '' };
        }
      }
      return undefined;
    };
    const clusterCan = (verbs: string[], apiGroup: string, resource: string, subresource = '', name = ''): Grant | undefined => {
      const key = `${verbs.join(',')}|${apiGroup}|${resource}|${subresource}|${name}`;
      let g = memo.get(key);
      if (g === undefined) memo.set(key, (g = canIn(cluster, verbs, apiGroup, resource, subresource, name) ?? null));
      return g ?? undefined;
    };
    /** Names a role grants the verb for through resourceNames (the grant covers only them). */
    const namedIn = (roles: BoundRole[], verb: string, apiGroup: string, resource: string, subresource = ''): string[] => {
      const names = new Set<string>();
      for (const { role } of roles) for (const r of role.rules) if (r.resourceNames.length) for (const n of r.resourceNames) names.add(n);
      return [...names].filter((n) => canIn(roles, [verb], apiGroup, resource, subresource, n));
    };

    // Goals reached directly.
    if (user.groups.includes(MASTERS)) add(goal('cluster-admin'), 0, `member of ${MASTERS}, which bypasses authorization`, []);
    for (const { binding, role } of cluster) {
      const rule = role.rules.find((r) => r.verbs.includes('*') && r.apiGroups.includes('*') && r.resources.includes('*') && r.resourceNames.length === 0);
      if (rule) {
        add(goal('cluster-admin'), 0, `holds * on * in all API groups cluster-wide`, [{ binding, role, rule, namespace: '' }]);
        break;
      }
    }
    const esc = clusterCan(['escalate'], RBAC, 'clusterroles');
    const upd = clusterCan(['update', 'patch'], RBAC, 'clusterroles');
    if (esc && upd) add(goal('cluster-admin'), 1, 'escalate + update ClusterRoles: add any permission to a role it is bound to', [esc, upd]);
    const bind = clusterCan(['bind'], RBAC, 'clusterroles', '', 'cluster-admin');
    const crb = clusterCan(['create'], RBAC, 'clusterrolebindings');
    if (bind && crb) add(goal('cluster-admin'), 2, 'bind ClusterRole cluster-admin + create ClusterRoleBindings: bind itself to cluster-admin', [bind, crb]);
    const impMasters = clusterCan(['impersonate'], '', 'groups', '', MASTERS);
    if (impMasters) add(goal('cluster-admin'), 4, `impersonate group ${MASTERS}`, [impMasters]);
    const impAnyUser = clusterCan(['impersonate'], '', 'users');
    for (const u of impAnyUser ? this.users : namedIn(cluster, 'impersonate', '', 'users')) {
      if (id.kind === 'User' && id.name === u) continue;
      const g = impAnyUser ?? clusterCan(['impersonate'], '', 'users', '', u);
      if (g) add({ kind: 'User', name: u }, 4, `impersonate user ${u}`, [g]);
    }
    const impAnyGroup = clusterCan(['impersonate'], '', 'groups');
    for (const g of impAnyGroup ? this.groups : namedIn(cluster, 'impersonate', '', 'groups')) {
      if (g === MASTERS || user.groups.includes(g)) continue;
      const grant = impAnyGroup ?? clusterCan(['impersonate'], '', 'groups', '', g);
      if (grant) add({ kind: 'Group', name: g }, 4, `impersonate group ${g}`, [grant]);
    }
    const proxy = clusterCan(['get', 'create'], '', 'nodes', 'proxy');
    if (proxy) add(goal('nodes'), 13, 'nodes/proxy: the kubelet API of every node (exec in any pod, no audit, no admission)', [proxy]);
    const csr = clusterCan(['create'], 'certificates.k8s.io', 'certificatesigningrequests');
    const approval = clusterCan(['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval');
    const signer = clusterCan(['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/kube-apiserver-client') ?? clusterCan(['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/*');
    if (csr && approval && signer) add(goal('cluster-admin'), 14, `create and approve a client certificate signing request for group ${MASTERS}`, [csr, approval, signer]);
    const mutating = clusterCan(['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations');
    if (mutating) add(goal('nodes'), 15, 'write a mutating webhook configuration: inject privileged containers into admitted pods', [mutating], 2);
    const validating = mutating ?? clusterCan(['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'validatingwebhookconfigurations');
    if (validating) add(goal('secrets'), 15, 'write an admission webhook configuration: receive every admitted object, Secrets included', [validating], 2);
    const map = clusterCan(['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingadmissionpolicies');
    if (map) add(goal('nodes'), 23, 'write a mutating admission policy: make admitted pods privileged', [map], 2);
    const pv = clusterCan(['create'], '', 'persistentvolumes');
    if (pv) add(goal('nodes'), 16, 'create a hostPath PersistentVolume: the node filesystem, unseen by Pod Security Admission', [pv], 2);
    const allSecrets = clusterCan(['list', 'watch', 'get'], '', 'secrets');
    if (allSecrets) add(goal('secrets'), 8, 'read Secrets in every namespace', [allSecrets]);

    // Namespaced powers: from ClusterRoleBindings they hold in every namespace ('*'), from RoleBindings in theirs.
    const scopes: [string, BoundRole[]][] = [['*', cluster], ...[...byNamespace.entries()].sort((a, b) => a[0].localeCompare(b[0]))];
    const clusterPodCreate = this.podCreate(cluster, canIn);
    for (const [ns, roles] of scopes) {
      if (roles.length === 0) continue;
      const where = ns === '*' ? 'every namespace' : `namespace ${ns}`;
      const cap = (fact: number): GraphNode => ({ kind: 'Cap', fact, namespace: ns });
      const pc = ns === '*' ? clusterPodCreate : this.podCreate(roles, canIn);
      if (pc) add(cap(5), 5, `${pc.verb} ${pc.what} in ${where} to run a pod as`, [pc.grant]);
      else {
        const nsBind = canIn(roles, ['bind'], RBAC, 'clusterroles', '', 'cluster-admin') ?? canIn(roles, ['bind'], RBAC, 'clusterroles', '', 'admin');
        const rb = nsBind && canIn(roles, ['create'], RBAC, 'rolebindings');
        if (nsBind && rb) add(cap(2), 2, `bind an admin ClusterRole in ${where} to itself, then run a pod as`, [nsBind, rb], 2);
      }
      const secretsRead = canIn(roles, ['list', 'watch', 'get'], '', 'secrets');
      if (secretsRead) add(cap(8), 8, `read Secrets in ${where}:`, [secretsRead]);
      const tok = canIn(roles, ['create'], '', 'serviceaccounts', 'token');
      if (tok) add(cap(9), 9, `request a token (serviceaccounts/token) in ${where} for`, [tok]);
      else this.namedSaEdges(ns, namedIn(roles, 'create', '', 'serviceaccounts', 'token'), (sa) => canIn(roles, ['create'], '', 'serviceaccounts', 'token', sa), 9, 'request a token (serviceaccounts/token) for', add);
      const imp = canIn(roles, ['impersonate'], '', 'serviceaccounts');
      if (imp) add(cap(4), 4, `impersonate, in ${where},`, [imp]);
      else this.namedSaEdges(ns, namedIn(roles, 'impersonate', '', 'serviceaccounts'), (sa) => canIn(roles, ['impersonate'], '', 'serviceaccounts', '', sa), 4, 'impersonate', add);
      const secretsCreate = canIn(roles, ['create'], '', 'secrets');
      if (secretsCreate) add(cap(10), 10, `create a service-account-token Secret in ${where} for`, [secretsCreate], 2);
      // Fact 22: an operator in the input acts on custom resources the subject may write.
      for (const [op, accounts] of this.operators) {
        const res = op.resources.find((r) => canIn(roles, OPERATOR_WRITE_VERBS, op.group, r));
        if (!res) continue;
        const w = canIn(roles, OPERATOR_WRITE_VERBS, op.group, res)!;
        if (op.acts === 'pods') {
          add(cap(22), 22, `write ${res}.${op.group} in ${where}: ${op.name} runs their pods as`, [w]);
          continue;
        }
        for (const sa of accounts) {
          if (op.ownNamespaceOnly && ns !== '*' && ns !== sa.namespace) continue;
          add({ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }, 22, `write ${res}.${op.group} in ${where}: ${op.name} applies them as service account ${sa.namespace}/${sa.name}`, [w]);
        }
      }
      const exec = canIn(roles, ['create', 'get'], '', 'pods', 'exec') ?? canIn(roles, ['create', 'get'], '', 'pods', 'attach');
      if (exec) add(cap(11), 11, `exec (pods/exec) into`, [exec]);
      else {
        const eph = canIn(roles, ['update', 'patch'], '', 'pods', 'ephemeralcontainers');
        if (eph) add(cap(12), 12, `add an ephemeral container to`, [eph]);
      }
    }
    // Node root through privileged pods: any namespace without Pod Security enforcement (fact 6), or one it may relabel (fact 17).
    const podNamespaces = clusterPodCreate ? this.namespaces : [...byNamespace.keys()].sort();
    for (const ns of podNamespaces) {
      const roles = byNamespace.get(ns) ?? [];
      const pc = clusterPodCreate ?? this.podCreate(roles, canIn);
      if (!pc) continue;
      const level = this.facts.psaEnforce.get(ns);
      if (level !== 'baseline' && level !== 'restricted') {
        add(goal('nodes'), 6, `${pc.verb} ${pc.what} in namespace ${ns} to run a privileged pod (no Pod Security enforce level there)`, [pc.grant]);
        break;
      }
      const relabel = clusterCan(['update', 'patch'], '', 'namespaces', '', ns) ?? canIn(roles, ['update', 'patch'], '', 'namespaces', '', ns);
      if (relabel) {
        add(goal('nodes'), 17, `relabel namespace ${ns} to lift Pod Security ${level}, then ${pc.verb} ${pc.what} there to run a privileged pod`, [relabel, pc.grant], 2);
        break;
      }
    }
    return steps;
  }

  private podCreate(roles: BoundRole[], canIn: (roles: BoundRole[], verbs: string[], g: string, r: string) => Grant | undefined): { grant: Grant; what: string; verb: string } | undefined {
    if (roles.length === 0) return undefined;
    for (const pc of POD_CREATORS) {
      const c = canIn(roles, ['create'], pc.group, pc.resource);
      if (c) return { grant: c, what: pc.resource, verb: 'create' };
    }
    for (const pc of POD_CREATORS) {
      if (pc.resource === 'pods') continue;
      const u = canIn(roles, ['update', 'patch'], pc.group, pc.resource);
      if (u) return { grant: u, what: pc.resource, verb: 'rewrite the pod template of' };
    }
    return undefined;
  }

  private namedSaEdges(ns: string, names: string[], grantFor: (sa: string) => Grant | undefined, fact: number, action: string, add: (to: GraphNode, fact: number, action: string, grants: (Grant | undefined)[], weight?: number) => void): void {
    const namespaces = ns === '*' ? this.namespaces : [ns];
    for (const name of names) {
      const g = grantFor(name);
      if (!g) continue;
      for (const n of namespaces) if (this.facts.serviceAccounts.get(n)?.has(name) || ns !== '*') add({ kind: 'ServiceAccount', name, namespace: n }, fact, `${action} service account ${n}/${name}`, [g]);
    }
  }

  /** Cheapest path (Dijkstra with a binary heap; most steps weigh 1, fan-out through capability nodes 0). */
  shortestPath(start: Identity, target: Goal): EscalationPath | undefined {
    const startKey = nodeKey(start);
    const targetKey = nodeKey(goal(target));
    const dist = new Map<string, number>([[startKey, 0]]);
    const prev = new Map<string, Step>();
    const done = new Set<string>();
    const heap = new MinHeap<{ key: string; node: GraphNode }>();
    heap.push(0, { key: startKey, node: start });
    while (heap.size) {
      const [d, cur] = heap.pop()!;
      if (done.has(cur.key)) continue;
      done.add(cur.key);
      if (cur.key === targetKey) break;
      for (const s of this.edgesFrom(cur.node)) {
        const k = nodeKey(s.to);
        const nd = d + s.weight;
        if (done.has(k) || nd >= (dist.get(k) ?? Infinity)) continue;
        dist.set(k, nd);
        prev.set(k, s);
        heap.push(nd, { key: k, node: s.to });
      }
    }
    if (!done.has(targetKey)) return undefined;
    const raw: Step[] = [];
    for (let k = targetKey; k !== startKey; ) {
      const s = prev.get(k)!;
      raw.unshift(s);
      k = nodeKey(s.from);
    }
    return { subject: start, goal: target, steps: collapse(raw), cost: dist.get(targetKey)! };
  }

  /**
   * Shortest paths for the subjects (default: startingSubjects) to the goals; cluster-admin paths first.
   * One backward Dijkstra per goal over the part of the graph the subjects reach, instead of one search per subject.
   */
  paths(goals: Goal[] = ['cluster-admin'], subjects: Identity[] = this.startingSubjects()): EscalationPath[] {
    const nodes = new Map<string, GraphNode>();
    const stack: GraphNode[] = [...subjects, ...goals.map(goal)];
    while (stack.length) {
      const n = stack.pop()!;
      const k = nodeKey(n);
      if (nodes.has(k)) continue;
      nodes.set(k, n);
      for (const e of this.edgesFrom(n)) if (!nodes.has(nodeKey(e.to))) stack.push(e.to);
    }
    const reverse = new Map<string, Step[]>();
    for (const n of nodes.values()) {
      for (const e of this.edgesFrom(n)) {
        const k = nodeKey(e.to);
        const list = reverse.get(k);
        if (list) list.push(e);
        else reverse.set(k, [e]);
      }
    }
    const out: EscalationPath[] = [];
    for (const g of goals) {
      const targetKey = nodeKey(goal(g));
      const dist = new Map<string, number>([[targetKey, 0]]);
      const next = new Map<string, Step>();
      const done = new Set<string>();
      const heap = new MinHeap<string>();
      heap.push(0, targetKey);
      while (heap.size) {
        const [d, k] = heap.pop()!;
        if (done.has(k)) continue;
        done.add(k);
        for (const e of reverse.get(k) ?? []) {
          const fk = nodeKey(e.from);
          const nd = d + e.weight;
          if (done.has(fk) || nd >= (dist.get(fk) ?? Infinity)) continue;
          dist.set(fk, nd);
          next.set(fk, e);
          heap.push(nd, fk);
        }
      }
      for (const subject of subjects) {
        const sk = nodeKey(subject);
        if (!done.has(sk) || sk === targetKey) continue;
        const raw: Step[] = [];
        for (let k = sk; k !== targetKey; ) {
          const e = next.get(k)!;
          raw.push(e);
          k = nodeKey(e.to);
        }
        out.push({ subject, goal: g, steps: collapse(raw), cost: dist.get(sk)! });
      }
    }
    return out.sort((a, b) => GOALS.indexOf(a.goal) - GOALS.indexOf(b.goal) || a.cost - b.cost || nodeKey(a.subject).localeCompare(nodeKey(b.subject)));
  }
}

/** Merges steps through capability nodes into one step: "create pods in namespace x to run a pod as" + "service account x/y". */
function collapse(raw: Step[]): Step[] {
  const out: Step[] = [];
  let pending: Step | undefined;
  for (const s of raw) {
    if (s.from.kind === 'Cap') {
      if (!pending) continue;
      if (s.to.kind === 'Cap') continue; // every namespace -> one namespace
      out.push({ ...pending, to: s.to, action: `${pending.action} ${s.action}` });
      pending = undefined;
      continue;
    }
    if (s.to.kind === 'Cap') {
      pending = s;
      continue;
    }
    out.push(s);
  }
  return out;
}

/** A small binary min-heap keyed by number. */
class MinHeap<T> {
  private keys: number[] = [];
  private vals: T[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: T): void {
    const ks = this.keys;
    const vs = this.vals;
    let i = ks.length;
    ks.push(k);
    vs.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ks[p]! <= k) break;
      ks[i] = ks[p]!;
      vs[i] = vs[p]!;
      i = p;
    }
    ks[i] = k;
    vs[i] = v;
  }
  pop(): [number, T] | undefined {
    const ks = this.keys;
    const vs = this.vals;
    if (ks.length === 0) return undefined;
    const top: [number, T] = [ks[0]!, vs[0]!];
    const lastK = ks.pop()!;
    const lastV = vs.pop()!;
    const n = ks.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && ks[r]! < ks[l]! ? r : l;
        if (ks[c]! >= lastK) break;
        ks[i] = ks[c]!;
        vs[i] = vs[c]!;
        i = c;
      }
      ks[i] = lastK;
      vs[i] = lastV;
    }
    return top;
  }
}
