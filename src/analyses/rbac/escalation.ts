// The escalation graph: identities (service accounts, users, groups) and goals (cluster-admin,
// all secrets, node root), joined by the steps of escalation-paths (facts numbered as in the
// Rampart docs, docs/rbac.md). Edges are computed lazily with the authorizer-equivalent index.
import type { BindingDef } from './policy.js';
import { MASTERS, groupMemberInfo, serviceAccountUser, userInfo, type Request, type UserInfo } from './match.js';
import { normaliseSubject, type BoundRole, type Grant, type RbacIndex } from './authorizer.js';
import { ruleAllows } from './match.js';
import { POD_CREATORS } from './resources.js';
import type { ClusterFacts } from './facts.js';

export type Goal = 'cluster-admin' | 'secrets' | 'nodes';
export const GOALS: Goal[] = ['cluster-admin', 'secrets', 'nodes'];

export interface Identity {
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  namespace?: string;
}

export type GraphNode = Identity | { kind: 'Goal'; name: Goal };

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
  return n.kind === 'ServiceAccount' ? `ServiceAccount:${n.namespace}:${n.name}` : `${n.kind}:${n.name}`;
}

export function describeNode(n: GraphNode): string {
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

  constructor(
    readonly index: RbacIndex,
    readonly facts: ClusterFacts,
  ) {
    const ns = new Set<string>([...facts.namespaces, ...index.namespaces()]);
    this.namespaces = [...ns].sort();
    const users = new Set<string>();
    for (const b of index.bindings) for (const s of b.subjects) if (s.kind === 'User') users.add(s.name);
    this.users = [...users].sort();
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
      e = n.kind === 'Goal' ? this.goalEdges(n.name) : this.identityEdges(n);
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

  private identityEdges(id: Identity): Step[] {
    const user = userOf(id);
    const from: GraphNode = id;
    const steps: Step[] = [];
    const add = (to: GraphNode, fact: number, action: string, grants: (Grant | undefined)[], weight = 1) =>
      steps.push({ from, to, fact, action, via: uniqueGrants(grants), weight });
    const boundCache = new Map<string, BoundRole[]>();
    const bound = (ns: string) => {
      let b = boundCache.get(ns);
      if (!b) boundCache.set(ns, (b = this.index.boundRoles(user, ns)));
      return b;
    };
    const can = (verbs: string[], apiGroup: string, resource: string, ns: string, subresource = '', name = ''): Grant | undefined => {
      for (const verb of verbs) {
        const req: Request = { kind: 'resource', verb, namespace: ns, apiGroup, resource, subresource, name };
        for (const { binding, role } of bound(ns)) {
          const rule = role.rules.find((r) => ruleAllows(r, req));
          if (rule) return { binding, role, rule, namespace: binding.kind === 'RoleBinding' ? (binding.namespace ?? '') : '' };
        }
      }
      return undefined;
    };

    // Goals reached directly.
    if (user.groups.includes(MASTERS)) add(goal('cluster-admin'), 0, `member of ${MASTERS}, which bypasses authorization`, []);
    for (const { binding, role } of bound('')) {
      const rule = role.rules.find((r) => r.verbs.includes('*') && r.apiGroups.includes('*') && r.resources.includes('*') && r.resourceNames.length === 0);
      if (rule) {
        add(goal('cluster-admin'), 0, `holds * on * in all API groups cluster-wide`, [{ binding, role, rule, namespace: '' }]);
        break;
      }
    }
    const esc = can(['escalate'], RBAC, 'clusterroles', '');
    const upd = can(['update', 'patch'], RBAC, 'clusterroles', '');
    if (esc && upd) add(goal('cluster-admin'), 1, 'escalate + update ClusterRoles: add any permission to a role it is bound to', [esc, upd]);
    const bind = can(['bind'], RBAC, 'clusterroles', '', '', 'cluster-admin');
    const crb = can(['create'], RBAC, 'clusterrolebindings', '');
    if (bind && crb) add(goal('cluster-admin'), 2, 'bind ClusterRole cluster-admin + create ClusterRoleBindings: bind itself to cluster-admin', [bind, crb]);
    const impMasters = can(['impersonate'], '', 'groups', '', '', MASTERS);
    if (impMasters) add(goal('cluster-admin'), 4, `impersonate group ${MASTERS}`, [impMasters]);
    for (const u of this.users) {
      if (id.kind === 'User' && id.name === u) continue;
      const g = can(['impersonate'], '', 'users', '', '', u);
      if (g) add({ kind: 'User', name: u }, 4, `impersonate user ${u}`, [g]);
    }
    const proxy = can(['get', 'create'], '', 'nodes', '', 'proxy');
    if (proxy) add(goal('nodes'), 13, 'nodes/proxy: the kubelet API of every node (exec in any pod, no audit, no admission)', [proxy]);
    const csr = can(['create'], 'certificates.k8s.io', 'certificatesigningrequests', '');
    const approval = can(['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', '', 'approval');
    const signer = can(['approve'], 'certificates.k8s.io', 'signers', '', '', 'kubernetes.io/kube-apiserver-client') ?? can(['approve'], 'certificates.k8s.io', 'signers', '', '', 'kubernetes.io/*');
    if (csr && approval && signer) add(goal('cluster-admin'), 14, `create and approve a client certificate signing request for group ${MASTERS}`, [csr, approval, signer]);
    const mutating = can(['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', '');
    if (mutating) add(goal('nodes'), 15, 'write a mutating webhook configuration: inject privileged containers into admitted pods', [mutating], 2);
    const validating = mutating ?? can(['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', '');
    if (validating) add(goal('secrets'), 15, 'write an admission webhook configuration: receive every admitted object, Secrets included', [validating], 2);
    const pv = can(['create'], '', 'persistentvolumes', '');
    if (pv) add(goal('nodes'), 16, 'create a hostPath PersistentVolume: the node filesystem, unseen by Pod Security Admission', [pv], 2);
    const allSecrets = can(['list', 'watch', 'get'], '', 'secrets', '');
    if (allSecrets) add(goal('secrets'), 8, 'read Secrets in every namespace', [allSecrets]);

    for (const ns of this.namespaces) {
      const sas = [...(this.facts.serviceAccounts.get(ns) ?? new Set(['default']))].sort();
      const self = (sa: string) => id.kind === 'ServiceAccount' && id.namespace === ns && id.name === sa;
      const saNode = (sa: string): GraphNode => ({ kind: 'ServiceAccount', name: sa, namespace: ns });
      let podCreate: Grant | undefined;
      let podWhat = '';
      let podVerb = 'create';
      for (const pc of POD_CREATORS) {
        podCreate = can(['create'], pc.group, pc.resource, ns);
        if (!podCreate && pc.resource !== 'pods') {
          podCreate = can(['update', 'patch'], pc.group, pc.resource, ns);
          if (podCreate) podVerb = 'rewrite the pod template of';
        }
        if (podCreate) {
          podWhat = pc.resource;
          break;
        }
      }
      if (!podCreate) {
        // fact 2, namespaced: bind admin or cluster-admin in the namespace, then create pods there.
        const nsBind = can(['bind'], RBAC, 'clusterroles', ns, '', 'cluster-admin') ?? can(['bind'], RBAC, 'clusterroles', ns, '', 'admin');
        const rb = nsBind && can(['create'], RBAC, 'rolebindings', ns);
        if (nsBind && rb) {
          for (const sa of sas) if (!self(sa)) add(saNode(sa), 2, `bind an admin ClusterRole in namespace ${ns} to itself, then run a pod as ${ns}/${sa}`, [nsBind, rb], 2);
        }
      }
      if (podCreate) {
        for (const sa of sas) if (!self(sa)) add(saNode(sa), 5, `${podVerb} ${podWhat} in namespace ${ns} to run as service account ${sa}`, [podCreate]);
        const level = this.facts.psaEnforce.get(ns);
        const protectedNs = level === 'baseline' || level === 'restricted';
        const relabel = protectedNs ? can(['update', 'patch'], '', 'namespaces', ns, '', ns) : undefined;
        if (!protectedNs) add(goal('nodes'), 6, `${podVerb} ${podWhat} in namespace ${ns} to run a privileged pod (no Pod Security enforce level there)`, [podCreate]);
        else if (relabel) add(goal('nodes'), 17, `relabel namespace ${ns} to lift Pod Security ${level}, then create a privileged pod`, [relabel, podCreate], 2);
      }
      const secretsRead = can(['list', 'watch', 'get'], '', 'secrets', ns);
      if (secretsRead) {
        for (const [sa, secrets] of this.facts.tokenSecrets.get(ns) ?? []) if (!self(sa)) add(saNode(sa), 8, `read token Secret ${secrets[0]} of service account ${ns}/${sa}`, [secretsRead]);
      }
      for (const sa of sas) {
        if (self(sa)) continue;
        const tok = can(['create'], '', 'serviceaccounts', ns, 'token', sa);
        if (tok) add(saNode(sa), 9, `request a token for service account ${ns}/${sa} (serviceaccounts/token)`, [tok]);
        const imp = can(['impersonate'], '', 'serviceaccounts', ns, '', sa);
        if (imp) add(saNode(sa), 4, `impersonate service account ${ns}/${sa}`, [imp]);
      }
      const secretsCreate = can(['create'], '', 'secrets', ns);
      if (secretsCreate) for (const sa of sas) if (!self(sa)) add(saNode(sa), 10, `create a service-account-token Secret for ${ns}/${sa}`, [secretsCreate], 2);
      const running = this.facts.runningAs.get(ns);
      if (running && running.size) {
        const exec = can(['create', 'get'], '', 'pods', ns, 'exec') ?? can(['create', 'get'], '', 'pods', ns, 'attach');
        const eph = exec ? undefined : can(['update', 'patch'], '', 'pods', ns, 'ephemeralcontainers');
        for (const [sa, workloads] of running) {
          if (self(sa)) continue;
          if (exec) add(saNode(sa), 11, `exec into ${workloads[0]} in namespace ${ns} and use its token`, [exec]);
          else if (eph) add(saNode(sa), 12, `add an ephemeral container to ${workloads[0]} in namespace ${ns} and use its token`, [eph]);
        }
      }
    }
    return steps;
  }

  /** Cheapest path (Dijkstra; most steps weigh 1) from an identity to a goal. */
  shortestPath(start: Identity, target: Goal): EscalationPath | undefined {
    const startKey = nodeKey(start);
    const dist = new Map<string, number>([[startKey, 0]]);
    const prev = new Map<string, Step>();
    const done = new Set<string>();
    const queue: { key: string; node: GraphNode; d: number }[] = [{ key: startKey, node: start, d: 0 }];
    const targetKey = nodeKey(goal(target));
    while (queue.length) {
      let bi = 0;
      for (let i = 1; i < queue.length; i++) if (queue[i]!.d < queue[bi]!.d) bi = i;
      const cur = queue.splice(bi, 1)[0]!;
      if (done.has(cur.key)) continue;
      done.add(cur.key);
      if (cur.key === targetKey) break;
      for (const s of this.edgesFrom(cur.node)) {
        const k = nodeKey(s.to);
        const nd = cur.d + s.weight;
        if (done.has(k) || nd >= (dist.get(k) ?? Infinity)) continue;
        dist.set(k, nd);
        prev.set(k, s);
        queue.push({ key: k, node: s.to, d: nd });
      }
    }
    if (!prev.has(targetKey)) return undefined;
    const steps: Step[] = [];
    for (let k = targetKey; k !== startKey; ) {
      const s = prev.get(k)!;
      steps.unshift(s);
      k = nodeKey(s.from);
    }
    return { subject: start, goal: target, steps, cost: dist.get(targetKey)! };
  }

  /** Shortest paths for the subjects (default: startingSubjects) to the goals; cluster-admin paths first. */
  paths(goals: Goal[] = ['cluster-admin'], subjects: Identity[] = this.startingSubjects()): EscalationPath[] {
    const out: EscalationPath[] = [];
    for (const s of subjects) for (const g of goals) {
      const p = this.shortestPath(s, g);
      if (p) out.push(p);
    }
    return out.sort((a, b) => GOALS.indexOf(a.goal) - GOALS.indexOf(b.goal) || a.cost - b.cost || nodeKey(a.subject).localeCompare(nodeKey(b.subject)));
  }
}
