// An index over an RBAC policy that answers like the Kubernetes RBAC authorizer:
// ClusterRoleBindings apply everywhere, RoleBindings only in their namespace, non-resource URLs
// only through ClusterRoleBindings, aggregated ClusterRoles take the union of the roles they select.
import { selectorMatches } from '../../model/index.js';
import type { BindingDef, Policy, PolicyIssue, PolicyRule, RoleDef, SubjectRef } from './policy.js';
import { appliesTo, ruleAllows, rulesAllow, type Request, type UserInfo } from './match.js';

export interface Grant {
  binding: BindingDef;
  role: RoleDef;
  rule: PolicyRule;
  /** Namespace the grant holds in; '' = cluster-wide (a ClusterRoleBinding). */
  namespace: string;
}

export interface Via {
  binding: string;
  bindingKind: BindingDef['kind'];
  role: string;
  roleKind: RoleDef['kind'];
  /** Namespace of the RoleBinding (absent for ClusterRoleBindings). */
  namespace?: string;
}

export interface WhoCanSubject {
  kind: string;
  name: string;
  namespace?: string;
  via: Via[];
}

/** A binding subject as the authorizer sees it, with a stable key. */
interface NormalSubject {
  key: string;
  subject: { kind: string; name: string; namespace?: string };
  /**
   * Set at the first who-can (see rankSubjects): a dense number per subject (0..n-1, in output order), and
   * its place in who-can's output order (distinct subjects the collator holds equal share a place).
   */
  id: number;
  rank: number;
}

interface ScopeEntry {
  role: RoleDef;
  bindings: BindingDef[];
  /** Each binding's normalised subjects (parallel to bindings). */
  subjects: NormalSubject[][];
  pos: number;
  /** The role's number (see roleNums), for the per-query "allowed?" marks. */
  rid: number;
}

interface ScopeIndex {
  exact: Map<string, ScopeEntry[]>;
  wildcard: ScopeEntry[];
}

export interface BoundRole {
  binding: BindingDef;
  role: RoleDef;
}

export interface IndexOptions {
  /**
   * `cluster-admin` exists in every cluster with fixed rules; when the policy does not define it
   * (no bootstrap defaults loaded), assume it so bindings to it still resolve. Default true.
   */
  assumeClusterAdmin?: boolean;
}

/** Roles with at most this many rules are matched rule by rule; longer ones through an index of their rules by resource. */
const SHORT_RULES = 8;

/** The order of String.prototype.localeCompare, without its per-call cost. */
export const COLLATOR = new Intl.Collator();

export const CLUSTER_ADMIN_RULES: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [], index: 0 },
  { verbs: ['*'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['*'], index: 1 },
];

export function roleKey(kind: string, name: string, namespace?: string): string {
  return kind === 'Role' ? `Role/${namespace ?? ''}/${name}` : `ClusterRole//${name}`;
}

function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

/** Computes aggregated ClusterRoles to a fixpoint (aggregated roles may select other aggregated roles). */
export function aggregate(roles: RoleDef[]): RoleDef[] {
  const clusterRoles = roles.filter((r) => r.kind === 'ClusterRole');
  const aggregated = clusterRoles.filter((r) => r.aggregation);
  if (aggregated.length === 0) return roles;
  // Which roles each aggregated role selects does not change while rules are merged: compute it once.
  const selects = selectedRoles(aggregated, clusterRoles);
  const keys = new WeakMap<PolicyRule, string>();
  const keyOf = (r: PolicyRule) => {
    let k = keys.get(r);
    if (k === undefined) keys.set(r, (k = ruleKey(r)));
    return k;
  };
  const current = new Map<RoleDef, PolicyRule[]>(roles.map((r) => [r, r.aggregation ? [] : r.rules]));
  const seen = new Map<RoleDef, Set<string>>(aggregated.map((a) => [a, new Set<string>()]));
  // Rule lists only grow (by appending), and a rule once looked at stays seen: each pass starts, per
  // selected role, where the last one stopped (same order and result as re-reading every list).
  const read = new Map<RoleDef, number[]>(aggregated.map((a) => [a, selects.get(a)!.map(() => 0)]));
  for (let pass = 0; pass <= aggregated.length; pass++) {
    let changed = false;
    for (const agg of aggregated) {
      const out = current.get(agg)!;
      const have = seen.get(agg)!;
      const picked = selects.get(agg)!;
      const from = read.get(agg)!;
      for (let j = 0; j < picked.length; j++) {
        const cr = picked[j]!;
        const list = current.get(cr)!;
        for (let i = from[j]!; i < list.length; i++) {
          const rule = list[i]!;
          const k = keyOf(rule);
          if (have.has(k)) continue;
          have.add(k);
          out.push(rule.from ? rule : { ...rule, from: cr.name });
          changed = true;
        }
        from[j] = list.length;
      }
    }
    if (!changed) break;
  }
  return roles.map((r) => (r.aggregation ? { ...r, rules: current.get(r)! } : r));
}

/**
 * The ClusterRoles each aggregated role selects (itself excluded), in the roles' order. A selector with
 * matchLabels looks only at the roles carrying the rarest of its label pairs (an index built once per
 * call), not at every ClusterRole; selectorMatches still decides.
 */
function selectedRoles(aggregated: readonly RoleDef[], clusterRoles: readonly RoleDef[]): Map<RoleDef, RoleDef[]> {
  const position = new Map<RoleDef, number>();
  const byPair = new Map<string, RoleDef[]>();
  clusterRoles.forEach((cr, i) => {
    position.set(cr, i);
    for (const k of Object.keys(cr.labels)) {
      const key = `${k}\u0000${String(cr.labels[k])}`;
      const list = byPair.get(key);
      if (list) list.push(cr);
      else byPair.set(key, [cr]);
    }
  });
  const out = new Map<RoleDef, RoleDef[]>();
  for (const agg of aggregated) {
    const picked = new Set<RoleDef>();
    for (const sel of agg.aggregation!) {
      let pool: readonly RoleDef[] = clusterRoles;
      for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
        const list = byPair.get(`${k}\u0000${String(v)}`) ?? [];
        if (list.length < pool.length) pool = list;
      }
      for (const cr of pool) if (cr !== agg && selectorMatches(sel, cr.labels)) picked.add(cr);
    }
    out.set(agg, [...picked].sort((a, b) => position.get(a)! - position.get(b)!));
  }
  return out;
}

export class RbacIndex {
  readonly roles = new Map<string, RoleDef>();
  readonly bindings: BindingDef[];
  readonly clusterRoleBindings: BindingDef[] = [];
  readonly roleBindingsByNamespace = new Map<string, BindingDef[]>();
  /** Bindings whose role cannot be found, or that are invalid: they grant nothing, and the answer may be incomplete. */
  readonly issues: PolicyIssue[] = [];
  private resolved = new Map<BindingDef, RoleDef | undefined>();
  /**
   * Subject key (see subjectKeys) → bindings naming it, each with the role it grants (undefined: none),
   * for fast "what is bound to this user". One entry object per binding, handed out as a shared BoundRole.
   */
  private bySubject = new Map<string, { binding: BindingDef; role: RoleDef | undefined }[]>();
  /** Bindings grouped by the role they grant (namespace '' = ClusterRoleBindings), so who-can checks each role once. */
  private byRole = new Map<string, Map<RoleDef, BindingDef[]>>();
  /** Each binding's subjects as the authorizer sees them, with a stable key (computed once, reused by every query). */
  private normalised = new Map<BindingDef, NormalSubject[]>();

  private scopeIndexes = new Map<string, ScopeIndex>();
  /** A number per bound role, so who-can marks each role's verdict in an array (decided) instead of a Map per query. */
  private roleNums = new Map<RoleDef, number>();
  /** Per role number, within one query only: 0 not judged yet, 1 allowed, 2 not (reset after each query). */
  private decided = new Uint8Array(0);
  /** Every binding subject's place in who-can's output order (kind, namespace, name), so answers sort by number. */
  private ranked = false;
  /** Whether two distinct subjects share a place (then answers sort by place, stably, instead of by number). */
  private rankTies = false;
  /** A subject's place by its number (used only with rankTies). */
  private rankOfId: number[] = [];
  /** who-can's answer entries by subject number while one answer is built (cleared after each). */
  private slots: (WhoCanSubject | undefined)[] = [];
  /** Per role with many rules: its rules by the resource they name, and those naming a wildcard (see roleAllows). */
  private rulesByResource = new Map<RoleDef, { byResource: Map<string, PolicyRule[]>; wild: PolicyRule[] }>();
  /** Position of each binding in the policy, so answers built from the subject index keep the authorizer's order. */
  private bindingPos = new Map<BindingDef, number>();

  constructor(policy: Policy, opts: IndexOptions = {}) {
    this.issues.push(...policy.issues);
    for (const r of aggregate(policy.roles)) this.roles.set(roleKey(r.kind, r.name, r.namespace), r);
    if ((opts.assumeClusterAdmin ?? true) && !this.roles.has(roleKey('ClusterRole', 'cluster-admin'))) {
      this.roles.set(roleKey('ClusterRole', 'cluster-admin'), { kind: 'ClusterRole', name: 'cluster-admin', labels: {}, rules: CLUSTER_ADMIN_RULES, bootstrap: true });
    }
    this.bindings = policy.bindings;
    policy.bindings.forEach((b, i) => this.bindingPos.set(b, i));
    for (const b of policy.bindings) {
      const role = this.resolve(b);
      this.resolved.set(b, role);
      const norm: NormalSubject[] = [];
      this.normalised.set(b, norm);
      const entry = { binding: b, role };
      for (const sub of b.subjects) {
        const n = normaliseSubject(sub, b);
        if (!n) continue;
        norm.push({ key: `${n.kind}\u0000${n.namespace ?? ''}\u0000${n.name}`, subject: n, id: -1, rank: -1 });
        const key = n.kind === 'ServiceAccount' ? `User\u0000system:serviceaccount:${n.namespace}:${n.name}` : `${n.kind}\u0000${n.name}`;
        const list = this.bySubject.get(key);
        if (!list) this.bySubject.set(key, [entry]);
        else if (list[list.length - 1] !== entry) list.push(entry);
      }
      if (role) {
        const scope = b.kind === 'ClusterRoleBinding' ? '' : (b.namespace ?? '');
        let m = this.byRole.get(scope);
        if (!m) this.byRole.set(scope, (m = new Map()));
        const list = m.get(role);
        if (list) list.push(b);
        else m.set(role, [b]);
        if (!this.roleNums.has(role)) this.roleNums.set(role, this.roleNums.size);
      }
      if (b.kind === 'ClusterRoleBinding') this.clusterRoleBindings.push(b);
      else {
        const ns = b.namespace ?? '';
        const list = this.roleBindingsByNamespace.get(ns);
        if (list) list.push(b);
        else this.roleBindingsByNamespace.set(ns, [b]);
      }
    }
  }

  /** The role a binding references, or why it grants nothing. */
  private lookup(b: BindingDef): RoleDef | string {
    if (b.roleRef.kind !== 'ClusterRole' && b.roleRef.kind !== 'Role') return `roleRef kind "${b.roleRef.kind}" is not Role or ClusterRole; it grants nothing`;
    if (b.kind === 'ClusterRoleBinding' && b.roleRef.kind === 'Role') return 'a ClusterRoleBinding can only reference a ClusterRole; it grants nothing';
    return (
      this.roles.get(roleKey(b.roleRef.kind, b.roleRef.name, b.namespace)) ??
      `${b.roleRef.kind} "${b.roleRef.name}" is not in the input${b.roleRef.kind === 'Role' ? ` (namespace ${b.namespace})` : ''}; what it grants could not be evaluated`
    );
  }

  private resolve(b: BindingDef): RoleDef | undefined {
    const role = this.lookup(b);
    if (typeof role !== 'string') return role;
    this.issues.push({ message: `${b.kind} ${b.namespace ? b.namespace + '/' : ''}${b.name}: ${role}`, path: '/roleRef', ...(b.resource ? { resource: b.resource } : {}) });
    return undefined;
  }

  /** The role a binding grants; a binding that is not part of the policy is looked up without recording issues. */
  roleOf(b: BindingDef): RoleDef | undefined {
    if (this.resolved.has(b)) return this.resolved.get(b);
    const role = this.lookup(b);
    return typeof role === 'string' ? undefined : role;
  }

  /** Namespaces that hold Roles or RoleBindings. */
  namespaces(): string[] {
    const s = new Set<string>(this.roleBindingsByNamespace.keys());
    for (const r of this.roles.values()) if (r.namespace) s.add(r.namespace);
    return [...s].sort();
  }

  /** Bindings (with their roles) that apply to the user for a request in `namespace` ('' = cluster scope only). */
  boundRoles(user: UserInfo, namespace: string): BoundRole[] {
    const out: BoundRole[] = [];
    const visit = (b: BindingDef) => {
      const role = this.roleOf(b);
      if (role && b.subjects.some((s) => appliesTo(user, s, b.namespace ?? ''))) out.push({ binding: b, role });
    };
    this.clusterRoleBindings.forEach(visit);
    if (namespace) (this.roleBindingsByNamespace.get(namespace) ?? []).forEach(visit);
    return out;
  }

  /**
   * Every role bound to the user: cluster-wide ones (ClusterRoleBindings) and, per namespace,
   * the ones from RoleBindings. Uses the subject index, so it costs what the user holds, not the policy size.
   */
  rolesFor(user: UserInfo): { cluster: BoundRole[]; byNamespace: Map<string, BoundRole[]> } {
    return this.rolesOfSubjects([`User\u0000${user.name}`, ...user.groups.map((g) => `Group\u0000${g}`)]);
  }

  /** Roles bound to exactly these subjects (`User\0name`, `Group\0name`), without implied groups. The BoundRole objects are shared: read-only. */
  rolesOfSubjects(keys: string[]): { cluster: BoundRole[]; byNamespace: Map<string, BoundRole[]> } {
    const cluster: BoundRole[] = [];
    const byNamespace = new Map<string, BoundRole[]>();
    // One key lists each binding once; several keys may share bindings.
    const seen = keys.length > 1 ? new Set<BindingDef>() : undefined;
    for (const key of keys) {
      for (const entry of this.bySubject.get(key) ?? []) {
        const b = entry.binding;
        if (seen) {
          if (seen.has(b)) continue;
          seen.add(b);
        }
        if (!entry.role) continue;
        const bound = entry as BoundRole;
        if (b.kind === 'ClusterRoleBinding') cluster.push(bound);
        else {
          const ns = b.namespace ?? '';
          const list = byNamespace.get(ns);
          if (list) list.push(bound);
          else byNamespace.set(ns, [bound]);
        }
      }
    }
    return { cluster, byNamespace };
  }

  /** The first grant that allows the request, as the authorizer would find it; undefined = denied. */
  allows(user: UserInfo, req: Request): Grant | undefined {
    const namespace = req.kind === 'resource' ? req.namespace : '';
    // The subject index gives the user's bindings; in policy order they are what boundRoles would list.
    const { cluster, byNamespace } = this.rolesFor(user);
    const pos = (x: BoundRole) => this.bindingPos.get(x.binding) ?? 0;
    const bound = [...cluster.sort((a, b) => pos(a) - pos(b)), ...(namespace ? (byNamespace.get(namespace) ?? []).sort((a, b) => pos(a) - pos(b)) : [])];
    for (const { binding, role } of bound) {
      const rule = role.rules.find((r) => ruleAllows(r, req));
      if (rule) return { binding, role, rule, namespace: binding.kind === 'RoleBinding' ? (binding.namespace ?? '') : '' };
    }
    return undefined;
  }

  /**
   * Per scope ('' = ClusterRoleBindings, else a namespace's RoleBindings): `resource[/sub]` → the
   * roles with a rule naming it, and the roles with a rule on `*` (or `*∕sub`) resources, each in the
   * scope's order (a role is in the wildcard list or in the exact ones, never both).
   */
  private scopeIndex(scope: string, m: Map<RoleDef, BindingDef[]>): ScopeIndex {
    let idx = this.scopeIndexes.get(scope);
    if (idx) return idx;
    // Built for every scope at the first query, so later queries (-A visits them all) pay nothing.
    if (this.scopeIndexes.size === 0) for (const [sc, sm] of this.byRole) if (sc !== scope) this.scopeIndexes.set(sc, this.buildScopeIndex(sm));
    idx = this.buildScopeIndex(m);
    this.scopeIndexes.set(scope, idx);
    return idx;
  }

  private buildScopeIndex(m: Map<RoleDef, BindingDef[]>): ScopeIndex {
    let idx: ScopeIndex;
    idx = { exact: new Map(), wildcard: [] };
    let pos = 0;
    for (const [role, bindings] of m) {
      const entry: ScopeEntry = { role, bindings, subjects: bindings.map((b) => this.normalised.get(b) ?? []), pos: pos++, rid: this.roleNums.get(role)! };
      if (role.rules.some((r) => r.resources.some((x) => x === '*' || x.startsWith('*/')))) {
        idx.wildcard.push(entry);
        continue;
      }
      // Keyed by resource only: the API group is left to ruleAllows (so `*` groups need no list of their own).
      const keys = new Set<string>();
      for (const r of role.rules) for (const x of r.resources) keys.add(x);
      for (const k of keys) {
        const list = idx.exact.get(k);
        if (list) list.push(entry);
        else idx.exact.set(k, [entry]);
      }
    }
    return idx;
  }

  /** Every binding subject that the request is allowed for, with the bindings and roles that allow it. */
  whoCan(req: Request, opts: { allNamespaces?: boolean } = {}): WhoCanSubject[] {
    const namespace = req.kind === 'resource' ? req.namespace : '';
    this.rankSubjects();
    const slots = this.slots;
    const found: number[] = [];
    const combined = req.kind === 'resource' ? (req.subresource ? `${req.resource}/${req.subresource}` : req.resource) : '';
    // A ClusterRole bound in many namespaces (edit, view, aggregated roles with hundreds of rules) is met once
    // per namespace by `-A`: it is judged once per query (marks by role number, cleared in `finally`).
    const decided = this.decided;
    const judged: number[] = [];
    const visit = (role: RoleDef, rid: number, bindings: BindingDef[], normal?: NormalSubject[][]) => {
      let mark = decided[rid]!;
      if (mark === 0) {
        mark = this.roleAllows(role, req, combined) ? 1 : 2;
        decided[rid] = mark;
        judged.push(rid);
      }
      if (mark !== 1) return;
      for (let i = 0; i < bindings.length; i++) {
        const b = bindings[i]!;
        // One via per binding, listed under each of its subjects (the same content for each).
        let via: Via | undefined;
        for (const { id, subject } of normal ? normal[i]! : (this.normalised.get(b) ?? [])) {
          via ??= b.namespace
            ? { binding: b.name, bindingKind: b.kind, role: role.name, roleKind: role.kind, namespace: b.namespace }
            : { binding: b.name, bindingKind: b.kind, role: role.name, roleKind: role.kind };
          const entry = slots[id];
          if (entry) {
            entry.via.push(via);
            continue;
          }
          // Most subjects have one via: a one-element literal, not an empty array that the first push grows to 16 slots.
          slots[id] = subject.namespace === undefined ? { kind: subject.kind, name: subject.name, via: [via] } : { kind: subject.kind, name: subject.name, namespace: subject.namespace, via: [via] };
          found.push(id);
        }
      }
    };
    const visitEntry = (e: ScopeEntry) => visit(e.role, e.rid, e.bindings, e.subjects);
    const visitScope = (scope: string, m: Map<RoleDef, BindingDef[]> | undefined) => {
      if (!m) return;
      if (req.kind !== 'resource') {
        for (const [role, bindings] of m) visit(role, this.roleNums.get(role)!, bindings);
        return;
      }
      this.forEachInScope(this.scopeIndex(scope, m), combined, visitEntry);
    };
    try {
      visitScope('', this.byRole.get(''));
      if (opts.allNamespaces && req.kind === 'resource') {
        // Anyone allowed in at least one namespace (RoleBindings of every namespace, in scope order; `via` names the namespace).
        for (const [scope, m] of this.byRole) if (scope) visitScope(scope, m);
      } else if (namespace) visitScope(namespace, this.byRole.get(namespace));
      // Numbers follow the output order; with ties, subjects that share a place keep the order they were found in (stable sort).
      const rankOf = this.rankOfId;
      const order: ArrayLike<number> = this.rankTies ? found.slice().sort((a, b) => rankOf[a]! - rankOf[b]!) : Int32Array.from(found).sort();
      const out: WhoCanSubject[] = new Array(order.length);
      for (let i = 0; i < order.length; i++) out[i] = slots[order[i]!]!;
      return out;
    } finally {
      for (const id of found) slots[id] = undefined;
      for (const rid of judged) decided[rid] = 0;
    }
  }

  /**
   * Whether a role's rules allow the request. A role with many rules (aggregated and bootstrap ClusterRoles) is
   * matched only against its rules naming the request's resource and those naming `*` or `*∕sub` (an index
   * built once per role): "any rule allows" does not depend on the order rules are tried in.
   */
  private roleAllows(role: RoleDef, req: Request, combined: string): boolean {
    if (req.kind !== 'resource' || role.rules.length <= SHORT_RULES) return rulesAllow(role.rules, req, combined);
    let idx = this.rulesByResource.get(role);
    if (!idx) {
      idx = { byResource: new Map(), wild: [] };
      for (const rule of role.rules)
        for (const r of new Set(rule.resources)) {
          if (r === '*' || r.startsWith('*/')) {
            if (idx.wild[idx.wild.length - 1] !== rule) idx.wild.push(rule);
            continue;
          }
          const list = idx.byResource.get(r);
          if (list) list.push(rule);
          else idx.byResource.set(r, [rule]);
        }
      this.rulesByResource.set(role, idx);
    }
    const named = idx.byResource.get(combined);
    return (named !== undefined && rulesAllow(named, req, combined)) || rulesAllow(idx.wild, req, combined);
  }

  /**
   * Calls fn for the roles of one scope whose rules name the resource (or a wildcard), in the scope's order so
   * `via` lists stay stable: a merge of the two lists by position, with no list built per query or per resource.
   */
  private forEachInScope(idx: ScopeIndex, combined: string, fn: (e: ScopeEntry) => void): void {
    const exact = idx.exact.get(combined);
    const wild = idx.wildcard;
    if (!exact) {
      for (let j = 0; j < wild.length; j++) fn(wild[j]!);
      return;
    }
    let i = 0;
    let j = 0;
    while (i < exact.length && j < wild.length) fn(exact[i]!.pos < wild[j]!.pos ? exact[i++]! : wild[j++]!);
    while (i < exact.length) fn(exact[i++]!);
    while (j < wild.length) fn(wild[j++]!);
  }

  /**
   * Numbers every binding subject, and its place in who-can's output order (kind, then namespace, then
   * name, each by the collator), so an answer sorts by number. Each field's distinct values are sorted
   * once (a few thousand strings, not every subject). Values the collator holds equal share a place, and
   * an answer lists such subjects in the order found — what the stable sort by the collator gave.
   */
  private rankSubjects(): void {
    if (this.ranked) return;
    this.ranked = true;
    const all: NormalSubject[] = [];
    for (const list of this.normalised.values()) for (const n of list) all.push(n);
    // Per distinct value: its own number (distinct values never share one) and its place (equal values share one).
    const field = (values: string[]) => {
      const sorted = [...new Set(values)].sort(COLLATOR.compare);
      const out = new Map<string, { own: number; place: number }>();
      sorted.forEach((v, i) => out.set(v, { own: i, place: i > 0 && COLLATOR.compare(sorted[i - 1]!, v) === 0 ? out.get(sorted[i - 1]!)!.place : i }));
      return out;
    };
    const kinds = field(all.map((n) => n.subject.kind));
    const namespaces = field(all.map((n) => n.subject.namespace ?? ''));
    const names = field(all.map((n) => n.subject.name));
    for (const n of all) {
      const k = kinds.get(n.subject.kind)!;
      const ns = namespaces.get(n.subject.namespace ?? '')!;
      const name = names.get(n.subject.name)!;
      n.id = (k.own * namespaces.size + ns.own) * names.size + name.own;
      n.rank = (k.place * namespaces.size + ns.place) * names.size + name.place;
    }
    // Dense numbers in (place, own number) order, so an answer sorts as plain integers and indexes an array.
    const distinct = new Map<number, number>();
    for (const n of all) distinct.set(n.id, n.rank);
    const byPlace = [...distinct].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const dense = new Map<number, number>();
    byPlace.forEach(([id, rank], i) => {
      dense.set(id, i);
      this.rankOfId.push(rank);
      if (i > 0 && byPlace[i - 1]![1] === rank) this.rankTies = true;
    });
    for (const n of all) n.id = dense.get(n.id)!;
    this.slots = new Array<WhoCanSubject | undefined>(byPlace.length).fill(undefined);
    this.decided = new Uint8Array(this.roleNums.size);
  }
}

/** A binding subject as the authorizer sees it; undefined when it can match nobody. */
export function normaliseSubject(s: SubjectRef, b: BindingDef): { kind: string; name: string; namespace?: string } | undefined {
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || b.namespace;
    if (!ns) return undefined;
    return { kind: s.kind, name: s.name, namespace: ns };
  }
  if (s.kind !== 'User' && s.kind !== 'Group') return undefined;
  return { kind: s.kind, name: s.name };
}
