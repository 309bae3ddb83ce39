// The escalation graph: identities (service accounts, users, groups) and goals (cluster-admin,
// all secrets, node root), joined by the steps of escalation-paths (facts numbered as in the
// Rampart docs, docs/rbac.md). Edges are computed lazily with the authorizer-equivalent index.
import type { BindingDef, PolicyRule, RoleDef } from './policy.js';
import { MASTERS, apiGroupMatches, groupMemberInfo, resourceMatches, ruleAllows, verbMatches, serviceAccountUser, userInfo, type Request, type UserInfo } from './match.js';
import { collator, normaliseSubject, roleKey, type BoundRole, type Grant, type RbacIndex } from './authorizer.js';
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

/**
 * A capability in a namespace ('*' = every namespace) that reaches several service accounts at once, or
 * (with `identities`, namespace '*') impersonating any user or any group: one node whose edges to every
 * user or group are listed once, instead of once per identity that may impersonate them.
 */
export interface CapNode {
  kind: 'Cap';
  fact: number;
  namespace: string;
  identities?: 'User' | 'Group';
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
  /** A weight-0 step from a member to a group it belongs to implicitly; folded away in reported paths. */
  member?: true;
}

/** The roles bound to one subject (or a user with its own name and group), without implied groups. */
class Principal {
  /** Query answers, kept for groups (shared by every member): named queries by key, unnamed ones by scope and number. */
  memo: Map<string, Grant | null> | undefined = undefined;
  answers: Map<string, (Grant | null | undefined)[]> | undefined = undefined;
  /** Pod creation somewhere (null: none), once computed. */
  anywhere: PodCreate | null | undefined = undefined;
  /** A group's node and the text of a member's step to it (made once per group). */
  membership: { node: Identity; action: string } | undefined = undefined;
  // One class, so every principal has one shape (object literals with and without the memo made the checks polymorphic).
  constructor(
    readonly cluster: BoundRole[],
    readonly byNamespace: Map<string, BoundRole[]>,
  ) {}

  /** Whether it holds any binding. */
  get bound(): boolean {
    return this.cluster.length > 0 || this.byNamespace.size > 0;
  }

  /** Whether the binding is one of its own (a look through the few of the binding's scope; no set per principal). */
  holds(b: BindingDef): boolean {
    const list = b.kind === 'ClusterRoleBinding' ? this.cluster : this.byNamespace.get(b.namespace ?? '');
    if (list) for (const br of list) if (br.binding === b) return true;
    return false;
  }
}

/** Per role: answers by query id, named-query answers, the names its rules list, and derived flags (undefined: not known yet). */
class RoleInfo {
  answers: (PolicyRule | null | undefined)[] = [];
  memo: Map<string, PolicyRule | null> | undefined = undefined;
  podMask: { create: number; rewrite: number } | undefined = undefined;
  runsPods: boolean | undefined = undefined;
  inert: boolean | undefined = undefined;
  /** The operator set (EscalationGraph.opsKey) `inert` was worked out for; EVERY_OPS: true for any set. */
  inertFor: string | undefined = undefined;
  clusterInert: boolean | undefined = undefined;
  relabels: boolean | undefined = undefined;
  /** Lists resourceNames or allows one of the requests ownsRbacWrite makes. */
  rbacWrites: boolean | undefined = undefined;
  /** Gives an identity bound to it no edge of its own (see quietRole). */
  quiet: boolean | undefined = undefined;
  /** As inertFor, for `quiet`. */
  quietFor: string | undefined = undefined;
  constructor(
    /** The `resource[/sub]` values its rules name; null when a rule names `*` or `*∕sub` (then every query is matched). */
    readonly resources: Set<string> | null,
    /** The names its rules list in resourceNames (most list none). */
    readonly names: string[],
  ) {}
}

const NO_PODS = Object.freeze({ create: 0, rewrite: 0 });

/** One scope's steps from an identity's own roles there, without their start: the same for every identity holding just these roles there. */
interface ScopeTemplate {
  steps: { to: GraphNode; fact: number; action: string; via: GrantRef[]; weight: number }[];
  /** After how many of the steps the RBAC-write pairing (which also rests on the identity's groups) runs; -1: it does not. */
  rbacAt: number;
  /** Pod creation with these roles in this scope (podCreate's answer), for the node-root checks. */
  pods: PodCreate | undefined;
}

interface PodCreate {
  grants: Grant[];
  what: string;
  verb: string;
}

type AddStep = (to: GraphNode, fact: number, action: string, grants: (Grant | undefined)[], weight?: number) => void;
type ClusterCan = (verbs: string[], apiGroup: string, resource: string, subresource?: string, name?: string) => Grant | undefined;

/** What the checks of identityEdges share about one identity. */
interface IdentityChecks {
  id: Identity;
  user: UserInfo;
  /** Its own bindings; `all` adds those of its groups (in the authorizer's order). */
  own: Principal;
  all: Principal[];
  ownOnly: Principal[];
  ownCluster: boolean;
  /** Namespaces of its own RoleBindings, sorted. */
  ownNamespaces: string[];
  union: string[] | undefined;
  /** Pod creation with its own ClusterRoleBindings, and in each of ownNamespaces (filled by namespacedEdges). */
  clusterPods: PodCreate | undefined;
  nsPods: (PodCreate | undefined)[];
  /** Adds a step when one of the grants is its own. */
  add: AddStep;
  mine: (grants: (Grant | undefined)[]) => boolean;
  /** First cluster-wide grant among all its principals. */
  cc: ClusterCan;
}

/** Edge lists kept at most (oldest dropped first): a one-subject search touches few, `paths` keeps its own. */
const EDGE_CACHE_LIMIT = 20_000;
const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** Requests that change a Namespace's labels (any name). */
const RELABEL: Request[] = ['update', 'patch'].map((verb) => ({ kind: 'resource', verb, namespace: 'ns', apiGroup: '', resource: 'namespaces', subresource: '', name: '' }));
/** The unnamed requests the namespaced checks of identityEdges make with a node's own grants (besides pod creation). */
const SCOPE_QUERIES: [string, string, string, string][] = [
  ['list', '', 'secrets', ''],
  ['watch', '', 'secrets', ''],
  ['get', '', 'secrets', ''],
  ['create', '', 'serviceaccounts', 'token'],
  ['impersonate', '', 'serviceaccounts', ''],
  ['create', '', 'secrets', ''],
  ['create', '', 'pods', 'exec'],
  ['get', '', 'pods', 'exec'],
  ['create', '', 'pods', 'attach'],
  ['get', '', 'pods', 'attach'],
  ['update', '', 'pods', 'ephemeralcontainers'],
  ['patch', '', 'pods', 'ephemeralcontainers'],
];
/** The unnamed requests of the cluster-wide checks of identityEdges made with a node's own grants. */
const CLUSTER_QUERIES: [string, string, string, string][] = [
  ['bind', RBAC_GROUP, 'clusterroles', ''],
  ['create', RBAC_GROUP, 'clusterrolebindings', ''],
  ['impersonate', '', 'groups', ''],
  ['impersonate', '', 'users', ''],
  ['get', '', 'nodes', 'proxy'],
  ['create', '', 'nodes', 'proxy'],
  ['create', 'certificates.k8s.io', 'certificatesigningrequests', ''],
  ['update', 'certificates.k8s.io', 'certificatesigningrequests', 'approval'],
  ['patch', 'certificates.k8s.io', 'certificatesigningrequests', 'approval'],
  ['approve', 'certificates.k8s.io', 'signers', ''],
  ...['create', 'update', 'patch'].flatMap((verb): [string, string, string, string][] => [
    [verb, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ''],
    [verb, 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', ''],
    [verb, 'admissionregistration.k8s.io', 'mutatingadmissionpolicies', ''],
  ]),
  ['list', '', 'secrets', ''],
  ['watch', '', 'secrets', ''],
  ['get', '', 'secrets', ''],
];
/** Grants that let a subject give itself a role's permissions in a namespace (facts 1 and 2). */
const RBAC_WRITES: [string, string][] = [['bind', 'roles'], ['bind', 'clusterroles'], ['escalate', 'roles']];

/**
 * Unnamed queries, numbered once per process (verb → group → resource → subresource), so that what a role
 * answers (RoleInfo) holds for every graph: the bootstrap roles, shared by every world of a scan, are read
 * once per process instead of once per world. Every query the graph asks is built from the fixed lists
 * here and the code's own constants, so the table stays small.
 */
const queryIds = new Map<string, Map<string, Map<string, Map<string, number>>>>();
const queries: Request[] = [];
/** Each numbered query's `resource[/sub]`. */
const queryResources: string[] = [];

function queryId(verb: string, apiGroup: string, resource: string, subresource: string): number {
  let a = queryIds.get(verb);
  if (!a) queryIds.set(verb, (a = new Map()));
  let b = a.get(apiGroup);
  if (!b) a.set(apiGroup, (b = new Map()));
  let c = b.get(resource);
  if (!c) b.set(resource, (c = new Map()));
  let id = c.get(subresource);
  if (id === undefined) {
    c.set(subresource, (id = queries.length));
    queries.push({ kind: 'resource', verb, namespace: 'ns', apiGroup, resource, subresource, name: '' });
    queryResources.push(subresource ? `${resource}/${subresource}` : resource);
  }
  return id;
}

/** Query ids of POD_CREATORS: create, update and patch of each. */
const POD_QUERY_IDS = POD_CREATORS.map((pc) => ({ create: queryId('create', pc.group, pc.resource, ''), update: queryId('update', pc.group, pc.resource, ''), patch: queryId('patch', pc.group, pc.resource, '') }));
const SCOPE_QUERY_IDS = SCOPE_QUERIES.map(([verb, group, resource, sub]) => queryId(verb, group, resource, sub));
/** Each operator's writes (fact 22); a graph adds those of the operators whose accounts it holds to its scope queries. */
const OPERATOR_QUERY_IDS = new Map<Operator, number[]>(OPERATORS.map((op) => [op, op.resources.flatMap((r) => OPERATOR_WRITE_VERBS.map((verb) => queryId(verb, op.group, r, '')))]));
/** Query ids of CLUSTER_QUERIES (see clusterInert). */
const CLUSTER_QUERY_IDS = CLUSTER_QUERIES.map(([verb, group, resource, sub]) => queryId(verb, group, resource, sub));
/** Query ids of ownsRbacWrite's unnamed requests (see rbacWrites). */
const RBAC_WRITE_QUERY_IDS = [queryId('create', RBAC_GROUP, 'rolebindings', ''), ...RBAC_WRITES.map(([v, r]) => queryId(v, RBAC_GROUP, r, ''))];
/** Query ids of the requests quietRole looks up besides the other checks' (fact 1 on ClusterRoles, fact 16). */
const QUIET_QUERY_IDS = [...['escalate', 'update', 'patch'].map((v) => queryId(v, RBAC_GROUP, 'clusterroles', '')), queryId('create', '', 'persistentvolumes', '')];
/**
 * The fixed queries above (every operator's included) by the `resource[/sub]` they ask about (see readRole).
 * A role that answers none of them answers none of any graph's, whichever operators it holds.
 */
const FIXED_BY_RESOURCE = new Map<string, number[]>();
for (let id = 0; id < queries.length; id++) {
  const list = FIXED_BY_RESOURCE.get(queryResources[id]!);
  if (list) list.push(id);
  else FIXED_BY_RESOURCE.set(queryResources[id]!, [id]);
}
/** RoleInfo.inertFor / quietFor of a flag that holds whichever operators a graph holds. */
const EVERY_OPS = '*';
/**
 * What the escalation graph learned about each role (answers to numbered and named queries, derived flags),
 * shared by every graph: all of it follows from the role's rules alone, but for the flags that depend on the
 * operators a graph holds, which say which set they were worked out for. Roles are never written after
 * they are read; an entry goes with its role.
 */
const roleInfos = new WeakMap<RoleDef, RoleInfo>();
/** Named-query answers kept per role at most (names come from the input: a long-lived process meets many). */
const ROLE_MEMO_LIMIT = 4096;

export interface EscalationPath {
  subject: Identity;
  goal: Goal;
  steps: Step[];
  cost: number;
}

export function nodeKey(n: GraphNode): string {
  if (n.kind === 'Cap') return n.identities ? `Cap:${n.fact}:${n.namespace}:${n.identities}` : `Cap:${n.fact}:${n.namespace}`;
  return n.kind === 'ServiceAccount' ? `ServiceAccount:${n.namespace}:${n.name}` : `${n.kind}:${n.name}`;
}

export function describeNode(n: GraphNode): string {
  if (n.kind === 'Cap' && n.identities) return `(impersonate any ${n.identities === 'User' ? 'user' : 'group'})`;
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

/** Two grants that read the same as references (same binding, role and rule). */
function sameRef(a: Grant, b: Grant): boolean {
  return (
    a.binding.kind === b.binding.kind &&
    (a.namespace || '') === (b.namespace || '') &&
    a.binding.name === b.binding.name &&
    a.role.kind === b.role.kind &&
    a.role.name === b.role.name &&
    a.rule.index === b.rule.index &&
    (a.rule.from ?? '') === (b.rule.from ?? '')
  );
}

/** The `via` of steps that rest on no grant (capability fan-out, membership, goals): one shared, frozen list. */
const NO_VIA = Object.freeze([]) as unknown as GrantRef[];
const NO_ROLES: readonly BoundRole[] = [];
/** The binding of a principal made up to ask about one role alone. */
const NO_BINDING = { kind: 'ClusterRoleBinding', name: '', roleRef: { kind: '', name: '' }, subjects: [], bootstrap: false } as unknown as BindingDef;

const GOAL_NODES: Record<Goal, GraphNode> = { 'cluster-admin': { kind: 'Goal', name: 'cluster-admin' }, secrets: { kind: 'Goal', name: 'secrets' }, nodes: { kind: 'Goal', name: 'nodes' } };
const goal = (name: Goal): GraphNode => GOAL_NODES[name];
/** The roles worth binding first. */
const rank = (name: string) => (name === 'cluster-admin' ? 0 : name === 'admin' ? 1 : 2);
/** Up to this many subjects, `paths` runs one forward search per subject instead of walking the whole graph. */
const FORWARD_SEARCH_MAX = 8;
const RBAC = RBAC_GROUP;

export interface GraphOptions {
  /**
   * Keep the edge lists computed by `paths` for the graph's life (bounded by the graph's size), so later
   * queries on the same graph reuse them: for the one graph a scan shares between its rules and analyses.
   */
  keepWalk?: boolean;
}

export class EscalationGraph {
  private edges = new Map<string, Step[]>();
  /** Edge lists computed by `paths` (with keepWalk), by node key. */
  private walked: Map<string, Step[]> | undefined;
  /** One object per node that edges point to, so a search can number nodes by object instead of building a key per edge. */
  private saNodes = new Map<string, Map<string, Identity>>();
  private userNodes = new Map<string, Identity>();
  private groupNodes = new Map<string, Identity>();
  private capNodes = new Map<number, Map<string, CapNode>>();
  private groupPrincipals = new Map<string, Principal>();
  /** Each subject's place in the list startingSubjects returned (so `paths` knows that list, or part of it, is in collator order). */
  private startRank = new WeakMap<Identity, number>();
  /** Scope templates of scopes where an identity holds one binding, by that binding (see scopeTemplate). */
  private templates = new Map<BindingDef, ScopeTemplate>();
  /** One-grant `via` lists by binding and rule (see viaOf). */
  private vias = new Map<BindingDef, Map<PolicyRule, GrantRef[]>>();
  /** Query ids of SCOPE_QUERIES and the writes of the operators it holds (see roleInert). */
  private scopeQueries: number[];
  /** Which operators it holds (the flags of RoleInfo that depend on them say for which set they hold). */
  private opsKey: string;
  private accounts = new Map<string, [string, string][]>();
  private rolesByNs: Map<string, RoleDef[]> | undefined;
  private namespaces: string[];
  private users: string[];
  private groups: string[];
  /** The "impersonate any user" and "impersonate any group" nodes. */
  private impersonateAny: Record<'User' | 'Group', CapNode> = { User: { kind: 'Cap', fact: 4, namespace: '*', identities: 'User' }, Group: { kind: 'Cap', fact: 4, namespace: '*', identities: 'Group' } };
  /** Operators (fact 22) whose service accounts are in the input. */
  private operators: [Operator, { namespace: string; name: string }[]][];

  constructor(
    readonly index: RbacIndex,
    readonly facts: ClusterFacts,
    options: GraphOptions = {},
  ) {
    if (options.keepWalk) this.walked = new Map();
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
    this.scopeQueries = [...SCOPE_QUERY_IDS, ...this.operators.flatMap(([op]) => OPERATOR_QUERY_IDS.get(op)!)];
    this.opsKey = this.operators.map(([op]) => OPERATORS.indexOf(op)).join(',');
  }

  private saNode(namespace: string, name: string): Identity {
    let m = this.saNodes.get(namespace);
    if (!m) this.saNodes.set(namespace, (m = new Map()));
    let n = m.get(name);
    if (!n) m.set(name, (n = { kind: 'ServiceAccount', name, namespace }));
    return n;
  }

  private namedNode(kind: 'User' | 'Group', name: string): Identity {
    const m = kind === 'User' ? this.userNodes : this.groupNodes;
    let n = m.get(name);
    if (!n) m.set(name, (n = { kind, name }));
    return n;
  }

  private capNode(fact: number, namespace: string): CapNode {
    let m = this.capNodes.get(fact);
    if (!m) this.capNodes.set(fact, (m = new Map()));
    let n = m.get(namespace);
    // `identities` present (undefined) so that every capability node has the shape of the impersonate-any ones.
    if (!n) m.set(namespace, (n = { kind: 'Cap', fact, namespace, identities: undefined }));
    return n;
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
    const compare = collator().compare;
    const list = [...out].sort((a, b) => compare(a[0], b[0])).map((x) => x[1]);
    list.forEach((s, i) => this.startRank.set(s, i));
    return list;
  }

  edgesFrom(n: GraphNode): Step[] {
    const key = nodeKey(n);
    let e = this.walked?.get(key) ?? this.edges.get(key);
    if (!e) {
      e = this.computeEdges(n);
      if (this.edges.size >= EDGE_CACHE_LIMIT) for (const k of [...this.edges.keys()].slice(0, EDGE_CACHE_LIMIT / 4)) this.edges.delete(k);
      this.edges.set(key, e);
    }
    return e;
  }

  /** A node's edges for a full walk: cached ones, else computed (and kept with keepWalk). */
  private walkEdges(n: GraphNode): Step[] {
    const key = nodeKey(n);
    const kept = this.walked?.get(key) ?? this.edges.get(key);
    if (kept) return kept;
    const e = this.computeEdges(n);
    this.walked?.set(key, e);
    return e;
  }

  private computeEdges(n: GraphNode): Step[] {
    return n.kind === 'Goal' ? this.goalEdges(n.name) : n.kind === 'Cap' ? this.capEdges(n) : this.identityEdges(n);
  }

  private goalEdges(g: Goal): Step[] {
    if (g === 'cluster-admin') {
      return [
        { from: goal(g), to: goal('secrets'), fact: 0, action: 'cluster-admin reads every Secret', via: NO_VIA, weight: 1 },
        { from: goal(g), to: goal('nodes'), fact: 0, action: 'cluster-admin runs a privileged pod on any node', via: NO_VIA, weight: 1 },
      ];
    }
    if (g === 'nodes') {
      return [{ from: goal(g), to: goal('cluster-admin'), fact: 7, action: 'root on a control-plane node reads etcd and the cluster CA keys', via: NO_VIA, weight: 2 }];
    }
    return [];
  }

  /** Edges out of a capability node: to every service account it lets the holder act as. */
  private capEdges(c: CapNode): Step[] {
    const from: GraphNode = c;
    if (c.identities) {
      // Every user (or group other than system:masters) bound by some binding. The edge to the holder itself, or
      // to a group it is in, is never on a shortest path (it reaches them at no cost), so none is left out per holder.
      const kind = c.identities;
      const noun = kind === 'User' ? 'user' : 'group';
      return (kind === 'User' ? this.users : this.groups).map((n) => ({ from, to: this.namedNode(kind, n), fact: 4, action: `${noun} ${n}`, via: NO_VIA, weight: 0 }));
    }
    if (c.namespace === '*') {
      return this.namespaces.map((ns) => ({ from, to: this.capNode(c.fact, ns), fact: c.fact, action: '', via: NO_VIA, weight: 0 }));
    }
    const ns = c.namespace;
    const out: Step[] = [];
    const to = (sa: string): GraphNode => this.saNode(ns, sa);
    if (c.fact === 11 || c.fact === 12) {
      for (const [sa, workloads] of this.facts.runningAs.get(ns) ?? []) out.push({ from, to: to(sa), fact: c.fact, action: `${workloads[0]} in namespace ${ns} (runs as ${ns}/${sa})`, via: NO_VIA, weight: 0 });
    } else if (c.fact === 8) {
      for (const [sa, secrets] of this.facts.tokenSecrets.get(ns) ?? []) out.push({ from, to: to(sa), fact: 8, action: `token Secret ${secrets[0]} of service account ${ns}/${sa}`, via: NO_VIA, weight: 0 });
    } else {
      for (const [sa, action] of this.accountsOf(ns)) out.push({ from, to: to(sa), fact: c.fact, action, via: NO_VIA, weight: 0 });
    }
    return out;
  }

  /** A namespace's service accounts by name, with the step text naming each (shared by every capability node there). */
  private accountsOf(ns: string): [string, string][] {
    let list = this.accounts.get(ns);
    if (!list) this.accounts.set(ns, (list = [...(this.facts.serviceAccounts.get(ns) ?? new Set(['default']))].sort().map((sa): [string, string] => [sa, `service account ${ns}/${sa}`])));
    return list;
  }

  /** The roles bound to one subject key set, with a query memo when the principal is shared (a group). */
  private principal(keys: string[], shared: boolean): Principal {
    const { cluster, byNamespace } = this.index.rolesOfSubjects(keys);
    const p = new Principal(cluster, byNamespace);
    if (shared) {
      p.memo = new Map();
      p.answers = new Map();
    }
    return p;
  }

  private groupPrincipal(name: string): Principal {
    let p = this.groupPrincipals.get(name);
    if (!p) this.groupPrincipals.set(name, (p = this.principal([`Group\u0000${name}`], true)));
    return p;
  }

  /**
   * The `via` list of a step resting on these grants (equal references once). A single grant's list is kept per
   * binding and rule and shared by every step resting on it alone (read-only, like every step's fields).
   */
  private viaOf(grants: (Grant | undefined)[]): GrantRef[] {
    if (grants.length === 1 && grants[0]) return this.viaOfGrant(grants[0]);
    const kept: Grant[] = [];
    for (const g of grants) if (g && !kept.some((k) => sameRef(k, g))) kept.push(g);
    if (kept.length === 0) return NO_VIA;
    if (kept.length > 1) return kept.map((g) => this.viaOfGrant(g)[0]!);
    return this.viaOfGrant(kept[0]!);
  }

  private viaOfGrant(g: Grant): GrantRef[] {
    let byRule = this.vias.get(g.binding);
    if (!byRule) this.vias.set(g.binding, (byRule = new Map()));
    let via = byRule.get(g.rule);
    if (!via) byRule.set(g.rule, (via = [grantRef(g)]));
    return via;
  }

  private infoOf(role: RoleDef): RoleInfo {
    let info = roleInfos.get(role);
    if (!info) roleInfos.set(role, (info = readRole(role)));
    return info;
  }

  /** The rule of a role that allows one request (per-role index: each query is matched once per role). */
  private ruleFor(role: RoleDef, key: string, req: Request): PolicyRule | undefined {
    const info = this.infoOf(role);
    const m = (info.memo ??= new Map());
    let r = m.get(key);
    if (r === undefined) {
      if (m.size >= ROLE_MEMO_LIMIT) m.clear();
      m.set(key, (r = role.rules.find((x) => ruleAllows(x, req)) ?? null));
    }
    return r ?? undefined;
  }

  private ruleAt(role: RoleDef, id: number): PolicyRule | null {
    const info = this.infoOf(role);
    const answers = info.answers;
    let r = answers[id];
    if (r === undefined) {
      // Most queries name a resource none of the role's rules names: no rule to match.
      const named = info.resources;
      if (named && !named.has(queryResources[id]!)) r = null;
      else {
        const req = queries[id]!;
        r = role.rules.find((x) => ruleAllows(x, req)) ?? null;
      }
      answers[id] = r;
    }
    return r;
  }

  /** First grant of one principal for one verb in a scope ('' = its ClusterRoleBindings, else RoleBindings of that namespace). */
  private principalCan(p: Principal, scope: string, verb: string, apiGroup: string, resource: string, subresource: string, name: string): Grant | undefined {
    const roles = scope ? p.byNamespace.get(scope) : p.cluster;
    if (!roles || roles.length === 0) return undefined;
    // Roles that list no resourceNames answer a named request as the unnamed one: when none of this scope's
    // roles lists any (most), the numbered answer serves without building a key for the name.
    if (!name || !this.listsNames(roles)) {
      const id = queryId(verb, apiGroup, resource, subresource);
      let answers: (Grant | null | undefined)[] | undefined;
      if (p.answers) {
        answers = p.answers.get(scope);
        if (!answers) p.answers.set(scope, (answers = []));
        const hit = answers[id];
        if (hit !== undefined) return hit ?? undefined;
      }
      let found: Grant | undefined;
      for (const { binding, role } of roles) {
        const rule = this.ruleAt(role, id);
        if (rule) {
          found = { binding, role, rule, namespace: binding.kind === 'RoleBinding' ? (binding.namespace ?? '') : '' };
          break;
        }
      }
      if (answers) answers[id] = found ?? null;
      return found;
    }
    return this.principalCanNamed(p, roles, scope, verb, apiGroup, resource, subresource, name);
  }

  /** principalCan for a named request where some role lists resourceNames (rare: a function of its own keeps principalCan small to compile). */
  private principalCanNamed(p: Principal, roles: BoundRole[], scope: string, verb: string, apiGroup: string, resource: string, subresource: string, name: string): Grant | undefined {
    const key = `${verb}|${apiGroup}|${resource}|${subresource}|${name}`;
    const mk = p.memo ? `${scope}|${key}` : '';
    if (p.memo) {
      const hit = p.memo.get(mk);
      if (hit !== undefined) return hit ?? undefined;
    }
    const req: Request = { kind: 'resource', verb, namespace: 'ns', apiGroup, resource, subresource, name };
    // A role whose rules list no resourceNames answers a named request as the unnamed one (its answer is numbered).
    const id = queryId(verb, apiGroup, resource, subresource);
    let out: Grant | undefined;
    for (const { binding, role } of roles) {
      const rule = this.namesOf(role).length === 0 ? this.ruleAt(role, id) : this.ruleFor(role, key, req);
      if (rule) {
        out = { binding, role, rule, namespace: binding.kind === 'RoleBinding' ? (binding.namespace ?? '') : '' };
        break;
      }
    }
    p.memo?.set(mk, out ?? null);
    return out;
  }

  /** First grant among the principals (in the authorizer's order: verbs, then the user's bindings, then each group's). */
  private can(ps: Principal[], scope: string, verbs: string[], apiGroup: string, resource: string, subresource = '', name = ''): Grant | undefined {
    for (const verb of verbs)
      for (const p of ps) {
        const g = this.principalCan(p, scope, verb, apiGroup, resource, subresource, name);
        if (g) return g;
      }
    return undefined;
  }

  /** Whether any of the roles lists resourceNames. */
  private listsNames(roles: BoundRole[]): boolean {
    for (const { role } of roles) if (this.namesOf(role).length > 0) return true;
    return false;
  }

  /** The names a role's rules list in resourceNames (most list none). */
  private namesOf(role: RoleDef): string[] {
    const info = this.infoOf(role);
    return info.names;
  }

  /** Names the principals' rules list in resourceNames and that are granted the verb (the grant covers only them). */
  private namedIn(ps: Principal[], scope: string, verb: string, apiGroup: string, resource: string, subresource = ''): string[] {
    // Most roles list no names: no set is made for them.
    let names: Set<string> | undefined;
    for (const p of ps)
      for (const { role } of (scope ? p.byNamespace.get(scope) : p.cluster) ?? NO_ROLES) {
        const listed = this.namesOf(role);
        if (listed.length === 0) continue;
        names ??= new Set();
        for (const n of listed) names.add(n);
      }
    if (!names) return [];
    return [...names].filter((n) => this.can(ps, scope, [verb], apiGroup, resource, subresource, n));
  }

  /**
   * Pod creation in a scope: the first POD_CREATORS entry the principals may create, else the first pod
   * controller whose template they may rewrite. The per-role bit masks find that entry (or its absence)
   * without one query per entry, verb and principal; the grant itself comes from `can`, as before.
   */
  private podCreate(ps: Principal[], scope: string): PodCreate | undefined {
    let create = 0;
    let rewrite = 0;
    for (const p of ps)
      for (const { role } of (scope ? p.byNamespace.get(scope) : p.cluster) ?? []) {
        const m = this.podMask(role);
        create |= m.create;
        rewrite |= m.rewrite;
      }
    if (create) {
      const pc = POD_CREATORS[lowestBit(create)]!;
      return { grants: [this.can(ps, scope, ['create'], pc.group, pc.resource)!], what: pc.resource, verb: 'create' };
    }
    if (rewrite) {
      const pc = POD_CREATORS[lowestBit(rewrite)]!;
      return { grants: [this.can(ps, scope, ['update', 'patch'], pc.group, pc.resource)!], what: pc.resource, verb: 'rewrite the pod template of' };
    }
    return undefined;
  }

  /** Bit i: the role's rules allow creating POD_CREATORS[i] (create), or updating or patching it, pods left out (rewrite). */
  private podMask(role: RoleDef): { create: number; rewrite: number } {
    const info = this.infoOf(role);
    let m = info.podMask;
    if (!m) {
      m = { create: 0, rewrite: 0 };
      const ids = POD_QUERY_IDS;
      for (const [i, pc] of POD_CREATORS.entries()) {
        const q = ids[i]!;
        if (this.ruleAt(role, q.create)) m.create |= 1 << i;
        if (pc.resource !== 'pods' && (this.ruleAt(role, q.update) || this.ruleAt(role, q.patch))) m.rewrite |= 1 << i;
      }
      info.podMask = m;
    }
    return m;
  }

  /** Pod creation the principal holds somewhere (cluster-wide first, then the first namespace by name); kept per principal. */
  private podCreateAnywhere(p: Principal): PodCreate | undefined {
    if (p.anywhere === undefined) {
      // Most principals create and rewrite no pods anywhere: the role masks say so without a lookup per namespace.
      const some = this.anyPods(p);
      let pc = some ? this.podCreate([p], '') : undefined;
      if (!pc && some)
        for (const ns of [...p.byNamespace.keys()].sort()) {
          pc = this.podCreate([p], ns);
          if (pc) break;
        }
      p.anywhere = pc ?? null;
    }
    return p.anywhere ?? undefined;
  }

  /** Whether any role bound to the principal (cluster-wide or in a namespace) creates or rewrites pods. */
  private anyPods(p: Principal): boolean {
    for (const { role } of p.cluster) {
      const m = this.podMask(role);
      if (m.create || m.rewrite) return true;
    }
    for (const list of p.byNamespace.values())
      for (const { role } of list) {
        const m = this.podMask(role);
        if (m.create || m.rewrite) return true;
      }
    return false;
  }

  /** Whether a role's own rules run pods (create pods or a controller, or rewrite a controller). */
  private runsPods(role: RoleDef): boolean {
    const info = this.infoOf(role);
    let v = info.runsPods;
    if (v === undefined) {
      info.runsPods = v = !!this.podCreate([new Principal([{ binding: NO_BINDING, role }], new Map())], '');
    }
    return v;
  }

  /** Roles of one kind a `bind` holder may name: the listed names, or (undefined) every one; cluster-admin and admin first. */
  private *bindable(kind: 'ClusterRole' | 'Role', ns: string, names: Set<string> | undefined): Generator<RoleDef> {
    if (names) {
      const ordered = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      for (const n of ordered) {
        const r = this.index.roles.get(roleKey(kind, n, ns));
        if (r) yield r;
      }
      return;
    }
    if (!this.rolesByNs) {
      this.rolesByNs = new Map();
      for (const r of this.index.roles.values()) {
        const k = r.kind === 'ClusterRole' ? '' : (r.namespace ?? '');
        const list = this.rolesByNs.get(k);
        if (list) list.push(r);
        else this.rolesByNs.set(k, [r]);
      }
    }
    // cluster-admin and admin first, then the input's order.
    const first = kind === 'ClusterRole' ? ['cluster-admin', 'admin'].map((n) => this.index.roles.get(roleKey(kind, n))).filter((r): r is RoleDef => !!r) : [];
    yield* first;
    for (const r of this.rolesByNs.get(kind === 'ClusterRole' ? '' : ns) ?? []) if (!first.includes(r)) yield r;
  }

  /**
   * Edges out of a user, service account or group. Only edges that use at least one of the node's own
   * bindings are listed here; what its groups grant is reached through a weight-0 membership edge to
   * the group's node, so a binding to a broad group (every service account) is expanded once, not per member.
   */
  private identityEdges(id: Identity): Step[] {
    const user = userOf(id);
    const from: GraphNode = id;
    const steps: Step[] = [];
    const selfGroup = id.kind === 'Group' ? id.name : undefined;
    const own = this.principal(user.name ? (selfGroup ? [`User\u0000${user.name}`, `Group\u0000${selfGroup}`] : [`User\u0000${user.name}`]) : selfGroup ? [`Group\u0000${selfGroup}`] : [], false);
    const all: Principal[] = [own];
    // Groups the identity belongs to, when they hold anything: their edges are the identity's too.
    for (const g of user.groups) {
      if (g === selfGroup || g === MASTERS) continue;
      const p = this.groupPrincipal(g);
      all.push(p);
      if (!p.bound) continue;
      const m = (p.membership ??= { node: this.namedNode('Group', g), action: `member of group ${g}` });
      steps.push({ from, to: m.node, fact: 0, action: m.action, via: NO_VIA, weight: 0, member: true });
    }
    const mine = (grants: (Grant | undefined)[]) => grants.some((g) => g && own.holds(g.binding));
    // One grant fanned out to many nodes (impersonate any user) shares one `via` list.
    // A fan-out passes the same grant list for every target: whether it is its own, and its via, are worked out once.
    let lastGrants: (Grant | undefined)[] | undefined;
    let lastVia: GrantRef[] | undefined;
    const add = (to: GraphNode, fact: number, action: string, grants: (Grant | undefined)[], weight = 1) => {
      if (grants !== lastGrants) {
        lastGrants = grants;
        lastVia = grants.length && !mine(grants) ? undefined : this.viaOf(grants);
      }
      if (!lastVia) return;
      if (to.kind === 'ServiceAccount' && id.kind === 'ServiceAccount' && to.namespace === id.namespace && to.name === id.name) return;
      steps.push({ from, to, fact, action, via: lastVia, weight });
    };
    if (user.groups.includes(MASTERS)) add(goal('cluster-admin'), 0, `member of ${MASTERS}, which bypasses authorization`, []);
    // Every other edge needs one of its own bindings (see add): without any, its groups' nodes hold them all.
    if (!own.bound || this.quietPrincipal(own)) return steps;
    // Single grants are looked up in the node's own bindings only (its groups' nodes list theirs); pairs of
    // grants in all of them, once one part is its own. (The parts below are methods of their own: one function
    // this size cost V8's optimising compiler ~300 ms per compile, more than the walk it sped up.)
    const cx: IdentityChecks = {
      id,
      user,
      own,
      all,
      ownOnly: [own],
      ownCluster: own.cluster.length > 0,
      ownNamespaces: [...own.byNamespace.keys()].sort(),
      union: undefined,
      clusterPods: undefined,
      nsPods: [],
      add,
      mine,
      cc: (verbs, apiGroup, resource, subresource = '', name = '') => this.can(all, '', verbs, apiGroup, resource, subresource, name),
    };
    // Every edge of this block needs one of its own cluster-wide grants: skip it when none of its roles holds any.
    if (cx.ownCluster && !this.clusterInert(own)) this.ownClusterEdges(cx);
    this.clusterPairEdges(cx);
    this.namespacedEdges(cx, steps);
    this.nodeRootEdges(cx);
    return steps;
  }

  /** Namespaces where the node's own bindings may combine with its groups' (built only when a check needs it: with a broad group, hundreds). */
  private unionNamespaces(cx: IdentityChecks): string[] {
    if (!cx.union) {
      const set = new Set<string>(cx.ownNamespaces);
      if (cx.ownCluster) for (const p of cx.all) for (const ns of p.byNamespace.keys()) set.add(ns);
      cx.union = [...set].sort();
    }
    return cx.union;
  }

  /** The checks that rest on an identity's own cluster-wide grants alone (or paired with its groups'). */
  private ownClusterEdges(cx: IdentityChecks): void {
    for (const { binding, role } of cx.own.cluster) {
      const rule = role.rules.find((r) => r.verbs.includes('*') && r.apiGroups.includes('*') && r.resources.includes('*') && r.resourceNames.length === 0);
      if (rule) {
        cx.add(goal('cluster-admin'), 0, `holds * on * in all API groups cluster-wide`, [{ binding, role, rule, namespace: '' }]);
        break;
      }
    }
    const ownBinding = this.can(cx.ownOnly, '', ['bind'], RBAC, 'clusterroles', '', 'cluster-admin') ?? this.can(cx.ownOnly, '', ['create'], RBAC, 'clusterrolebindings');
    const bind = ownBinding && cx.cc(['bind'], RBAC, 'clusterroles', '', 'cluster-admin');
    const crb = ownBinding && cx.cc(['create'], RBAC, 'clusterrolebindings');
    if (bind && crb) cx.add(goal('cluster-admin'), 2, 'bind ClusterRole cluster-admin + create ClusterRoleBindings: bind itself to cluster-admin', [bind, crb]);
    const impMasters = this.can(cx.ownOnly, '', ['impersonate'], '', 'groups', '', MASTERS);
    if (impMasters) cx.add(goal('cluster-admin'), 4, `impersonate group ${MASTERS}`, [impMasters]);
    // Impersonating any user or group fans out to every one of them (half the edges of a large cluster): one
    // edge to the shared "impersonate any" node, whose edges are listed once per graph ("impersonate" + "user x").
    const impAnyUser = this.can(cx.ownOnly, '', ['impersonate'], '', 'users');
    if (impAnyUser) cx.add(this.impersonateAny.User, 4, 'impersonate', [impAnyUser]);
    else
      for (const u of this.namedIn(cx.ownOnly, '', 'impersonate', '', 'users')) {
        if (cx.id.kind === 'User' && cx.id.name === u) continue;
        const g = this.can(cx.ownOnly, '', ['impersonate'], '', 'users', '', u);
        if (g) cx.add(this.namedNode('User', u), 4, `impersonate user ${u}`, [g]);
      }
    const impAnyGroup = this.can(cx.ownOnly, '', ['impersonate'], '', 'groups');
    if (impAnyGroup) cx.add(this.impersonateAny.Group, 4, 'impersonate', [impAnyGroup]);
    else
      for (const g of this.namedIn(cx.ownOnly, '', 'impersonate', '', 'groups')) {
        if (g === MASTERS || cx.user.groups.includes(g)) continue;
        const grant = this.can(cx.ownOnly, '', ['impersonate'], '', 'groups', '', g);
        if (grant) cx.add(this.namedNode('Group', g), 4, `impersonate group ${g}`, [grant]);
      }
    const proxy = this.can(cx.ownOnly, '', ['get', 'create'], '', 'nodes', 'proxy');
    if (proxy) cx.add(goal('nodes'), 13, 'nodes/proxy: the kubelet API of every node (exec in any pod, no audit, no admission)', [proxy]);
    const ownCsr = this.can(cx.ownOnly, '', ['create'], 'certificates.k8s.io', 'certificatesigningrequests') ?? this.can(cx.ownOnly, '', ['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval') ?? this.can(cx.ownOnly, '', ['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/kube-apiserver-client') ?? this.can(cx.ownOnly, '', ['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/*');
    const csr = ownCsr && cx.cc(['create'], 'certificates.k8s.io', 'certificatesigningrequests');
    const approval = cx.cc(['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval');
    const signer = cx.cc(['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/kube-apiserver-client') ?? cx.cc(['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/*');
    if (csr && approval && signer) cx.add(goal('cluster-admin'), 14, `create and approve a client certificate signing request for group ${MASTERS}`, [csr, approval, signer]);
    const mutating = this.can(cx.ownOnly, '', ['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations');
    if (mutating) cx.add(goal('nodes'), 15, 'write a mutating webhook configuration: inject privileged containers into admitted pods', [mutating], 2);
    const validating = mutating ?? this.can(cx.ownOnly, '', ['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'validatingwebhookconfigurations');
    if (validating) cx.add(goal('secrets'), 15, 'write an admission webhook configuration: receive every admitted object, Secrets included', [validating], 2);
    const map = this.can(cx.ownOnly, '', ['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingadmissionpolicies');
    if (map) cx.add(goal('nodes'), 23, 'write a mutating admission policy: make admitted pods privileged', [map], 2);
    const allSecrets = this.can(cx.ownOnly, '', ['list', 'watch', 'get'], '', 'secrets');
    if (allSecrets) cx.add(goal('secrets'), 8, 'read Secrets in every namespace', [allSecrets]);
  }

  /** Fact 1 on ClusterRoles and fact 16 (hostPath PersistentVolume), whose grants may come from its own bindings or its groups'. */
  private clusterPairEdges(cx: IdentityChecks): void {
    // Fact 1: escalate + update on a ClusterRole bound to the node (any ClusterRole when not limited by resourceNames).
    const escUpd = (resource: string, scope: string, name = '') => {
      const e = this.can(cx.all, scope, ['escalate'], RBAC, resource, '', name) ?? (scope ? cx.cc(['escalate'], RBAC, resource, '', name) : undefined);
      const u = e && (this.can(cx.all, scope, ['update', 'patch'], RBAC, resource, '', name) ?? (scope ? cx.cc(['update', 'patch'], RBAC, resource, '', name) : undefined));
      return e && u ? [e, u] : undefined;
    };
    const anyClusterRole = cx.ownCluster ? escUpd('clusterroles', '') : undefined;
    if (anyClusterRole) cx.add(goal('cluster-admin'), 1, 'escalate + update ClusterRoles: add any permission to a role it is bound to', anyClusterRole);
    else if (cx.ownCluster)
      for (const p of cx.all)
        for (const { role } of p.cluster) {
          if (role.kind !== 'ClusterRole') continue;
          const g = escUpd('clusterroles', '', role.name);
          if (g) {
            cx.add(goal('cluster-admin'), 1, `escalate + update ClusterRole ${role.name}, bound to it cluster-wide: add any permission to it`, g);
            break;
          }
        }
    // Fact 16: a hostPath PersistentVolume is mounted through a pod, so it needs pod creation somewhere.
    const pv = cx.cc(['create'], '', 'persistentvolumes');
    if (pv) {
      // Pod creation from its groups counts when the PersistentVolume grant is its own, and the other way round.
      let pc: PodCreate | undefined;
      for (const p of cx.mine([pv]) ? cx.all : cx.ownOnly) if ((pc = this.podCreateAnywhere(p))) break;
      if (pc) cx.add(goal('nodes'), 16, `create a hostPath PersistentVolume and ${pc.verb} ${pc.what} mounting it: the node filesystem, unseen by Pod Security Admission`, [pv, ...pc.grants], 2);
    }
  }

  /** Namespaced powers: from ClusterRoleBindings they hold in every namespace ('*'), from RoleBindings in theirs. */
  private namespacedEdges(cx: IdentityChecks, steps: Step[]): void {
    const { id, own } = cx;
    const from: GraphNode = id;
    // A cluster-wide RBAC write of its own may pair with what its groups hold in other namespaces.
    if (cx.ownCluster && this.ownsRbacWrite(own, '')) for (const ns of this.unionNamespaces(cx)) if (!own.byNamespace.has(ns)) this.rbacWriteEdges(cx.all, own, ns, cx.cc, cx.add);
    if (cx.ownCluster) cx.clusterPods = this.scopeEdges(cx, steps, from, own.cluster, '*');
    for (const ns of cx.ownNamespaces) cx.nsPods.push(this.scopeEdges(cx, steps, from, own.byNamespace.get(ns)!, ns));
  }

  /** One scope's steps: what its own roles there give (worked out once per binding, see scopeTemplate), from this identity. */
  private scopeEdges(cx: IdentityChecks, steps: Step[], from: GraphNode, roles: BoundRole[], ns: string): PodCreate | undefined {
    const id = cx.id;
    const t = this.scopeTemplate(roles, ns);
    for (let i = 0; i <= t.steps.length; i++) {
      if (i === t.rbacAt) this.rbacWriteEdges(cx.all, cx.own, ns, cx.cc, cx.add);
      const s = t.steps[i];
      if (!s) break;
      if (s.to.kind === 'ServiceAccount' && id.kind === 'ServiceAccount' && s.to.namespace === id.namespace && s.to.name === id.name) continue;
      steps.push({ from, to: s.to, fact: s.fact, action: s.action, via: s.via, weight: s.weight });
    }
    return t.pods;
  }

  /** Node root through privileged pods (facts 6 and 17). */
  private nodeRootEdges(cx: IdentityChecks): void {
    // Node root through privileged pods: any namespace without Pod Security enforcement (fact 6), or one it may relabel (fact 17).
    // Pod creation with its own grants, per scope, as the namespaced checks found it.
    const ownClusterPods = cx.clusterPods;
    const namespaces = ownClusterPods ? this.namespaces : cx.ownNamespaces;
    for (let i = 0; i < namespaces.length; i++) {
      const ns = namespaces[i]!;
      const pc = ownClusterPods ?? cx.nsPods[i];
      if (!pc) continue;
      const level = this.facts.psaEnforce.get(ns);
      if (level !== 'baseline' && level !== 'restricted') {
        cx.add(goal('nodes'), 6, `${pc.verb} ${pc.what} in namespace ${ns} to run a privileged pod (no Pod Security enforce level there)`, pc.grants);
        break;
      }
      const relabel = cx.cc(['update', 'patch'], '', 'namespaces', '', ns) ?? this.can(cx.all, ns, ['update', 'patch'], '', 'namespaces', '', ns);
      if (relabel) {
        cx.add(goal('nodes'), 17, `relabel namespace ${ns} to lift Pod Security ${level}, then ${pc.verb} ${pc.what} there to run a privileged pod`, [relabel, ...pc.grants], 2);
        break;
      }
    }
    // Fact 17 the other way round: its own right to relabel, pod creation from a group.
    if (!ownClusterPods && this.mayRelabel(cx.own)) {
      const clusterPodCreate = this.podCreate(cx.all, '');
      for (const ns of this.unionNamespaces(cx)) {
        const level = this.facts.psaEnforce.get(ns);
        if (level !== 'baseline' && level !== 'restricted') continue;
        const pc = clusterPodCreate ?? this.podCreate(cx.all, ns);
        const relabel = this.can(cx.ownOnly, '', ['update', 'patch'], '', 'namespaces', '', ns) ?? this.can(cx.ownOnly, ns, ['update', 'patch'], '', 'namespaces', '', ns);
        if (pc && relabel) {
          cx.add(goal('nodes'), 17, `relabel namespace ${ns} to lift Pod Security ${level}, then ${pc.verb} ${pc.what} there to run a privileged pod`, [relabel, ...pc.grants], 2);
          break;
        }
      }
    }
  }


  /**
   * The steps the namespaced checks give for an identity's own roles in one scope ('*' = its ClusterRoleBindings,
   * else its RoleBindings in that namespace): they rest on those grants only, so every identity holding the same
   * binding there alone shares them (kept per binding); several bindings in one scope are worked out each time.
   */
  private scopeTemplate(roles: BoundRole[], ns: string): ScopeTemplate {
    const single = roles.length === 1 ? roles[0]! : undefined;
    const hit = single && this.templates.get(single.binding);
    if (hit) return hit;
    const scope = ns === '*' ? '' : ns;
    const own = scope ? new Principal([], new Map([[ns, roles]])) : new Principal(roles, new Map());
    const t: ScopeTemplate = { steps: [], rbacAt: -1, pods: undefined };
    let lastGrants: (Grant | undefined)[] | undefined;
    let lastVia: GrantRef[] | undefined;
    // Every grant here is the identity's own (a step is dropped, as in identityEdges, only when it rests on none).
    const add: AddStep = (to, fact, action, grants, weight = 1) => {
      if (grants !== lastGrants) {
        lastGrants = grants;
        lastVia = grants.length && !grants.some((g) => g) ? undefined : this.viaOf(grants);
      }
      if (lastVia) t.steps.push({ to, fact, action, via: lastVia, weight });
    };
    t.pods = this.scopeChecks(own, ns, add, () => (t.rbacAt = t.steps.length));
    if (single) this.templates.set(single.binding, t);
    return t;
  }

  /** The namespaced checks of identityEdges with one principal's grants in one scope; `rbacWrite` marks where the RBAC-write pairing runs. */
  private scopeChecks(own: Principal, ns: string, add: AddStep, rbacWrite: () => void): PodCreate | undefined {
    const scope = ns === '*' ? '' : ns;
    const where = ns === '*' ? 'every namespace' : `namespace ${ns}`;
    const ownOnly = [own];
    const cap = (fact: number): GraphNode => this.capNode(fact, ns);
    // Its own roles here grant none of what the checks below look up (about half the roles of a large
    // cluster): only the RBAC-write pairing, which may rest on its cluster-wide or its groups' grants, remains.
    if (this.scopeInert(own, scope)) {
      rbacWrite();
      return undefined;
    }
    const pc = this.podCreate(ownOnly, scope);
    if (pc) add(cap(5), 5, `${pc.verb} ${pc.what} in ${where} to run a pod as`, pc.grants);
    else rbacWrite();
    const secretsRead = this.can(ownOnly, scope, ['list', 'watch', 'get'], '', 'secrets');
    if (secretsRead) add(cap(8), 8, `read Secrets in ${where}:`, [secretsRead]);
    const tok = this.can(ownOnly, scope, ['create'], '', 'serviceaccounts', 'token');
    if (tok) add(cap(9), 9, `request a token (serviceaccounts/token) in ${where} for`, [tok]);
    else this.namedSaEdges(ns, this.namedIn(ownOnly, scope, 'create', '', 'serviceaccounts', 'token'), (sa) => this.can(ownOnly, scope, ['create'], '', 'serviceaccounts', 'token', sa), 9, 'request a token (serviceaccounts/token) for', add);
    const imp = this.can(ownOnly, scope, ['impersonate'], '', 'serviceaccounts');
    if (imp) add(cap(4), 4, `impersonate, in ${where},`, [imp]);
    else this.namedSaEdges(ns, this.namedIn(ownOnly, scope, 'impersonate', '', 'serviceaccounts'), (sa) => this.can(ownOnly, scope, ['impersonate'], '', 'serviceaccounts', '', sa), 4, 'impersonate', add);
    const secretsCreate = this.can(ownOnly, scope, ['create'], '', 'secrets');
    if (secretsCreate) add(cap(10), 10, `create a service-account-token Secret in ${where} for`, [secretsCreate], 2);
    // Fact 22: an operator in the input acts on custom resources the subject may write.
    for (const [op, accounts] of this.operators) {
      const res = op.resources.find((r) => this.can(ownOnly, scope, OPERATOR_WRITE_VERBS, op.group, r));
      if (!res) continue;
      const w = this.can(ownOnly, scope, OPERATOR_WRITE_VERBS, op.group, res)!;
      if (op.acts === 'pods') {
        add(cap(22), 22, `write ${res}.${op.group} in ${where}: ${op.name} runs their pods as`, [w]);
        continue;
      }
      for (const sa of accounts) {
        if (op.ownNamespaceOnly && ns !== '*' && ns !== sa.namespace) continue;
        add(this.saNode(sa.namespace, sa.name), 22, `write ${res}.${op.group} in ${where}: ${op.name} applies them as service account ${sa.namespace}/${sa.name}`, [w]);
      }
    }
    const exec = this.can(ownOnly, scope, ['create', 'get'], '', 'pods', 'exec') ?? this.can(ownOnly, scope, ['create', 'get'], '', 'pods', 'attach');
    if (exec) add(cap(11), 11, `exec (pods/exec) into`, [exec]);
    else {
      const eph = this.can(ownOnly, scope, ['update', 'patch'], '', 'pods', 'ephemeralcontainers');
      if (eph) add(cap(12), 12, `add an ephemeral container to`, [eph]);
    }
    return pc;
  }

  /** Whether every role bound to the principal is quiet: then identityEdges lists no edge that uses its own bindings. */
  private quietPrincipal(p: Principal): boolean {
    for (const { role } of p.cluster) if (!this.quietRole(role)) return false;
    for (const list of p.byNamespace.values()) for (const { role } of list) if (!this.quietRole(role)) return false;
    return true;
  }

  /**
   * A role that gives no step of identityEdges to whoever holds it, wherever it is bound: it lists no resourceNames,
   * runs no pods and allows none of the requests of the namespaced checks (roleInert), of the cluster-wide block
   * (clusterInert), of the RBAC-write pairings (rbacWrites), of fact 1 on ClusterRoles, of fact 16 (create
   * PersistentVolumes) or of fact 17 (relabel a Namespace). Each check that pairs a grant with one from the
   * identity's groups needs one of its own among them, so none of them holds with quiet roles alone.
   */
  private quietRole(role: RoleDef): boolean {
    const info = this.infoOf(role);
    if (info.quietFor !== EVERY_OPS && info.quietFor !== this.opsKey) {
      info.quietFor = this.opsKey;
      const ids = QUIET_QUERY_IDS;
      const fake = new Principal([{ binding: NO_BINDING, role }], new Map());
      info.quiet = this.roleInert(role) && this.clusterInert(fake) && !this.rbacWrites(role) && !this.relabels(role) && ids.every((id) => !this.ruleAt(role, id));
    }
    return info.quiet!;
  }

  /** Whether none of the principal's roles in a scope grants anything the namespaced checks of identityEdges look up. */
  private scopeInert(p: Principal, scope: string): boolean {
    const roles = scope ? p.byNamespace.get(scope) : p.cluster;
    if (!roles) return true;
    for (const { role } of roles) if (!this.roleInert(role)) return false;
    return true;
  }

  /** Whether none of the principal's cluster-wide roles allows any of CLUSTER_QUERIES (nor lists resourceNames). */
  private clusterInert(p: Principal): boolean {
    const ids = CLUSTER_QUERY_IDS;
    for (const { role } of p.cluster) {
      const info = this.infoOf(role);
      info.clusterInert ??= this.namesOf(role).length === 0 && ids.every((id) => !this.ruleAt(role, id));
      if (!info.clusterInert) return false;
    }
    return true;
  }

  /** A role that lists no resourceNames, creates no pods and allows none of SCOPE_QUERIES or the operators' writes. */
  private roleInert(role: RoleDef): boolean {
    const info = this.infoOf(role);
    if (info.inertFor !== EVERY_OPS && info.inertFor !== this.opsKey) {
      info.inertFor = this.opsKey;
      const ids = this.scopeQueries;
      const mask = this.podMask(role);
      info.inert = mask.create === 0 && mask.rewrite === 0 && this.namesOf(role).length === 0 && ids.every((id) => !this.ruleAt(role, id));
    }
    return info.inert!;
  }

  /** Whether any rule bound to the principal may update or patch some Namespace. */
  private mayRelabel(p: Principal): boolean {
    for (const { role } of p.cluster) if (this.relabels(role)) return true;
    for (const list of p.byNamespace.values()) for (const { role } of list) if (this.relabels(role)) return true;
    return false;
  }

  /** Whether a rule of the role allows updating or patching Namespaces, whatever names it lists. */
  private relabels(role: RoleDef): boolean {
    const info = this.infoOf(role);
    return (info.relabels ??= role.rules.some((r) => RELABEL.some((req) => req.kind === 'resource' && verbMatches(r, req.verb) && apiGroupMatches(r, req.apiGroup) && resourceMatches(r, req.resource, ''))));
  }

  /** Whether the principal's own bindings in a scope hold one part of facts 1-2 (create rolebindings, bind, escalate). */
  private ownsRbacWrite(own: Principal, scope: string): boolean {
    // Most roles hold none of these writes (known per role, once): no lookups for them.
    const roles = scope ? own.byNamespace.get(scope) : own.cluster;
    if (!roles || !roles.some(({ role }) => this.rbacWrites(role))) return false;
    return !!this.can([own], scope, ['create'], RBAC, 'rolebindings') || RBAC_WRITES.some(([v, r]) => this.can([own], scope, [v], RBAC, r) || this.namedIn([own], scope, v, RBAC, r).length > 0);
  }

  /** Whether the role lists resourceNames or allows an unnamed request that ownsRbacWrite looks up. */
  private rbacWrites(role: RoleDef): boolean {
    const info = this.infoOf(role);
    if (info.rbacWrites === undefined) {
      const ids = RBAC_WRITE_QUERY_IDS;
      info.rbacWrites = this.namesOf(role).length > 0 || ids.some((id) => this.ruleAt(role, id) !== null);
    }
    return info.rbacWrites;
  }

  /**
   * Facts 1 and 2 inside a namespace ('*' = every namespace): `bind` on a Role or ClusterRole it can name
   * that runs pods + create rolebindings, or `escalate` + `update` on a Role bound to it there: either way
   * it gives itself pod creation and runs a pod as any service account of the namespace.
   */
  private rbacWriteEdges(all: Principal[], own: Principal, ns: string, cc: ClusterCan, add: AddStep): void {
    const scope = ns === '*' ? '' : ns;
    if (!this.ownsRbacWrite(own, scope) && !(scope && this.ownsRbacWrite(own, ''))) return;
    const where = ns === '*' ? 'every namespace' : `namespace ${ns}`;
    const inNs = (verbs: string[], resource: string, name = '') => this.can(all, scope, verbs, RBAC, resource, '', name) ?? (scope ? cc(verbs, RBAC, resource, '', name) : undefined);
    const rb = inNs(['create'], 'rolebindings');
    if (rb) {
      // Only the names its rules list can be bound, unless `bind` holds for any name.
      const nameable = (resource: string) =>
        inNs(['bind'], resource) ? undefined : new Set([...this.namedIn(all, scope, 'bind', RBAC, resource), ...(scope ? this.namedIn(all, '', 'bind', RBAC, resource) : [])]);
      const kinds: ['ClusterRole' | 'Role', Set<string> | undefined][] = [
        ['ClusterRole', nameable('clusterroles')],
        ['Role', scope ? nameable('roles') : new Set<string>()],
      ];
      for (const [kind, names] of kinds)
        for (const role of this.bindable(kind, scope, names)) {
          if (!this.runsPods(role)) continue;
          const bind = inNs(['bind'], role.kind === 'Role' ? 'roles' : 'clusterroles', role.name);
          if (!bind) continue;
          add(this.capNode(2, ns), 2, `bind ${role.kind} ${role.name} in ${where} to itself (create rolebindings), then run a pod as`, [bind, rb], 2);
          return;
        }
    }
    if (!scope) return;
    for (const p of all)
      for (const { role } of p.byNamespace.get(ns) ?? []) {
        if (role.kind !== 'Role') continue;
        const e = inNs(['escalate'], 'roles', role.name);
        const u = e && inNs(['update', 'patch'], 'roles', role.name);
        if (e && u) {
          add(this.capNode(1, ns), 1, `escalate + update Role ${ns}/${role.name}, bound to it: add create pods to it, then run a pod as`, [e, u], 2);
          return;
        }
      }
  }

  private namedSaEdges(ns: string, names: string[], grantFor: (sa: string) => Grant | undefined, fact: number, action: string, add: AddStep): void {
    const namespaces = ns === '*' ? this.namespaces : [ns];
    for (const name of names) {
      const g = grantFor(name);
      if (!g) continue;
      for (const n of namespaces) if (this.facts.serviceAccounts.get(n)?.has(name) || ns !== '*') add(this.saNode(n, name), fact, `${action} service account ${n}/${name}`, [g]);
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
      // Every step into a goal weighs at least 1, so nothing popped from here on can improve on d + 1:
      // stop without expanding the rest of this distance (with a broad group, every service account).
      const best = dist.get(targetKey);
      if (best !== undefined && best <= d + 1) {
        done.add(targetKey);
        break;
      }
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
  paths(goals: Goal[] = ['cluster-admin'], subjectList?: Identity[]): EscalationPath[] {
    const subjects = subjectList ?? this.startingSubjects();
    const out: EscalationPath[] = [];
    const order = (list: EscalationPath[]) => {
      let keys: Map<Identity, string> | undefined;
      const keyOf = (s: Identity) => (keys ??= new Map<Identity, string>(subjects.map((x) => [x, nodeKey(x)]))).get(s) ?? nodeKey(s);
      // Subjects already in collator order (startingSubjects): a subject's place in the list orders it as the
      // collator would (ties keep the list's order, as the stable sort did) without comparing strings.
      // The list startingSubjects returned, or part of it in its order (the CLI leaves trusted subjects out), is.
      let sorted = true;
      let rank = -1;
      for (const s of subjects) {
        const r = this.startRank.get(s);
        if (r === undefined || r <= rank) {
          sorted = false;
          break;
        }
        rank = r;
      }
      if (!sorted) {
        sorted = true;
        const compare = collator().compare;
        for (let i = 1; i < subjects.length && sorted; i++) sorted = compare(keyOf(subjects[i - 1]!), keyOf(subjects[i]!)) <= 0;
      }
      if (sorted) {
        const place = new Map<Identity, number>();
        subjects.forEach((s, i) => place.has(s) || place.set(s, i));
        if (list.every((p) => place.has(p.subject))) return list.sort((a, b) => GOALS.indexOf(a.goal) - GOALS.indexOf(b.goal) || a.cost - b.cost || place.get(a.subject)! - place.get(b.subject)!);
      }
      const compare = collator().compare;
      return list.sort((a, b) => GOALS.indexOf(a.goal) - GOALS.indexOf(b.goal) || a.cost - b.cost || compare(keyOf(a.subject), keyOf(b.subject)));
    };
    // A few subjects asked for by name: one forward search each, stopping at the goal, touches less of the graph
    // than the full walk. (The default listing keeps the backward search, so its choice among equal paths is stable.)
    if (subjectList && subjects.length <= FORWARD_SEARCH_MAX) {
      for (const g of goals)
        for (const s of subjects) {
          const p = this.shortestPath(s, g);
          if (p && p.steps.length) out.push(p);
        }
      return order(out);
    }
    // Every edge is computed once here and held only for this call unless the graph keeps its walks (keepWalk).
    // Nodes are numbered as they are first met; the reverse adjacency holds edge numbers, so the searches
    // below compare integers instead of building and hashing a key per edge visit.
    const ids = new Map<string, number>();
    const idOf = (k: string) => {
      let i = ids.get(k);
      if (i === undefined) ids.set(k, (i = ids.size));
      return i;
    };
    const byObject = new Map<GraphNode, number>();
    const idOfNode = (n: GraphNode) => {
      let i = byObject.get(n);
      if (i === undefined) byObject.set(n, (i = idOf(nodeKey(n))));
      return i;
    };
    const edgeList: Step[] = [];
    const edgeFrom: number[] = [];
    const edgeTo: number[] = [];
    const seen: boolean[] = [];
    const stack: GraphNode[] = [...subjects, ...goals.map(goal)];
    const stackIds: number[] = stack.map(idOfNode);
    while (stack.length) {
      const n = stack.pop()!;
      const id = stackIds.pop()!;
      if (seen[id]) continue;
      seen[id] = true;
      for (const e of this.walkEdges(n)) {
        const t = idOfNode(e.to);
        const en = edgeList.length;
        edgeList.push(e);
        edgeFrom.push(id);
        edgeTo.push(t);
        if (!seen[t]) {
          stack.push(e.to);
          stackIds.push(t);
        }
      }
    }
    const size = ids.size;
    const edges = edgeList.length;
    // The reverse adjacency in one array: the edge numbers into each node, in edge order (as pushing them per node did).
    const into = new Int32Array(edges);
    const start = new Int32Array(size + 1);
    for (let en = 0; en < edges; en++) start[edgeTo[en]! + 1]!++;
    for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, size);
    for (let en = 0; en < edges; en++) into[fill[edgeTo[en]!]!++] = en;
    const weight = new Float64Array(edges);
    for (let en = 0; en < edges; en++) weight[en] = edgeList[en]!.weight;
    for (const g of goals) {
      const target = ids.get(nodeKey(goal(g)))!;
      const dist = new Float64Array(size).fill(Infinity);
      const next = new Int32Array(size).fill(-1);
      const done = new Uint8Array(size);
      dist[target] = 0;
      const heap = new MinHeap<number>();
      heap.push(0, target);
      while (heap.size) {
        const k = heap.take()!;
        const d = heap.takenKey;
        if (done[k]) continue;
        done[k] = 1;
        for (let j = start[k]!, end = start[k + 1]!; j < end; j++) {
          const en = into[j]!;
          const f = edgeFrom[en]!;
          const nd = d + weight[en]!;
          if (done[f] || nd >= dist[f]!) continue;
          dist[f] = nd;
          next[f] = en;
          heap.push(nd, f);
        }
      }
      for (const subject of subjects) {
        // Every subject was numbered by object when the walk started.
        const sk = byObject.get(subject)!;
        if (!done[sk] || sk === target) continue;
        const raw: Step[] = [];
        for (let k = sk; k !== target; ) {
          const en = next[k]!;
          raw.push(edgeList[en]!);
          k = edgeTo[en]!;
        }
        out.push({ subject, goal: g, steps: collapse(raw), cost: dist[sk]! });
      }
    }
    return order(out);
  }
}

/**
 * A role's entry, with the answers to the fixed queries (pod creation, the checks of identityEdges) its rules
 * name a resource of, found in one pass over its rules (once per process: see roleInfos) (the first rule that allows each, as ruleAt would).
 * A role that answers none of them and lists no names gives no step (about half of a large cluster's): its
 * flags are known at once.
 */
function readRole(role: RoleDef): RoleInfo {
  const named = resourcesNamed(role);
  const info = new RoleInfo(named, role.rules.flatMap((r) => r.resourceNames));
  if (!named) return info;
  const answers = info.answers;
  let any = false;
  for (const rule of role.rules)
    for (const r of rule.resources) {
      const ids = FIXED_BY_RESOURCE.get(r);
      if (ids)
        for (const id of ids)
          if (answers[id] === undefined && ruleAllows(rule, queries[id]!)) {
            answers[id] = rule;
            any = true;
          }
    }
  // The fixed queries it does not answer stay undefined here: ruleAt answers them null from `named` when asked.
  if (!any && info.names.length === 0) {
    info.podMask = NO_PODS;
    info.runsPods = false;
    info.inert = true;
    info.inertFor = EVERY_OPS;
    info.clusterInert = true;
    info.rbacWrites = false;
    if (!named.has('namespaces')) {
      info.relabels = false;
      info.quiet = true;
      info.quietFor = EVERY_OPS;
    }
  }
  return info;
}

/** Merges steps through capability nodes into one step: "create pods in namespace x to run a pod as" + "service account x/y". */
function collapse(raw: Step[]): Step[] {
  const out: Step[] = [];
  let pending: Step | undefined;
  // Membership steps are folded: the next step is the member's ("ServiceAccount a/b -> ...", via the group's binding).
  let member: GraphNode | undefined;
  for (let s of raw) {
    if (s.member) {
      member ??= s.from;
      continue;
    }
    if (member) {
      s = { ...s, from: member };
      member = undefined;
    }
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

/** The `resource[/sub]` values a role's rules name, or null when one names `*` or `*∕sub` (it may match any resource). */
function resourcesNamed(role: RoleDef): Set<string> | null {
  const out = new Set<string>();
  for (const rule of role.rules)
    for (const r of rule.resources) {
      if (r === '*' || r.startsWith('*/')) return null;
      out.add(r);
    }
  return out;
}

/** Index of the lowest set bit of a non-zero 31-bit mask. */
function lowestBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
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
    if (this.keys.length === 0) return undefined;
    const v = this.take()!;
    return [this.takenKey, v];
  }
  /** The key of the value `take` returned last. */
  takenKey = 0;
  /** Removes and returns the value with the smallest key (its key in `takenKey`), without a pair per call. */
  take(): T | undefined {
    const ks = this.keys;
    const vs = this.vals;
    if (ks.length === 0) return undefined;
    this.takenKey = ks[0]!;
    const top = vs[0]!;
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
