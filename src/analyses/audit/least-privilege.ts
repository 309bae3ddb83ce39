// Least privilege from evidence: what each identity did (allowed requests in the audit log) joined
// with what it is granted (the RBAC policy, through the authorizer): used vs granted, unused
// grants, and the minimal Roles/ClusterRoles + bindings that allow exactly what was used
// (resourceNames where every use named its object, as audit2rbac does). Pure.
import type { JsonObject } from '../../model/types.js';
import type { RbacIndex } from '../rbac/authorizer.js';
import type { Request, UserInfo } from '../rbac/match.js';
import { ruleAllows } from '../rbac/match.js';
import { permissionsOf } from '../rbac/permissions.js';
import type { AuditEvent } from './event.js';
import { actor, serviceAccountOf, succeeded } from './event.js';

export interface UsedRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** Non-resource requests: the path (resource fields empty). */
  path?: string;
  count: number;
}

interface Usage {
  user: UserInfo;
  requests: Map<string, UsedRequest>;
  truncated: boolean;
}

const MAX_REQUESTS = 20_000;
/** Verbs whose authorization carries the object name (others are authorized without one). */
const NAMED_VERBS = new Set(['get', 'update', 'patch', 'delete']);
export const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/** The authorizer's view of an event's request. */
export function requestOf(e: AuditEvent): Request {
  const ref = e.objectRef;
  if (!ref?.resource) return { kind: 'nonResource', verb: e.verb, path: e.requestURI.split('?')[0] ?? '' };
  return {
    kind: 'resource',
    verb: e.verb,
    namespace: ref.namespace ?? '',
    apiGroup: ref.apiGroup ?? '',
    resource: ref.resource,
    subresource: ref.subresource ?? '',
    name: NAMED_VERBS.has(e.verb) || ref.subresource ? (ref.name ?? '') : '',
  };
}

export class UsageCollector {
  readonly identities = new Map<string, Usage>();

  /** Records an allowed request (denied ones prove nothing about what is needed). */
  add(e: AuditEvent): void {
    if (!succeeded(e)) return;
    const u = actor(e);
    if (!u.username) return;
    let usage = this.identities.get(u.username);
    if (!usage) this.identities.set(u.username, (usage = { user: { name: u.username, groups: [...u.groups] }, requests: new Map(), truncated: false }));
    const req = requestOf(e);
    const used: UsedRequest =
      req.kind === 'resource'
        ? { verb: req.verb, apiGroup: req.apiGroup, resource: req.resource, subresource: req.subresource, namespace: req.namespace, name: req.name, count: 0 }
        : { verb: req.verb, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path: req.path, count: 0 };
    const key = JSON.stringify([used.verb, used.apiGroup, used.resource, used.subresource, used.namespace, used.name, used.path ?? '']);
    const have = usage.requests.get(key);
    if (have) have.count++;
    else if (usage.requests.size < MAX_REQUESTS) usage.requests.set(key, { ...used, count: 1 });
    else usage.truncated = true;
  }
}

export function toRequest(u: UsedRequest): Request {
  if (u.path !== undefined) return { kind: 'nonResource', verb: u.verb, path: u.path };
  return { kind: 'resource', verb: u.verb, namespace: u.namespace, apiGroup: u.apiGroup, resource: u.resource, subresource: u.subresource, name: u.name };
}

interface MinimalRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Compacts used requests of one scope into rules: per (group, resource, names) the verbs, then resources sharing verbs and names. */
export function minimalRules(used: readonly UsedRequest[]): MinimalRule[] {
  const byTarget = new Map<string, { apiGroup: string; resource: string; named: Map<string, Set<string>>; anyName: Set<string> }>();
  const paths = new Map<string, Set<string>>();
  for (const u of used) {
    if (u.path !== undefined) {
      let s = paths.get(u.path);
      if (!s) paths.set(u.path, (s = new Set()));
      s.add(u.verb);
      continue;
    }
    const resource = u.subresource ? `${u.resource}/${u.subresource}` : u.resource;
    const k = `${u.apiGroup}\u0000${resource}`;
    let t = byTarget.get(k);
    if (!t) byTarget.set(k, (t = { apiGroup: u.apiGroup, resource, named: new Map(), anyName: new Set() }));
    if (u.name) {
      let s = t.named.get(u.verb);
      if (!s) t.named.set(u.verb, (s = new Set()));
      s.add(u.name);
    } else t.anyName.add(u.verb);
  }
  // One rule per (group, verbs, names); resources that share them are merged.
  const rules = new Map<string, MinimalRule>();
  const addRule = (apiGroup: string, resource: string, verbs: string[], names?: string[]) => {
    const k = JSON.stringify([apiGroup, verbs, names ?? []]);
    const r = rules.get(k);
    if (r) r.resources!.push(resource);
    else rules.set(k, { apiGroups: [apiGroup], resources: [resource], verbs, ...(names ? { resourceNames: names } : {}) });
  };
  for (const t of [...byTarget.values()].sort((a, b) => a.apiGroup.localeCompare(b.apiGroup) || a.resource.localeCompare(b.resource))) {
    if (t.anyName.size) addRule(t.apiGroup, t.resource, [...t.anyName].sort());
    // Named uses of a verb also granted without names need no rule of their own.
    const byNames = new Map<string, string[]>();
    for (const [verb, names] of t.named) {
      if (t.anyName.has(verb)) continue;
      const nk = [...names].sort().join('\u0000');
      byNames.set(nk, [...(byNames.get(nk) ?? []), verb]);
    }
    for (const [nk, verbs] of byNames) addRule(t.apiGroup, t.resource, verbs.sort(), nk.split('\u0000'));
  }
  const out = [...rules.values()];
  for (const [p, verbs] of [...paths].sort(([a], [b]) => a.localeCompare(b))) out.push({ verbs: [...verbs].sort(), nonResourceURLs: [p] });
  return out;
}

export interface GrantUse {
  binding: string;
  bindingKind: string;
  role: string;
  roleKind: string;
  rule: number;
  /** Namespace of the RoleBinding; absent = cluster-wide. */
  namespace?: string;
  verbs: string[];
  resources: string[];
  apiGroups: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  /** Logged requests this rule would allow. */
  usedBy: number;
  /** What of the rule was never used: "resource: verbs" (all of it when usedBy is 0). */
  unused: string[];
}

export interface IdentityReport {
  identity: string;
  kind: 'ServiceAccount' | 'User';
  requests: number;
  distinct: number;
  /** Only get/list/watch were used. */
  readOnly: boolean;
  /** Logged requests that the given RBAC policy does not allow (granted elsewhere, or the policy is stale). */
  notGranted: UsedRequest[];
  grants: GrantUse[];
  unusedGrants: number;
  /** Minimal objects covering exactly what was used. */
  minimal: JsonObject[];
  truncated: boolean;
}

/** Valid object names for generated roles: "rampart-min-<identity>". */
function objectName(identity: string): string {
  return `rampart-min-${identity.replace(/^system:serviceaccount:/, '').replace(/[^a-z0-9.-]+/gi, '-').toLowerCase()}`.replace(/-+$/, '').slice(0, 253);
}

function subjectOf(identity: string): JsonObject {
  const sa = serviceAccountOf(identity);
  return sa ? { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace } : { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: identity };
}

/** Role + RoleBinding per namespace used, ClusterRole + ClusterRoleBinding for cluster-scoped and all-namespace use. */
export function minimalObjects(identity: string, used: readonly UsedRequest[]): JsonObject[] {
  const byScope = new Map<string, UsedRequest[]>();
  for (const u of used) {
    const scope = u.path !== undefined ? '' : u.namespace;
    byScope.set(scope, [...(byScope.get(scope) ?? []), u]);
  }
  const name = objectName(identity);
  const out: JsonObject[] = [];
  for (const [scope, list] of [...byScope].sort(([a], [b]) => a.localeCompare(b))) {
    const rules = minimalRules(list) as unknown as JsonObject[];
    const rbac = 'rbac.authorization.k8s.io/v1';
    if (scope === '') {
      out.push({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name }, rules });
      out.push({ apiVersion: rbac, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [subjectOf(identity)] });
    } else {
      out.push({ apiVersion: rbac, kind: 'Role', metadata: { name, namespace: scope }, rules });
      out.push({ apiVersion: rbac, kind: 'RoleBinding', metadata: { name, namespace: scope }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [subjectOf(identity)] });
    }
  }
  return out;
}

/** Joins one identity's usage with its grants. */
export function identityReport(identity: string, usage: { user: UserInfo; requests: Map<string, UsedRequest>; truncated: boolean }, index: RbacIndex): IdentityReport {
  const used = [...usage.requests.values()];
  const perms = permissionsOf(index, usage.user);
  const grants: GrantUse[] = [];
  const scopes: [string | undefined, typeof perms.clusterWide][] = [[undefined, perms.clusterWide], ...Object.entries(perms.namespaces)];
  for (const [ns, list] of scopes) {
    for (const p of list) {
      const rule = { verbs: p.verbs, apiGroups: p.apiGroups ?? [], resources: p.resources ?? [], resourceNames: p.resourceNames ?? [], nonResourceURLs: p.nonResourceURLs ?? [], index: p.via.rule };
      const matching = used.filter((u) => {
        const req = toRequest(u);
        if (ns !== undefined && (req.kind !== 'resource' || req.namespace !== ns)) return false;
        return ruleAllows(rule, req);
      });
      const usedBy = matching.reduce((n, u) => n + u.count, 0);
      const unused: string[] = [];
      for (const res of rule.resources.length ? rule.resources : rule.nonResourceURLs) {
        const verbs = new Set(matching.filter((u) => (u.path ?? (u.subresource ? `${u.resource}/${u.subresource}` : u.resource)) === res || res === '*' || res.endsWith('*')).map((u) => u.verb));
        if (verbs.size === 0) unused.push(`${res}: ${rule.verbs.join(',')}`);
        else if (rule.verbs.includes('*')) unused.push(`${res}: every verb but ${[...verbs].sort().join(',')}`);
        else {
          const rest = rule.verbs.filter((v) => !verbs.has(v));
          if (rest.length) unused.push(`${res}: ${rest.join(',')}`);
        }
      }
      const g: GrantUse = { binding: p.via.binding, bindingKind: p.via.bindingKind, role: p.via.role, roleKind: p.via.roleKind, rule: p.via.rule, verbs: p.verbs, resources: p.resources ?? [], apiGroups: p.apiGroups ?? [], usedBy, unused };
      if (ns !== undefined) g.namespace = ns;
      if (p.resourceNames) g.resourceNames = p.resourceNames;
      if (p.nonResourceURLs) g.nonResourceURLs = p.nonResourceURLs;
      grants.push(g);
    }
  }
  const notGranted = used.filter((u) => !index.allows(usage.user, toRequest(u)));
  const sa = serviceAccountOf(identity);
  return {
    identity,
    kind: sa ? 'ServiceAccount' : 'User',
    requests: used.reduce((n, u) => n + u.count, 0),
    distinct: used.length,
    readOnly: used.every((u) => READ_ONLY_VERBS.has(u.verb)),
    notGranted,
    grants,
    unusedGrants: grants.filter((g) => g.usedBy === 0).length,
    minimal: minimalObjects(identity, used),
    truncated: usage.truncated,
  };
}
