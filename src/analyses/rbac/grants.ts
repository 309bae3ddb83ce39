// Risky-grant detection over one Role/ClusterRole object, shared by the rbac/* rules:
// which of the role's own rules grant a verb on a resource, and the JSON Pointer of the entry to fix.
import type { Resource } from '../../model/types.js';
import { pointer } from '../../model/json.js';
import { selectorMatches, type LabelSelector, type ResourceIndex } from '../../model/index.js';
import { BOOTSTRAP_LABEL, DEFAULT_NAMESPACE, bindingFromResource, policyRule, roleFromResource, rulesOf, type BindingDef, type PolicyRule, type RoleDef, type SubjectRef } from './policy.js';
import { ruleAllows, type Request } from './match.js';
import { CLUSTER_SCOPED } from './resources.js';
import { defaultObjectsOf, defaultRoleOf, scanPolicy, type ScanPolicy } from './scan-policy.js';
import { describeBindingSubject } from './subject-risk.js';

export interface GrantTarget {
  group: string;
  resource: string;
  subresource?: string;
  /** Verbs that matter for this target (default: the spec's verbs). */
  verbs?: string[];
  /**
   * A cluster-scoped resource that a Role can still grant on its own namespace's object: a request on
   * Namespace N carries namespace N, so RoleBindings in N apply (e.g. patching N's labels).
   */
  ownNamespace?: boolean;
}

export interface GrantSpec {
  verbs: string[];
  targets: GrantTarget[];
  /** Also count rules limited by resourceNames (for verbs where one name is enough: impersonate, bind). */
  evenWithResourceNames?: boolean;
  /** Which entry to point at: the matching resource (default) or the matching verb. */
  pointAt?: 'resources' | 'verbs';
  /** Also report rules that are `*` on `*` in `*` (by default rbac/wildcard-rules reports those once, as cluster-admin equivalent). */
  includeFullWildcard?: boolean;
  /** Only Roles and RoleBindings in these namespaces count (ClusterRoles and ClusterRoleBindings always do). */
  namespaces?: string[];
  /** Grants that are only a risk together: the role (all its rules) must pass this before any hit is reported. */
  when?: (rules: readonly PolicyRule[]) => boolean;
}

export interface GrantHit {
  rule: PolicyRule;
  /** JSON Pointer relative to the role object. */
  path: string;
  verb: string;
  target: string;
}

/** The bootstrap ClusterRoles users bind to but do not write; they are not user findings. */
export const DEFAULT_ROLE_NAMES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/**
 * Whether an object with a Kubernetes default's name is that default. With the bootstrap policy
 * (settings.rbac.defaultObjects) it is recognised by content: a role of that kind and name that
 * grants nothing the default role does not (a copy of an older version's rules is still the
 * default; one rule more makes it the user's), a binding of that kind and name with the same
 * roleRef. So a custom `system:viewer` is the user's. Without the policy (`--no-rbac-defaults`),
 * by name alone (`system:*`, and cluster-admin/admin/edit/view for ClusterRoles).
 */
function isDefaultByName(r: Resource, settings: Readonly<Record<string, unknown>> | undefined): boolean {
  const listed = settings ? defaultObjectsOf(settings) : NO_DEFAULTS;
  const defaults = listed.length ? listed : NO_DEFAULTS;
  // Asked by every rbac rule about every object: the verdict is kept per object and bootstrap list.
  const hit = defaultVerdicts.get(r);
  if (hit && hit.defaults === defaults) return hit.value;
  let value: boolean;
  if (defaults.length === 0) value = r.name.startsWith('system:') || (r.kind === 'ClusterRole' && DEFAULT_ROLE_NAMES.has(r.name));
  else {
    const twin = defaultsByName(defaults).get(`${r.kind}/${r.namespace ?? ''}/${r.name}`) ?? defaultsByName(defaults).get(`${r.kind}//${r.name}`);
    value = !!twin && sameContent(r, twin, defaults);
  }
  defaultVerdicts.set(r, { defaults, value });
  return value;
}

const NO_DEFAULTS: readonly Resource[] = [];
const defaultVerdicts = new WeakMap<Resource, { defaults: readonly Resource[]; value: boolean }>();

const byName = new WeakMap<readonly Resource[], Map<string, Resource>>();
function defaultsByName(defaults: readonly Resource[]): Map<string, Resource> {
  let m = byName.get(defaults);
  if (!m) {
    m = new Map();
    for (const d of defaults) m.set(`${d.kind}/${d.kind === 'Role' || d.kind === 'RoleBinding' ? (d.namespace ?? '') : ''}/${d.name}`, d);
    byName.set(defaults, m);
  }
  return m;
}

/** A binding grants the same role as the default binding of its name; a role grants nothing beyond the default's rules. */
function sameContent(a: Resource, b: Resource, defaults: readonly Resource[]): boolean {
  if (a.kind === 'Role' || a.kind === 'ClusterRole') {
    const selectors = aggregationSelectors(b);
    // An aggregated default (admin, edit, view) is filled by the controller from the default roles its
    // selectors match: the same selector is the default, and so are rules within what it aggregates.
    if (selectors && a.object.aggregationRule) return JSON.stringify(a.object.aggregationRule) === JSON.stringify(b.object.aggregationRule);
    const theirs = filledRules(b, defaults, new Set());
    return ownRules(a).every((rule) => ruleWithin(rule, theirs));
  }
  const ref = (r: Resource) => (isObjectLike(r.object.roleRef) ? `${String(r.object.roleRef.kind)}/${String(r.object.roleRef.name)}` : '');
  return ref(a) === ref(b);
}

/** A default role's rules, aggregated ones filled as the controller would (admin aggregates edit, which aggregates others). */
function filledRules(r: Resource, defaults: readonly Resource[], seen: Set<Resource>): PolicyRule[] {
  const selectors = aggregationSelectors(r);
  if (!selectors) return ownRules(r);
  seen.add(r);
  return defaults.filter((d) => d.kind === 'ClusterRole' && !seen.has(d) && selectors.some((sel) => selectorMatches(sel, d.labels))).flatMap((d) => filledRules(d, defaults, seen));
}

function aggregationSelectors(r: Resource): LabelSelector[] | undefined {
  const agg = r.object.aggregationRule;
  if (!isObjectLike(agg) || !Array.isArray(agg.clusterRoleSelectors)) return undefined;
  return agg.clusterRoleSelectors.filter(isObjectLike) as LabelSelector[];
}

/** Every request `rule` allows is allowed by one of `rules`, entry by entry (a `*` only within a `*`). */
function ruleWithin(rule: PolicyRule, rules: readonly PolicyRule[]): boolean {
  const has = (list: readonly string[], v: string) => list.includes(v) || list.includes('*');
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs) if (!rules.some((o) => has(o.verbs, verb) && has(o.nonResourceURLs, url))) return false;
    for (const group of rule.apiGroups)
      for (const res of rule.resources)
        for (const name of rule.resourceNames.length ? rule.resourceNames : [undefined]) {
          const ok = rules.some((o) => has(o.verbs, verb) && has(o.apiGroups, group) && has(o.resources, res) && (o.resourceNames.length === 0 || (name !== undefined && o.resourceNames.includes(name))));
          if (!ok) return false;
        }
  }
  return true;
}

function isObjectLike(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A role the user wrote: not a bootstrap default (by label or content, see isDefaultByName), not aggregated (its parts are checked). */
export function isUserRole(r: Resource, settings?: Readonly<Record<string, unknown>>): boolean {
  if (r.kind !== 'Role' && r.kind !== 'ClusterRole') return false;
  if (r.labels[BOOTSTRAP_LABEL] === 'rbac-defaults' || isDefaultByName(r, settings)) return false;
  return r.object.aggregationRule === undefined || r.object.aggregationRule === null;
}

/** A binding the user wrote: not a bootstrap default (by label or content, see isDefaultByName). */
export function isUserBinding(r: Resource, settings?: Readonly<Record<string, unknown>>): boolean {
  if (r.kind !== 'RoleBinding' && r.kind !== 'ClusterRoleBinding') return false;
  return r.labels[BOOTSTRAP_LABEL] !== 'rbac-defaults' && !isDefaultByName(r, settings);
}

// Every grant rule asks for the same role's rules and the same binding: each object is read once per scan
// (the rbac rules of `scan` call these about 20 times per object). Callers only read the results.
const rulesRead = new WeakMap<Resource, PolicyRule[]>();
const bindingsRead = new WeakMap<Resource, BindingDef | null>();

/** The role's own rules; malformed rules are skipped (never throws). */
export function ownRules(r: Resource): PolicyRule[] {
  let rules = rulesRead.get(r);
  if (!rules) rulesRead.set(r, (rules = rulesOf(r, [])));
  return rules;
}

function targetName(t: GrantTarget): string {
  return t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
}

function entryIndex(list: string[], pred: (s: string) => boolean): number {
  return list.findIndex(pred);
}

/** Rules of `r` that grant any verb of the spec on any target, one hit per rule. */
export function grantHits(r: Resource, spec: GrantSpec): GrantHit[] {
  return ruleHits(r.kind === 'Role' ? 'namespace' : 'cluster', ownRules(r), spec);
}

/**
 * Rules (of one role, possibly aggregated) that grant any verb of the spec on any target, one hit per
 * rule. `scope` is where the grant holds: a Role, or any role bound by a RoleBinding, holds in one
 * namespace and so cannot grant cluster-scoped resources.
 */
export function ruleHits(scope: 'namespace' | 'cluster', rules: readonly PolicyRule[], spec: GrantSpec): GrantHit[] {
  const all = probesOf(spec);
  const hits: GrantHit[] = [];
  for (const rule of rules) {
    // Most rules name none of the spec's resources: skip them before matching each probe.
    if (!mayMatch(rule, all.names)) continue;
    const h = ruleHit(rule, all[scope], spec);
    if (h) hits.push(h);
  }
  return hits;
}

/** The hit of one rule for a spec's probes of one scope, if it grants any of them. */
function ruleHit(rule: PolicyRule, probes: readonly Probe[], spec: GrantSpec): GrantHit | undefined {
  if (!spec.includeFullWildcard && isFullWildcard(rule)) return undefined;
  const probe = spec.evenWithResourceNames && rule.resourceNames.length ? policyRule(rule.verbs, rule.apiGroups, rule.resources, [], rule.nonResourceURLs, rule.index, rule.from) : rule;
  const p = probes.find((x) => ruleAllows(probe, x.req));
  if (!p) return undefined;
  const base = `/rules/${rule.index}`;
  let path: string;
  if (spec.pointAt === 'verbs') {
    const i = entryIndex(rule.verbs, (v) => v === p.verb || v === '*');
    path = `${base}/verbs/${i}`;
  } else {
    const t = p.target;
    const i = entryIndex(rule.resources, (x) => x === '*' || x === p.name || (!!t.subresource && x === `*/${t.subresource}`));
    path = `${base}/resources/${i}`;
  }
  return { rule, path, verb: p.verb, target: p.name };
}

/**
 * The grant rules' specs, registered when their modules load, so that a role's rules are matched once
 * against all of them (a rule names one or two resources; most specs never look at it) instead of
 * once per grant rule.
 */
const registered: GrantSpec[] = [];
const specIds = new Map<GrantSpec, number>();
const specsByName = new Map<string, GrantSpec[]>();

/** Registers a grant rule's spec (see `registered`); returns it. */
export function grantSpec(spec: GrantSpec): GrantSpec {
  if (specIds.has(spec)) return spec;
  specIds.set(spec, registered.length);
  registered.push(spec);
  for (const name of probesOf(spec).names) {
    const list = specsByName.get(name);
    if (list) list.push(spec);
    else specsByName.set(name, [spec]);
  }
  return spec;
}

/** The registered specs, in registration order (for tests comparing the shared table with one spec's own matching). */
export function grantSpecs(): readonly GrantSpec[] {
  return registered;
}

/** The hits of one list of rules in one scope for every registered spec (a spec with none is absent). */
interface HitTable {
  /** How many specs were registered when the table was made; later ones are matched on demand. */
  known: number;
  hits: Map<GrantSpec, GrantHit[]>;
}

/** Per rules list (a role's own rules, a default role's aggregated rules) and scope: what they grant is a pure function of them. */
const hitTables = new WeakMap<readonly PolicyRule[], { namespace?: HitTable; cluster?: HitTable }>();

function hitsOf(scope: 'namespace' | 'cluster', rules: readonly PolicyRule[], spec: GrantSpec): readonly GrantHit[] {
  let both = hitTables.get(rules);
  if (!both) hitTables.set(rules, (both = {}));
  let table = both[scope];
  if (!table) both[scope] = table = hitTable(scope, rules);
  const pos = specIds.get(spec);
  if (pos === undefined || pos >= table.known) return ruleHits(scope, rules, spec);
  return table.hits.get(spec) ?? NO_HITS;
}

const NO_HITS: readonly GrantHit[] = [];

function hitTable(scope: 'namespace' | 'cluster', rules: readonly PolicyRule[]): HitTable {
  const hits = new Map<GrantSpec, GrantHit[]>();
  const candidates = new Set<GrantSpec>();
  for (const rule of rules) {
    // The specs that could match this rule (as mayMatch decides per spec): all of them for `*` and `*/sub`.
    candidates.clear();
    for (const r of rule.resources) {
      if (r === '*' || r.startsWith('*/')) {
        for (const spec of registered) candidates.add(spec);
        break;
      }
      for (const spec of specsByName.get(r) ?? NO_SPECS) candidates.add(spec);
    }
    for (const spec of candidates) {
      const h = ruleHit(rule, probesOf(spec)[scope], spec);
      if (!h) continue;
      const list = hits.get(spec);
      if (list) list.push(h);
      else hits.set(spec, [h]);
    }
  }
  return { known: registered.length, hits };
}

const NO_SPECS: readonly GrantSpec[] = [];

interface Probe {
  target: GrantTarget;
  name: string;
  verb: string;
  req: Request;
}

/** Whether a rule's resources could match a request for one of the names (`resource[/subresource]`). */
function mayMatch(rule: PolicyRule, names: ReadonlySet<string>): boolean {
  for (const r of rule.resources) if (r === '*' || names.has(r) || r.startsWith('*/')) return true;
  return false;
}

interface SpecProbes {
  namespace: Probe[];
  cluster: Probe[];
  /** The combined names (`resource[/subresource]`) the probes ask about. */
  names: Set<string>;
}

/** The requests a spec asks about, in its order (targets, then verbs), per scope; built once per spec. */
const specProbes = new WeakMap<GrantSpec, SpecProbes>();
function probesOf(spec: GrantSpec): SpecProbes {
  let p = specProbes.get(spec);
  if (!p) {
    p = { namespace: [], cluster: [], names: new Set(spec.targets.map(targetName)) };
    for (const t of spec.targets)
      for (const verb of t.verbs ?? spec.verbs) {
        const probe: Probe = { target: t, name: targetName(t), verb, req: { kind: 'resource', verb, namespace: 'ns', apiGroup: t.group, resource: t.resource, subresource: t.subresource ?? '', name: '' } };
        p.cluster.push(probe);
        // A Role, or any role bound by a RoleBinding, holds in one namespace and so cannot grant cluster-scoped resources.
        if (!CLUSTER_SCOPED.has(t.resource) || t.ownNamespace) p.namespace.push(probe);
      }
    specProbes.set(spec, p);
  }
  return p;
}

/** What a grant rule needs from its context (structurally a RuleContext). */
export interface GrantContext {
  resource: Resource;
  index: ResourceIndex;
  settings: Readonly<Record<string, unknown>>;
  report(r: { message: string; path: string }): void;
}

/** Kinds a grant rule looks at: roles the user wrote, and user bindings to bootstrap roles. */
export const GRANT_RULE_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/**
 * The check shared by the single-grant rules (secrets-read, pod-exec, create-pods...): a finding per
 * matching rule of a user-written role, pointing at the entry to fix; and, when the bootstrap
 * policy is known (settings.rbac.defaultObjects), one finding per user binding to a default role
 * that grants it (`edit`, `admin`, `system:*`), pointing at the binding's roleRef.
 */
export function reportGrants(ctx: GrantContext, spec: GrantSpec): void {
  const r = ctx.resource;
  if (spec.namespaces && (r.kind === 'Role' || r.kind === 'RoleBinding') && !spec.namespaces.includes(r.namespace ?? DEFAULT_NAMESPACE)) return;
  const v = grantVerdict(ctx);
  if (!v) return;
  if (spec.when && !spec.when(v.rules)) return;
  const hits = hitsOf(v.scope, v.rules, spec);
  if (!v.bound) {
    for (const h of hits) ctx.report({ message: `${describeRole(r)} rule ${h.rule.index} grants ${h.verb} on ${h.target}`, path: h.path });
    return;
  }
  if (hits.length === 0) return;
  const { b, role } = v.bound;
  const what = hits.map((h) => `${h.verb} on ${h.target} (rule ${h.rule.index}${h.rule.from ? ` of ${h.rule.from}` : ''})`);
  const where = b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'cluster-wide';
  const who = b.subjects.map((s) => describeBindingSubject(s, b)).join(', ') || 'no subjects';
  ctx.report({ message: `${b.kind} ${b.name} grants the Kubernetes default ${role.kind} ${role.name} ${where} to ${who}; it grants ${[...new Set(what)].join(', ')}`, path: '/roleRef/name' });
}

/**
 * What an object gives the grant rules to judge: a user role's own rules, or the rules of the default
 * role a user binding grants (null: neither, nothing to report).
 */
interface GrantVerdict {
  scope: 'namespace' | 'cluster';
  rules: readonly PolicyRule[];
  bound?: { b: BindingDef; role: RoleDef };
}

// Whether an object is the user's, and what it grants, is worked out once per scan run (the settings carry
// the bootstrap policy the verdict compares with), not once per grant rule: ~15 rules ask about each object.
const verdicts = new WeakMap<ResourceIndex, { settings: unknown; byObject: Map<Resource, GrantVerdict | null> }>();

function grantVerdict(ctx: GrantContext): GrantVerdict | null {
  let run = verdicts.get(ctx.index);
  if (!run || run.settings !== ctx.settings) verdicts.set(ctx.index, (run = { settings: ctx.settings, byObject: new Map() }));
  const r = ctx.resource;
  let v = run.byObject.get(r);
  if (v !== undefined) return v;
  v = null;
  if (r.kind === 'Role' || r.kind === 'ClusterRole') {
    if (isUserRole(r, ctx.settings)) v = { scope: r.kind === 'Role' ? 'namespace' : 'cluster', rules: ownRules(r) };
  } else {
    const bound = userBindingToDefault(r, scanPolicy(ctx.index, ctx.settings), ctx.settings);
    if (bound) v = { scope: bound.b.kind === 'RoleBinding' ? 'namespace' : 'cluster', rules: bound.role.rules, bound };
  }
  run.byObject.set(r, v);
  return v;
}

function userBindingToDefault(r: Resource, sp: ScanPolicy, settings: Readonly<Record<string, unknown>> | undefined): { b: BindingDef; role: RoleDef } | null {
  const b = isUserBinding(r, settings) ? bindingOf(r) : undefined;
  // The policy's own copy of the binding (same content) is already resolved by the index.
  const role = b && defaultRoleOf(sp.bindingOf.get(r) ?? b, sp);
  return b && role ? { b, role } : null;
}

export function describeRole(r: Resource): string {
  // A ClusterRole has no namespace; one written in its metadata is ignored by the API server.
  return `${r.kind} ${r.kind === 'Role' && r.namespace ? r.namespace + '/' : ''}${r.name}`;
}

/** True when a rule holds every verb on every resource of every API group. */
export function isFullWildcard(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

const ADMIN_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * Every resource of every API group with every ordinary verb (or "*"): cluster-admin in practice even
 * without escalate/bind/impersonate, since it reads every Secret and runs pods as any service account.
 */
export function isAdminEquivalent(rule: PolicyRule): boolean {
  return rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0 && (rule.verbs.includes('*') || ADMIN_VERBS.every((v) => rule.verbs.includes(v)));
}

/** The role a binding object references, looked up in the scanned resources. */
export function referencedRole(b: BindingDef, index: ResourceIndex): RoleDef | undefined {
  const hit = referenced.get(b);
  if (hit && hit.index === index) return hit.role ?? undefined;
  const role = lookupRole(b, index);
  referenced.set(b, { index, role: role ?? null });
  return role;
}

/** Per binding (bindingOf keeps one per object), the role found for it in one scan. */
const referenced = new WeakMap<BindingDef, { index: ResourceIndex; role: RoleDef | null }>();

function lookupRole(b: BindingDef, index: ResourceIndex): RoleDef | undefined {
  const kind = b.roleRef.kind;
  if (kind !== 'Role' && kind !== 'ClusterRole') return undefined;
  const res = rolesByName(index).get(`${kind}/${kind === 'ClusterRole' ? '' : (b.namespace ?? 'default')}/${b.roleRef.name}`);
  if (!res) return undefined;
  let role = parsedRoles.get(res);
  if (role === undefined) parsedRoles.set(res, (role = roleFromResource(res, []) ?? null));
  return role ?? undefined;
}

const roleNames = new WeakMap<ResourceIndex, Map<string, Resource>>();
const parsedRoles = new WeakMap<Resource, RoleDef | null>();
/** Roles and ClusterRoles of a scan by kind, namespace and name (the first of a name wins, as a linear search would). */
function rolesByName(index: ResourceIndex): Map<string, Resource> {
  let m = roleNames.get(index);
  if (!m) {
    m = new Map();
    for (const kind of ['Role', 'ClusterRole'])
      for (const x of index.ofKind(kind)) {
        const k = `${kind}/${kind === 'ClusterRole' ? '' : (x.namespace ?? 'default')}/${x.name}`;
        if (!m.has(k)) m.set(k, x);
      }
    roleNames.set(index, m);
  }
  return m;
}

/** The binding read from `r`, once per resource. */
export function bindingOf(r: Resource): BindingDef | undefined {
  let b = bindingsRead.get(r);
  if (b === undefined) bindingsRead.set(r, (b = bindingFromResource(r, []) ?? null));
  return b ?? undefined;
}

/**
 * The check shared by the subject rules (system-masters-binding, default-service-account-binding):
 * one finding per subject of a user binding that matches, pointing at the subject's name.
 */
export function reportBindingSubjects(ctx: GrantContext, matches: (s: SubjectRef, b: BindingDef) => boolean, message: (s: SubjectRef, b: BindingDef) => string): void {
  if (!isUserBinding(ctx.resource, ctx.settings)) return;
  const b = bindingOf(ctx.resource);
  if (!b) return;
  for (const s of b.subjects) if (matches(s, b)) ctx.report({ message: message(s, b), path: pointer('subjects', s.index, 'name') });
}
