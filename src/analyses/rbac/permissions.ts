// Everything a subject may do, grouped by where it holds (cluster-wide, then per namespace).
import type { RbacIndex } from './authorizer.js';
import type { UserInfo } from './match.js';
import type { PolicyRule } from './policy.js';

export interface Permission {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  via: { binding: string; bindingKind: string; role: string; roleKind: string; rule: number; ruleFrom?: string };
}

export interface SubjectPermissions {
  user: UserInfo;
  /** From ClusterRoleBindings: hold in every namespace and for cluster-scoped resources. */
  clusterWide: Permission[];
  /** From RoleBindings, by namespace. */
  namespaces: Record<string, Permission[]>;
}

function toPermission(rule: PolicyRule, via: Permission['via']): Permission {
  const p: Permission = { verbs: rule.verbs, via };
  if (rule.nonResourceURLs.length) p.nonResourceURLs = rule.nonResourceURLs;
  if (rule.resources.length || rule.apiGroups.length) {
    p.apiGroups = rule.apiGroups;
    p.resources = rule.resources;
  }
  if (rule.resourceNames.length) p.resourceNames = rule.resourceNames;
  return p;
}

export function permissionsOf(index: RbacIndex, user: UserInfo, onlyNamespace?: string): SubjectPermissions {
  const out: SubjectPermissions = { user, clusterWide: [], namespaces: {} };
  const namespaces = onlyNamespace ? [onlyNamespace] : index.namespaces();
  const seenCluster = new Set<unknown>();
  for (const { binding, role } of index.boundRoles(user, '')) {
    seenCluster.add(binding);
    for (const rule of role.rules) {
      const via: Permission['via'] = { binding: binding.name, bindingKind: binding.kind, role: role.name, roleKind: role.kind, rule: rule.index };
      if (rule.from) via.ruleFrom = rule.from;
      out.clusterWide.push(toPermission(rule, via));
    }
  }
  for (const ns of namespaces) {
    const list: Permission[] = [];
    for (const { binding, role } of index.boundRoles(user, ns)) {
      if (seenCluster.has(binding)) continue;
      for (const rule of role.rules) {
        // Non-resource URLs are only ever authorized cluster-wide; a RoleBinding cannot grant them.
        if (rule.nonResourceURLs.length && !rule.resources.length) continue;
        const via: Permission['via'] = { binding: binding.name, bindingKind: binding.kind, role: role.name, roleKind: role.kind, rule: rule.index };
        if (rule.from) via.ruleFrom = rule.from;
        list.push(toPermission({ ...rule, nonResourceURLs: [] }, via));
      }
    }
    if (list.length) out.namespaces[ns] = list;
  }
  return out;
}
