// The RBAC authorizer's matching rules, case for case as in Kubernetes
// (pkg/apis/rbac/v1/evaluation_helpers.go and plugin/pkg/auth/authorizer/rbac/rbac.go).
import type { PolicyRule, SubjectRef } from './policy.js';

/** The identity of a request: a user name and its groups (implicit groups included). */
export interface UserInfo {
  name: string;
  groups: string[];
}

export interface ResourceRequest {
  kind: 'resource';
  verb: string;
  /** '' for cluster-scoped resources and for requests across all namespaces. */
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** '' when the request names no object (list, create, watch of a collection). */
  name: string;
}

export interface NonResourceRequest {
  kind: 'nonResource';
  verb: string;
  path: string;
}

export type Request = ResourceRequest | NonResourceRequest;

// Plain loops: these run millions of times per scan of a large RBAC world.
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === '*' || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === '*' || g === group) return true;
  return false;
}

/**
 * `*` matches everything (subresources too); otherwise the exact `resource[/subresource]`;
 * `*∕sub` matches that subresource of any resource. `pods/*` is NOT a wildcard.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames: any name. Otherwise exact names only; a request without a name never matches. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

/** `*` matches every path; a trailing `*` is a prefix match; otherwise exact. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(rule: PolicyRule, req: Request): boolean {
  if (req.kind === 'resource') {
    if (!verbMatches(rule, req.verb) || !apiGroupMatches(rule, req.apiGroup)) return false;
    const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
    return resourceMatches(rule, combined, req.subresource) && resourceNameMatches(rule, req.name);
  }
  return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path);
}

/** Whether any rule allows the request; `combined` is its `resource[/subresource]` (computed once by the caller). */
export function rulesAllow(rules: readonly PolicyRule[], req: Request, combined: string): boolean {
  for (const rule of rules) {
    if (req.kind !== 'resource') {
      if (verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path)) return true;
    } else if (verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup) && resourceMatches(rule, combined, req.subresource) && resourceNameMatches(rule, req.name)) return true;
  }
  return false;
}

export const SA_USER_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_USER_PREFIX}${namespace}:${name}`;
}

/**
 * Whether a binding subject applies to the user. ServiceAccount subjects without a namespace
 * default to the binding's namespace (none for ClusterRoleBindings: then they match nobody).
 */
export function appliesTo(user: UserInfo, subject: SubjectRef, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      if (!ns) return false;
      return user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const MASTERS = 'system:masters';

/** The identity the API server gives a service account's token, with its implicit groups. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { name: serviceAccountUsername(namespace, name), groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, AUTHENTICATED] };
}

/** A user with the groups every request of that kind carries. */
export function userInfo(name: string, extraGroups: string[] = []): UserInfo {
  if (name.startsWith(SA_USER_PREFIX)) {
    const [ns, sa] = name.slice(SA_USER_PREFIX.length).split(':');
    if (ns && sa) {
      const u = serviceAccountUser(ns, sa);
      return { name: u.name, groups: uniq([...u.groups, ...extraGroups]) };
    }
  }
  if (name === ANONYMOUS) return { name, groups: uniq([UNAUTHENTICATED, ...extraGroups]) };
  const groups = [...extraGroups, AUTHENTICATED];
  if (name.startsWith('system:node:')) groups.push('system:nodes');
  return { name, groups: uniq(groups) };
}

/** A member of a group (and of the groups every member of it carries). */
export function groupMemberInfo(group: string): UserInfo {
  if (group === UNAUTHENTICATED) return { name: ANONYMOUS, groups: [UNAUTHENTICATED] };
  if (group.startsWith('system:serviceaccounts')) return { name: '', groups: uniq([group, 'system:serviceaccounts', AUTHENTICATED]) };
  return { name: '', groups: uniq([group, AUTHENTICATED]) };
}

function uniq(a: string[]): string[] {
  return [...new Set(a)];
}
