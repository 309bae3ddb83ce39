// RBAC objects as plain data: Roles, ClusterRoles, RoleBindings, ClusterRoleBindings read from
// untrusted resources. Wrong field types never throw; they become issues (fail closed upstream).
import type { Resource } from '../../model/types.js';
import type { LabelSelector } from '../../model/index.js';
import { asArray, asObject, asString, isObject, pointer } from '../../model/json.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const ROLE_KINDS = ['Role', 'ClusterRole'];
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];
/** Objects created by the API server's bootstrap policy carry this label. */
export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  /** Index in the role's own `rules`, or in the role it was aggregated from. */
  index: number;
  /** ClusterRole the rule came from when it was aggregated (undefined for the role's own rules). */
  from?: string;
}

export interface RoleDef {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** Set for Roles only. */
  namespace?: string;
  labels: Record<string, string>;
  /** Effective rules (aggregated ClusterRoles: the union of the selected roles' rules). */
  rules: PolicyRule[];
  /** `aggregationRule.clusterRoleSelectors`, when present. */
  aggregation?: LabelSelector[];
  bootstrap: boolean;
  resource?: Resource;
}

export interface SubjectRef {
  kind: string;
  name: string;
  /** As written; ServiceAccount subjects of RoleBindings default to the binding's namespace. */
  namespace?: string;
  index: number;
}

export interface BindingDef {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: SubjectRef[];
  bootstrap: boolean;
  resource?: Resource;
}

export interface PolicyIssue {
  message: string;
  resource?: Resource;
  /** JSON Pointer relative to the object. */
  path: string;
}

export interface Policy {
  roles: RoleDef[];
  bindings: BindingDef[];
  issues: PolicyIssue[];
}

/** Namespace a namespaced object lands in when the manifest does not say (kubectl's default context). */
export const DEFAULT_NAMESPACE = 'default';

function stringList(v: unknown, where: string, issues: PolicyIssue[], r: Resource | undefined): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    issues.push({ message: `${where} is not a list; the rule is ignored (the API server would reject it)`, path: where, ...(r ? { resource: r } : {}) });
    return undefined;
  }
  const out: string[] = [];
  for (const item of v) {
    if (typeof item === 'string') out.push(item);
    else {
      issues.push({ message: `${where} holds a non-string item; the rule is ignored (the API server would reject it)`, path: where, ...(r ? { resource: r } : {}) });
      return undefined;
    }
  }
  return out;
}

/**
 * Every rule is made here, aggregated copies too (not spread): one object shape for all, so the
 * matchers (verbMatches, ruleAt, ...) that run millions of times do not deoptimise on a second map.
 */
export function policyRule(verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[], nonResourceURLs: string[], index: number, from: string | undefined): PolicyRule {
  return { verbs, apiGroups, resources, resourceNames, nonResourceURLs, index, from };
}

/** Reads one `rules` list; malformed rules are skipped with an issue. */
export function parseRules(rules: unknown, basePath: string, issues: PolicyIssue[], r?: Resource): PolicyRule[] {
  const out: PolicyRule[] = [];
  if (rules !== undefined && rules !== null && !Array.isArray(rules)) {
    issues.push({ message: 'rules is not a list; the role grants nothing', path: basePath, ...(r ? { resource: r } : {}) });
    return out;
  }
  asArray(rules).forEach((raw, index) => {
    const p = `${basePath}/${index}`;
    if (!isObject(raw)) {
      issues.push({ message: `rule ${index} is not an object; ignored`, path: p, ...(r ? { resource: r } : {}) });
      return;
    }
    const verbs = stringList(raw.verbs, `${p}/verbs`, issues, r);
    const apiGroups = stringList(raw.apiGroups, `${p}/apiGroups`, issues, r);
    const resources = stringList(raw.resources, `${p}/resources`, issues, r);
    const resourceNames = stringList(raw.resourceNames, `${p}/resourceNames`, issues, r);
    const nonResourceURLs = stringList(raw.nonResourceURLs, `${p}/nonResourceURLs`, issues, r);
    if (!verbs || !apiGroups || !resources || !resourceNames || !nonResourceURLs) return;
    out.push(policyRule(verbs, apiGroups, resources, resourceNames, nonResourceURLs, index, undefined));
  });
  return out;
}

function parseSelectors(v: unknown): LabelSelector[] {
  const out: LabelSelector[] = [];
  for (const s of asArray(v)) {
    if (!isObject(s)) continue;
    const sel: LabelSelector = {};
    const ml = asObject(s.matchLabels);
    if (ml) {
      sel.matchLabels = {};
      for (const [k, val] of Object.entries(ml)) if (typeof val === 'string') sel.matchLabels[k] = val;
    }
    const me = asArray(s.matchExpressions);
    if (me.length) {
      sel.matchExpressions = [];
      for (const e of me) {
        if (!isObject(e)) continue;
        const key = asString(e.key);
        const operator = asString(e.operator);
        if (!key || !operator) continue;
        sel.matchExpressions.push({ key, operator, values: asArray(e.values).filter((x): x is string => typeof x === 'string') });
      }
    }
    out.push(sel);
  }
  return out;
}

/**
 * A role object's parsed rules, read once per scan: the policy, the grant rules and the binding rules all
 * read them (tens of thousands of roles in a large cluster). The issues found are added to `issues` at
 * every call. The rules are shared: callers must not change them.
 */
export function rulesOf(r: Resource, issues: PolicyIssue[]): PolicyRule[] {
  const raw = r.object.rules;
  let hit = parsed.get(r);
  if (!hit || hit.raw !== raw) {
    const found: PolicyIssue[] = [];
    parsed.set(r, (hit = { raw, rules: parseRules(raw, '/rules', found, r), issues: found }));
  }
  for (const i of hit.issues) issues.push(i);
  return hit.rules;
}

const parsed = new WeakMap<Resource, { raw: unknown; rules: PolicyRule[]; issues: PolicyIssue[] }>();

/** Every role is made here (aggregated copies too): one shape, so the escalation graph's role reads stay monomorphic. */
export function roleDef(
  kind: RoleDef['kind'],
  name: string,
  labels: Record<string, string>,
  rules: PolicyRule[],
  bootstrap: boolean,
  resource: Resource | undefined,
  namespace: string | undefined,
  aggregation: LabelSelector[] | undefined,
): RoleDef {
  return { kind, name, labels, rules, bootstrap, resource, namespace, aggregation };
}

export function roleFromResource(r: Resource, issues: PolicyIssue[]): RoleDef | undefined {
  if (r.kind !== 'Role' && r.kind !== 'ClusterRole') return undefined;
  if (!r.apiVersion.startsWith(RBAC_GROUP + '/')) return undefined;
  const agg = r.kind === 'ClusterRole' ? asObject(r.object.aggregationRule) : undefined;
  const namespace = r.kind === 'Role' ? (r.namespace ?? DEFAULT_NAMESPACE) : undefined;
  return roleDef(r.kind, r.name, r.labels, rulesOf(r, issues), r.labels[BOOTSTRAP_LABEL] === 'rbac-defaults', r, namespace, agg ? parseSelectors(agg.clusterRoleSelectors) : undefined);
}

/** A binding object read once per scan (the policy and the binding rules both read it); its issues are added at every call. Shared: callers must not change it. */
export function bindingFromResource(r: Resource, issues: PolicyIssue[]): BindingDef | undefined {
  if (r.kind !== 'RoleBinding' && r.kind !== 'ClusterRoleBinding') return undefined;
  let hit = bindingsParsed.get(r);
  if (!hit || hit.object !== r.object || hit.roleRef !== r.object.roleRef || hit.subjects !== r.object.subjects) {
    const found: PolicyIssue[] = [];
    bindingsParsed.set(r, (hit = { object: r.object, roleRef: r.object.roleRef, subjects: r.object.subjects, value: readBinding(r, found), issues: found }));
  }
  for (const i of hit.issues) issues.push(i);
  return hit.value;
}

const bindingsParsed = new WeakMap<Resource, { object: unknown; roleRef: unknown; subjects: unknown; value: BindingDef | undefined; issues: PolicyIssue[] }>();

function readBinding(r: Resource, issues: PolicyIssue[]): BindingDef | undefined {
  if ((r.kind !== 'RoleBinding' && r.kind !== 'ClusterRoleBinding') || !r.apiVersion.startsWith(RBAC_GROUP + '/')) return undefined;
  const ref = asObject(r.object.roleRef);
  const refKind = asString(ref?.kind);
  const refName = asString(ref?.name);
  if (!ref || !refKind || !refName) {
    issues.push({ message: `${r.kind} ${r.name} has no valid roleRef (kind and name); it grants nothing`, path: ref ? '/roleRef' : '', resource: r });
    return undefined;
  }
  const subjects: SubjectRef[] = [];
  const rawSubjects = r.object.subjects;
  if (rawSubjects !== undefined && rawSubjects !== null && !Array.isArray(rawSubjects)) {
    issues.push({ message: `${r.kind} ${r.name}: subjects is not a list; it binds nobody`, path: '/subjects', resource: r });
  }
  asArray(rawSubjects).forEach((s, index) => {
    const kind = asString(getField(s, 'kind'));
    const name = asString(getField(s, 'name'));
    if (!kind || !name) {
      issues.push({ message: `${r.kind} ${r.name}: subject ${index} has no kind or name; ignored`, path: pointer('subjects', index), resource: r });
      return;
    }
    subjects.push({ kind, name, index, namespace: asString(getField(s, 'namespace')) || undefined });
  });
  return {
    kind: r.kind,
    name: r.name,
    roleRef: { kind: refKind, name: refName },
    subjects,
    bootstrap: r.labels[BOOTSTRAP_LABEL] === 'rbac-defaults',
    resource: r,
    namespace: r.kind === 'RoleBinding' ? (r.namespace ?? DEFAULT_NAMESPACE) : undefined,
  };
}

function getField(v: unknown, k: string): unknown {
  return isObject(v) ? v[k] : undefined;
}

/** Collects every RBAC object of the input. */
export function policyFromResources(resources: readonly Resource[]): Policy {
  const policy: Policy = { roles: [], bindings: [], issues: [] };
  for (const r of resources) {
    const role = roleFromResource(r, policy.issues);
    if (role) policy.roles.push(role);
    const b = bindingFromResource(r, policy.issues);
    if (b) policy.bindings.push(b);
  }
  return policy;
}

/** Merges policies; later roles/bindings with the same identity replace earlier ones (like `kubectl apply`). */
export function mergePolicies(...ps: Policy[]): Policy {
  const roles = new Map<string, RoleDef>();
  const bindings = new Map<string, BindingDef>();
  const issues: PolicyIssue[] = [];
  for (const p of ps) {
    for (const r of p.roles) roles.set(`${r.kind}/${r.namespace ?? ''}/${r.name}`, r);
    for (const b of p.bindings) bindings.set(`${b.kind}/${b.namespace ?? ''}/${b.name}`, b);
    issues.push(...p.issues);
  }
  return { roles: [...roles.values()], bindings: [...bindings.values()], issues };
}
