// An index over an RBAC policy that answers like the Kubernetes RBAC authorizer:
// ClusterRoleBindings apply everywhere, RoleBindings only in their namespace, non-resource URLs
// only through ClusterRoleBindings, aggregated ClusterRoles take the union of the roles they select.
import { selectorMatches } from '../../model/index.js';
import type { BindingDef, Policy, PolicyIssue, PolicyRule, RoleDef, SubjectRef } from './policy.js';
import { policyRule, roleDef } from './policy.js';
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
  /** The array is the answer's own; each Via object is shared by the answers of one index (read-only). */
  via: Via[];
}

/** A binding subject as the authorizer sees it, with a stable key. */
interface NormalSubject {
  subject: { kind: string; name: string; namespace?: string };
  /**
   * Set when who-can's tables are built (see rankSubjects): a dense number per subject (0..n-1, in output order), and
   * its place in who-can's output order (distinct subjects the collator holds equal share a place).
   */
  id: number;
  rank: number;
}

/**
 * who-can's tables, built once per index (RbacIndex.prepareWhoCan). All the hot path reads is integers:
 * the strings of rules (verbs, API groups, resources) are numbered, so matching compares numbers, and
 * request objects or strings of any shape or origin meet the same compiled code.
 *
 * An entry is one (scope, role) pair; entries are numbered in the order who-can visits them
 * (ClusterRoleBindings first, then each namespace in policy order, roles in the order the scope first binds
 * them), so visiting any set of entries in ascending order gives the `via` lists the authorizer's order.
 * Grants are the entries' bindings, subjects the grants' binding subjects by dense number (in output
 * order). Flat typed arrays: little for the GC to copy.
 */
interface WhoCanTables {
  /** Number of each verb, API group and resource string the rules name ('*' is STAR). */
  ids: Map<string, number>;
  /** Per entry, its role's number (rid). */
  entryRole: Int32Array;
  /** Grants of entry e: [entryFirst[e], entryFirst[e + 1]). */
  entryFirst: Int32Array;
  /** Per grant, its `via` (one object per binding, shared by every answer). */
  grantVia: readonly Via[];
  /** Subjects of grant g: subjectIds[grantFirst[g] .. grantFirst[g + 1]). */
  grantFirst: Int32Array;
  subjectIds: Int32Array;
  /** Per scope ('' = ClusterRoleBindings, else a namespace): its number, and its entries [scopeFirst[s], scopeFirst[s + 1]). */
  scopeNo: Map<string, number>;
  scopeFirst: Int32Array;
  /**
   * Entry lists, each ascending: listOf.get(scope number × keys + resource number) → the list of the scope's
   * entries whose role has a rule naming that resource; resource number `keys - 1`: those whose role has a
   * rule on `*` or `*∕sub` (never also in a named list). Scope number `scopes`: over every scope (what `-A` visits).
   */
  listOf: Map<number, number>;
  keys: number;
  lists: Int32Array;
  listFirst: Int32Array;
  /**
   * Rules as numbers: a rule at offset o is [verb count, verbs…, group count, groups…, resource count,
   * resources…, index into names or -1 when it lists no resourceNames].
   */
  code: Int32Array;
  names: readonly (readonly string[])[];
  /** Per role number, the offsets of its rules: roleRules[roleFirst[rid] .. roleFirst[rid + 1]). */
  roleFirst: Int32Array;
  roleRules: Int32Array;
  /** Per role number with many rules: its rules by the resource number they name, and those naming a wildcard (see roleGrants). */
  longRoles: (LongRole | undefined)[];
  /** Per role number (non-resource requests are matched on the role's own rules). */
  roles: readonly RoleDef[];
  /** Per subject number: the subject as who-can lists it. */
  people: readonly { kind: string; name: string; namespace?: string }[];
  /** A subject's place by its number, when two distinct subjects share one (then answers sort by place, stably); else undefined. */
  rankOfId: readonly number[] | undefined;
  /** Per role number, within one query only: 0 not judged yet, 1 allowed, 2 not (reset after each query). */
  decided: Uint8Array;
  /** The via list of each subject number answered while one answer is built (cleared after each). */
  vias: (Via[] | undefined)[];
}

/** A role with many rules (aggregated and bootstrap ClusterRoles), by resource number: rule offsets in TABLES.code. */
interface LongRole {
  byResource: Map<number, number[]>;
  wild: number[];
}

/** The number of '*' in WhoCanTables.ids. */
const STAR = 0;

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

let collatorMade: Intl.Collator | undefined;
/**
 * The order of String.prototype.localeCompare, without its per-call cost. Made on first use: the
 * process's first ICU collator loads ICU's collation data (8-40 ms), which a scan without RBAC objects
 * (a pre-commit hook's one file) should not pay at start.
 */
export const collator = (): Intl.Collator => (collatorMade ??= new Intl.Collator());

export const CLUSTER_ADMIN_RULES: PolicyRule[] = [
  policyRule(['*'], ['*'], ['*'], [], [], 0, undefined),
  policyRule(['*'], [], [], [], ['*'], 1, undefined),
];

export function roleKey(kind: string, name: string, namespace?: string): string {
  return kind === 'Role' ? `Role/${namespace ?? ''}/${name}` : `ClusterRole//${name}`;
}

function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

/** Each rule's key, once per process: rules are never written after they are read, and a scan's worlds share the bootstrap roles' rules. */
const ruleKeys = new WeakMap<PolicyRule, string>();
const keyOf = (r: PolicyRule) => {
  let k = ruleKeys.get(r);
  if (k === undefined) ruleKeys.set(r, (k = ruleKey(r)));
  return k;
};

/** Computes aggregated ClusterRoles to a fixpoint (aggregated roles may select other aggregated roles). */
export function aggregate(roles: RoleDef[]): RoleDef[] {
  const clusterRoles = roles.filter((r) => r.kind === 'ClusterRole');
  const aggregated = clusterRoles.filter((r) => r.aggregation);
  if (aggregated.length === 0) return roles;
  // Which roles each aggregated role selects does not change while rules are merged: compute it once.
  const selects = selectedRoles(aggregated, clusterRoles);
  // The same aggregated roles selecting the same roles (every world of a scan that adds none to the
  // bootstrap ones): the same result, and the same objects, so what is cached per role serves every world.
  const recent = aggregations.get(aggregated[0]!);
  const prior = recent?.find((a) => sameSelection(a, aggregated, selects));
  if (prior) return roles.map((r) => (r.aggregation ? prior.result.get(r)! : r));
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
          out.push(rule.from ? rule : policyRule(rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs, rule.index, cr.name));
          changed = true;
        }
        from[j] = list.length;
      }
    }
    if (!changed) break;
  }
  const result = new Map<RoleDef, RoleDef>(aggregated.map((r) => [r, roleDef(r.kind, r.name, r.labels, current.get(r)!, r.bootstrap, r.resource, r.namespace, r.aggregation)]));
  const made: Aggregation = { aggregated, selects, result };
  if (!recent) aggregations.set(aggregated[0]!, [made]);
  else {
    if (recent.length >= RECENT_AGGREGATIONS) recent.shift();
    recent.push(made);
  }
  return roles.map((r) => (r.aggregation ? result.get(r)! : r));
}

interface Aggregation {
  aggregated: readonly RoleDef[];
  selects: ReadonlyMap<RoleDef, readonly RoleDef[]>;
  result: ReadonlyMap<RoleDef, RoleDef>;
}

/**
 * The last few aggregations made, by their first aggregated role (roles and their rules are never written
 * after they are read): worlds that add aggregated rules of their own do not evict the bootstrap-only one.
 */
const aggregations = new WeakMap<RoleDef, Aggregation[]>();
const RECENT_AGGREGATIONS = 4;

function sameSelection(prior: Aggregation, aggregated: readonly RoleDef[], selects: ReadonlyMap<RoleDef, readonly RoleDef[]>): boolean {
  if (prior.aggregated.length !== aggregated.length) return false;
  for (let i = 0; i < aggregated.length; i++) {
    const agg = aggregated[i]!;
    if (prior.aggregated[i] !== agg) return false;
    const a = prior.selects.get(agg)!;
    const b = selects.get(agg)!;
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  }
  return true;
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

  /** A number per bound role, so who-can marks each role's verdict in an array instead of a Map per query. */
  private roleNums = new Map<RoleDef, number>();
  /** who-can's tables (see prepareWhoCan). */
  private tables: WhoCanTables | undefined;
  /** Position of each binding in the policy, so answers built from the subject index keep the authorizer's order. */
  private bindingPos = new Map<BindingDef, number>();

  constructor(policy: Policy, opts: IndexOptions = {}) {
    this.issues.push(...policy.issues);
    for (const r of aggregate(policy.roles)) this.roles.set(roleKey(r.kind, r.name, r.namespace), r);
    if ((opts.assumeClusterAdmin ?? true) && !this.roles.has(roleKey('ClusterRole', 'cluster-admin'))) {
      this.roles.set(roleKey('ClusterRole', 'cluster-admin'), roleDef('ClusterRole', 'cluster-admin', {}, CLUSTER_ADMIN_RULES, true, undefined, undefined, undefined));
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
        norm.push({ subject: n, id: -1, rank: -1 });
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
   * Builds who-can's tables now (subject numbering, per-scope role lists, rules prepared for matching). A
   * caller that will ask who-can (a server, a bench timing queries) builds them with the index, so no answer
   * pays for them; otherwise the first who-can does. Idempotent.
   */
  prepareWhoCan(): void {
    this.tables ??= this.buildWhoCanTables();
  }

  private buildWhoCanTables(): WhoCanTables {
    const { people, rankOfId } = this.rankSubjects();
    const roles: RoleDef[] = new Array<RoleDef>(this.roleNums.size);
    this.roleNums.forEach((rid, role) => (roles[rid] = role));
    const { ids, code, names, roleFirst, roleRules, longRoles, named } = encodeRules(roles);
    const keys = ids.size + 1;
    const wildKey = keys - 1;
    // ClusterRoleBindings first, then each namespace in policy order: the order who-can visits them.
    const order = [...this.byRole.keys()].filter((s) => s !== '');
    if (this.byRole.has('')) order.unshift('');
    // Sizes first, so the tables are allocated once (no arrays grown and copied). Indexed loops and forEach
    // here: this code runs once per index, before it is compiled, where for-of allocates a result per step.
    let entries = 0;
    let grants = 0;
    let held = 0;
    this.byRole.forEach((m) =>
      m.forEach((bindings) => {
        entries++;
        grants += bindings.length;
        for (let i = 0; i < bindings.length; i++) held += this.normalised.get(bindings[i]!)?.length ?? 0;
      }),
    );
    const entryRole = new Int32Array(entries);
    const entryFirst = new Int32Array(entries + 1);
    const grantVia: Via[] = new Array<Via>(grants);
    const grantFirst = new Int32Array(grants + 1);
    const subjectIds = new Int32Array(held);
    const scopeNo = new Map<string, number>();
    const scopeFirst = new Int32Array(order.length + 1);
    const building = new Map<number, number[]>();
    const add = (key: number, e: number) => {
      const list = building.get(key);
      if (list) list.push(e);
      else building.set(key, [e]);
    };
    const every = order.length * keys;
    let e = 0;
    let g = 0;
    let k = 0;
    for (const scope of order) {
      const base = scopeNo.size * keys;
      scopeFirst[scopeNo.size] = e;
      scopeNo.set(scope, scopeNo.size);
      this.byRole.get(scope)!.forEach((bindings, role) => {
        const rid = this.roleNums.get(role)!;
        entryRole[e] = rid;
        entryFirst[e] = g;
        for (let i = 0; i < bindings.length; i++) {
          const b = bindings[i]!;
          // One via per binding, listed under each of its subjects in every answer (shared: read-only).
          grantVia[g] = b.namespace
            ? { binding: b.name, bindingKind: b.kind, role: role.name, roleKind: role.kind, namespace: b.namespace }
            : { binding: b.name, bindingKind: b.kind, role: role.name, roleKind: role.kind };
          grantFirst[g++] = k;
          const subjects = this.normalised.get(b);
          if (subjects) for (let j = 0; j < subjects.length; j++) subjectIds[k++] = subjects[j]!.id;
        }
        const resources = named[rid];
        if (resources === undefined) {
          add(base + wildKey, e);
          add(every + wildKey, e);
        } else
          for (let i = 0; i < resources.length; i++) {
            add(base + resources[i]!, e);
            add(every + resources[i]!, e);
          }
        e++;
      });
    }
    scopeFirst[order.length] = e;
    entryFirst[e] = g;
    grantFirst[g] = k;
    const listOf = new Map<number, number>();
    let listed = 0;
    building.forEach((list) => (listed += list.length));
    const lists = new Int32Array(listed);
    const listFirst = new Int32Array(building.size + 1);
    let at = 0;
    building.forEach((list, key) => {
      listOf.set(key, listOf.size);
      listFirst[listOf.size - 1] = at;
      lists.set(list, at);
      at += list.length;
    });
    listFirst[building.size] = at;
    return {
      ids,
      entryRole,
      entryFirst,
      grantVia,
      grantFirst,
      subjectIds,
      scopeNo,
      scopeFirst,
      listOf,
      keys,
      lists,
      listFirst,
      code,
      names,
      roleFirst,
      roleRules,
      longRoles,
      roles,
      people,
      rankOfId,
      decided: new Uint8Array(roles.length),
      vias: new Array<Via[] | undefined>(people.length).fill(undefined),
    };
  }

  /**
   * Every binding subject that the request is allowed for, with the bindings and roles that allow it. The
   * `via` objects are shared between answers: read-only.
   */
  whoCan(req: Request, opts: { allNamespaces?: boolean } = {}): WhoCanSubject[] {
    this.prepareWhoCan();
    const t = this.tables!;
    const q = new WhoCanQuery(t, req);
    try {
      const cluster = t.scopeNo.get('');
      if (req.kind !== 'resource') {
        // Non-resource URLs: only ClusterRoleBindings, every role of the scope.
        if (cluster !== undefined) visitAll(t, q, cluster);
      } else {
        // Cluster-wide roles, then the namespace's; with -A, every scope at once (anyone allowed in at least one
        // namespace), in visiting order. One call site, so the compiled query holds one copy of the walk.
        const first = opts.allNamespaces ? t.scopeFirst.length - 1 : cluster;
        const ns = !opts.allNamespaces && req.namespace ? t.scopeNo.get(req.namespace) : undefined;
        for (let i = 0; i < 2; i++) {
          const scope = i === 0 ? first : ns;
          if (scope !== undefined) visitScope(t, q, scope);
        }
      }
      return answer(t, q);
    } finally {
      for (const id of q.found) t.vias[id] = undefined;
      for (const rid of q.judged) t.decided[rid] = 0;
    }
  }

  /**
   * Numbers every binding subject, and its place in who-can's output order (kind, then namespace, then
   * name, each by the collator), so an answer sorts by number. Each field's distinct values are sorted
   * once (a few thousand strings, not every subject). Values the collator holds equal share a place, and
   * an answer lists such subjects in the order found — what the stable sort by the collator gave.
   * Returns each number's subject, and the places by number when two distinct subjects share one.
   */
  private rankSubjects(): { people: { kind: string; name: string; namespace?: string }[]; rankOfId: number[] | undefined } {
    const all: NormalSubject[] = [];
    this.normalised.forEach((list) => {
      for (let i = 0; i < list.length; i++) all.push(list[i]!);
    });
    // Per distinct value: its own number (distinct values never share one) and its place (equal values share one).
    const field = (values: string[]) => {
      // Sorted by code units first (cheap): the collator's sort then meets long runs already in order, and its
      // result is the same (it decides every pair; values it holds equal share a place, whatever their order).
      const compare = collator().compare;
      const sorted = [...new Set(values)].sort().sort(compare);
      const out = new Map<string, { own: number; place: number }>();
      sorted.forEach((v, i) => out.set(v, { own: i, place: i > 0 && compare(sorted[i - 1]!, v) === 0 ? out.get(sorted[i - 1]!)!.place : i }));
      return out;
    };
    const kinds = field(all.map((n) => n.subject.kind));
    const namespaces = field(all.map((n) => n.subject.namespace ?? ''));
    const names = field(all.map((n) => n.subject.name));
    for (let i = 0; i < all.length; i++) {
      const n = all[i]!;
      const k = kinds.get(n.subject.kind)!;
      const ns = namespaces.get(n.subject.namespace ?? '')!;
      const name = names.get(n.subject.name)!;
      n.id = (k.own * namespaces.size + ns.own) * names.size + name.own;
      n.rank = (k.place * namespaces.size + ns.place) * names.size + name.place;
    }
    // Dense numbers in (place, own number) order, so an answer sorts as plain integers and indexes an array.
    const distinct = new Map<number, number>();
    for (let i = 0; i < all.length; i++) distinct.set(all[i]!.id, all[i]!.rank);
    const byPlace = [...distinct].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const dense = new Map<number, number>();
    const rankOfId: number[] = [];
    let ties = false;
    byPlace.forEach(([id, rank], i) => {
      dense.set(id, i);
      rankOfId.push(rank);
      if (i > 0 && byPlace[i - 1]![1] === rank) ties = true;
    });
    const people: { kind: string; name: string; namespace?: string }[] = new Array(byPlace.length);
    for (let i = 0; i < all.length; i++) {
      const n = all[i]!;
      n.id = dense.get(n.id)!;
      people[n.id] = n.subject;
    }
    return { people, rankOfId: ties ? rankOfId : undefined };
  }
}

/** `*` or `*∕sub`: a resource entry that names no one resource. */
function isWildcardResource(x: string): boolean {
  return x === '*' || x.startsWith('*/');
}

/** Roles with at most this many rules are matched rule by rule; longer ones through an index of their rules by resource. */
const SHORT_RULES = 8;

/**
 * Who-can's rules as numbers (see WhoCanTables.code), per role number: every verb, API group and resource
 * string numbered once ('*' is STAR); per role, the resource numbers its rules name (undefined when one names
 * `*` or `*∕sub`); roles with many rules also indexed by resource. Sized first, allocated once.
 */
function encodeRules(roles: readonly RoleDef[]) {
  const ids = new Map<string, number>([['*', STAR]]);
  const idOf = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
  let size = 0;
  let count = 0;
  for (let i = 0; i < roles.length; i++) {
    const rules = roles[i]!.rules;
    for (let j = 0; j < rules.length; j++) size += 4 + rules[j]!.verbs.length + rules[j]!.apiGroups.length + rules[j]!.resources.length;
    count += rules.length;
  }
  const code = new Int32Array(size);
  const roleFirst = new Int32Array(roles.length + 1);
  const roleRules = new Int32Array(count);
  const names: (readonly string[])[] = [];
  const longRoles: (LongRole | undefined)[] = new Array<LongRole | undefined>(roles.length).fill(undefined);
  const named: (number[] | undefined)[] = new Array<number[] | undefined>(roles.length).fill(undefined);
  let at = 0;
  const encode = (list: readonly string[]) => {
    code[at++] = list.length;
    for (let i = 0; i < list.length; i++) code[at++] = idOf(list[i]!);
  };
  let n = 0;
  for (let rid = 0; rid < roles.length; rid++) {
    const rules = roles[rid]!.rules;
    roleFirst[rid] = n;
    const resources: number[] = [];
    let wildcard = false;
    const long: LongRole | undefined = rules.length > SHORT_RULES ? { byResource: new Map(), wild: [] } : undefined;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const o = at;
      roleRules[n++] = o;
      encode(r.verbs);
      encode(r.apiGroups);
      encode(r.resources);
      code[at++] = r.resourceNames.length ? names.push(r.resourceNames) - 1 : -1;
      for (let j = 0; j < r.resources.length; j++) {
        const x = r.resources[j]!;
        // Keyed by resource only: the API group is left to the rule match (so `*` groups need no list of their own).
        if (isWildcardResource(x)) {
          wildcard = true;
          if (long && long.wild[long.wild.length - 1] !== o) long.wild.push(o);
          continue;
        }
        const id = idOf(x);
        if (!resources.includes(id)) resources.push(id);
        if (!long) continue;
        const list = long.byResource.get(id);
        if (!list) long.byResource.set(id, [o]);
        else if (list[list.length - 1] !== o) list.push(o);
      }
    }
    longRoles[rid] = long;
    named[rid] = wildcard ? undefined : resources;
  }
  roleFirst[roles.length] = n;
  return { ids, code, names, roleFirst, roleRules, longRoles, named };
}

/** One who-can request as numbers (-1: a string no rule names), read once, and its work lists. */
class WhoCanQuery {
  readonly resourceRequest: boolean;
  readonly verb: number;
  readonly apiGroup: number;
  /** `resource[/subresource]`. */
  readonly resource: number;
  /** `*∕subresource`, which also grants it (-1 without a subresource). */
  readonly anySub: number;
  readonly name: string;
  /** Subject numbers answered, in the order found. */
  readonly found: number[] = [];
  /** Role numbers judged (their marks are reset after the query). */
  readonly judged: number[] = [];
  constructor(
    t: WhoCanTables,
    readonly req: Request,
  ) {
    const id = (s: string) => t.ids.get(s) ?? -1;
    this.verb = id(req.verb);
    if (req.kind === 'resource') {
      this.resourceRequest = true;
      this.apiGroup = id(req.apiGroup);
      this.resource = id(req.subresource ? `${req.resource}/${req.subresource}` : req.resource);
      this.anySub = req.subresource ? id(`*/${req.subresource}`) : -1;
      this.name = req.name;
    } else {
      this.resourceRequest = false;
      this.apiGroup = this.resource = this.anySub = -1;
      this.name = '';
    }
  }
}

/** The answer: the subjects found, in output order, each with its via list. */
function answer(t: WhoCanTables, q: WhoCanQuery): WhoCanSubject[] {
  // Numbers follow the output order; with ties, subjects that share a place keep the order they were found in (stable sort).
  const rankOf = t.rankOfId;
  const order: ArrayLike<number> = rankOf ? q.found.slice().sort((a, b) => rankOf[a]! - rankOf[b]!) : Int32Array.from(q.found).sort();
  const out: WhoCanSubject[] = new Array<WhoCanSubject>(order.length);
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    const p = t.people[id]!;
    const via = t.vias[id]!;
    out[i] = p.namespace === undefined ? { kind: p.kind, name: p.name, via } : { kind: p.kind, name: p.name, namespace: p.namespace, via };
  }
  return out;
}

/** Visits every entry of a scope (non-resource requests). */
function visitAll(t: WhoCanTables, q: WhoCanQuery, scope: number): void {
  for (let e = t.scopeFirst[scope]!; e < t.scopeFirst[scope + 1]!; e++) if (allowed(t, q, t.entryRole[e]!)) collect(t, q, e);
}

/** Visits a scope's entries that may grant the resource (roles naming it, roles with a wildcard) in ascending order. */
function visitScope(t: WhoCanTables, q: WhoCanQuery, scope: number): void {
  const exact = q.resource < 0 ? undefined : t.listOf.get(scope * t.keys + q.resource);
  const wild = t.listOf.get(scope * t.keys + t.keys - 1);
  const lists = t.lists;
  let i = exact === undefined ? 0 : t.listFirst[exact]!;
  const iEnd = exact === undefined ? 0 : t.listFirst[exact + 1]!;
  let j = wild === undefined ? 0 : t.listFirst[wild]!;
  const jEnd = wild === undefined ? 0 : t.listFirst[wild + 1]!;
  while (i < iEnd || j < jEnd) {
    const e = j === jEnd || (i < iEnd && lists[i]! < lists[j]!) ? lists[i++]! : lists[j++]!;
    if (allowed(t, q, t.entryRole[e]!)) collect(t, q, e);
  }
}

/** Whether the role numbered rid allows the query, judged once per query (a ClusterRole bound in many namespaces is met once per namespace by `-A`). */
function allowed(t: WhoCanTables, q: WhoCanQuery, rid: number): boolean {
  const mark = t.decided[rid]!;
  if (mark !== 0) return mark === 1;
  const ok = q.resourceRequest ? roleGrants(t, q, rid) : rulesAllow(t.roles[rid]!.rules, q.req, '');
  t.decided[rid] = ok ? 1 : 2;
  q.judged.push(rid);
  return ok;
}

/**
 * Whether a role's rules allow a resource request. A role with many rules is matched only against its rules
 * naming the request's resource and those naming `*` or `*∕sub`: "any rule allows" does not depend on the
 * order rules are tried in.
 */
function roleGrants(t: WhoCanTables, q: WhoCanQuery, rid: number): boolean {
  const long = t.longRoles[rid];
  if (long === undefined) {
    for (let i = t.roleFirst[rid]!, end = t.roleFirst[rid + 1]!; i < end; i++) if (ruleGrants(t, q, t.roleRules[i]!)) return true;
    return false;
  }
  const named = long.byResource.get(q.resource);
  if (named !== undefined) for (const o of named) if (ruleGrants(t, q, o)) return true;
  for (const o of long.wild) if (ruleGrants(t, q, o)) return true;
  return false;
}

/** The rule at offset o of t.code allows the request (as ruleAllows does on the rule itself). */
function ruleGrants(t: WhoCanTables, q: WhoCanQuery, o: number): boolean {
  const c = t.code;
  const verbs = o + 1;
  const groups = verbs + c[o]! + 1;
  const resources = groups + c[groups - 1]! + 1;
  const namesAt = resources + c[resources - 1]!;
  if (!numberIn(c, verbs, groups - 1, q.verb) || !numberIn(c, groups, resources - 1, q.apiGroup)) return false;
  let found = false;
  for (let i = resources; i < namesAt; i++) {
    const x = c[i]!;
    if (x === STAR || x === q.resource || x === q.anySub) {
      found = true;
      break;
    }
  }
  if (!found) return false;
  const n = c[namesAt]!;
  return n < 0 || t.names[n]!.includes(q.name);
}

/** `*` or the number itself among c[from .. end). */
function numberIn(c: Int32Array, from: number, end: number, x: number): boolean {
  for (let i = from; i < end; i++) {
    const v = c[i]!;
    if (v === STAR || v === x) return true;
  }
  return false;
}

/** Adds the subjects of an allowed entry's bindings to the answer (one via per binding under each of its subjects). */
function collect(t: WhoCanTables, q: WhoCanQuery, e: number): void {
  const vias = t.vias;
  for (let g = t.entryFirst[e]!, gEnd = t.entryFirst[e + 1]!; g < gEnd; g++) {
    const via = t.grantVia[g]!;
    for (let k = t.grantFirst[g]!, kEnd = t.grantFirst[g + 1]!; k < kEnd; k++) {
      const id = t.subjectIds[k]!;
      const list = vias[id];
      if (list !== undefined) {
        list.push(via);
        continue;
      }
      // Most subjects have one via: a one-element literal, not an empty array that the first push grows to 16 slots.
      vias[id] = [via];
      q.found.push(id);
    }
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
