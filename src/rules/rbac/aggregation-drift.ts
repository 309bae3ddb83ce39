import { defineGlobalRule } from '../../engine/rule.js';
import { roleFromResource, type PolicyIssue, type PolicyRule, type RoleDef } from '../../analyses/rbac/policy.js';
import { aggregate } from '../../analyses/rbac/authorizer.js';

/** A rule's grant, as the aggregation controller copies it (verbatim). */
function grantKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

function describe(r: PolicyRule): string {
  const what = r.nonResourceURLs.length ? r.nonResourceURLs.join(',') : `${r.resources.join(',')}${r.apiGroups.some((g) => g) ? ` (${r.apiGroups.join(',')})` : ''}`;
  return `${r.verbs.join(',')} ${what}`;
}

export default defineGlobalRule({
  meta: {
    id: 'rbac/aggregation-drift',
    title: 'Aggregated ClusterRole differs from what its aggregation labels imply',
    severity: 'medium',
    scope: 'global',
    rationale:
      'An aggregated ClusterRole (admin, edit, view, or your own) gets its rules from every ClusterRole whose labels match its clusterRoleSelectors; the controller rewrites its rules to that union. Rules that the selectors do not imply were edited in by hand (and will vanish, or hide what the role really grants between reconciles); implied rules that are missing mean the controller has not filled the role, so what the role grants is about to change. Either way the permissions reviewed are not the permissions granted.',
    remediation:
      'Grant extra permissions through a separate ClusterRole carrying the aggregation label (and review every ClusterRole that carries such a label: it widens every subject bound to the aggregated role), never by editing the aggregated role.',
    references: {
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1078'],
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles'],
    },
  },
  check(ctx) {
    const issues: PolicyIssue[] = [];
    const roles = ctx.index.ofKind('ClusterRole').map((r) => roleFromResource(r, issues)).filter((r): r is RoleDef => r !== undefined);
    if (!roles.some((r) => r.aggregation)) return;
    const implied = new Map(aggregate(roles).map((r) => [r.resource, r.rules]));
    for (const role of roles) {
      // An unfilled role (as in manifests, before the controller runs) says nothing about drift.
      if (!role.aggregation || !role.resource || role.rules.length === 0) continue;
      const want = new Map(implied.get(role.resource)!.map((r) => [grantKey(r), r]));
      const have = new Map(role.rules.map((r) => [grantKey(r), r]));
      const extra = [...have].filter(([k]) => !want.has(k)).map(([, r]) => r);
      const missing = [...want].filter(([k]) => !have.has(k)).map(([, r]) => r);
      if (extra.length === 0 && missing.length === 0) continue;
      const parts: string[] = [];
      if (extra.length) parts.push(`${extra.length} rule(s) no selected ClusterRole grants (${extra.slice(0, 3).map(describe).join('; ')}${extra.length > 3 ? '; …' : ''})`);
      if (missing.length) parts.push(`${missing.length} rule(s) its selectors imply are missing (${missing.slice(0, 3).map((r) => `${describe(r)} from ${r.from ?? '?'}`).join('; ')}${missing.length > 3 ? '; …' : ''})`);
      ctx.report({
        resource: role.resource,
        path: extra.length ? `/rules/${extra[0]!.index}` : '/aggregationRule',
        message: `aggregated ClusterRole ${role.name} has ${parts.join(' and ')}`,
        details: { extra: extra.map(describe), missing: missing.map(describe) },
      });
    }
  },
});
