import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { writtenBinding, writtenRoleRules } from '../../analyses/audit/body.js';
import { isFullWildcard } from '../../analyses/rbac/grants.js';

interface State {
  /** ClusterRoles seen created with full wildcard rules in this stream (bounded). */
  wildcardRoles: Set<string>;
}

export default defineEventRule<AuditEvent, State>({
  meta: {
    id: 'audit/cluster-admin-granted',
    title: 'cluster-admin or a wildcard role granted',
    severity: 'critical',
    scope: 'event',
    rationale: 'A binding to cluster-admin (or to a role with * on *) hands over the whole cluster; it is the usual persistence step after a compromise.',
    remediation: 'Check who created the binding and for whom; remove it unless it is an approved break-glass grant; grant narrower roles.',
    references: { mitre: ['T1098', 'T1078'], cis: ['5.1.1'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { roles: { type: 'array', items: { type: 'string' } } } },
    defaults: { roles: ['cluster-admin'] },
  },
  resources: ['clusterroles', 'clusterrolebindings', 'rolebindings'],
  init: () => ({ wildcardRoles: new Set<string>() }),
  verbs: ['create', 'update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    const res = resourceOf(e);
    if (!succeeded(e) || !['create', 'update', 'patch'].includes(e.verb)) return;
    if (res === 'clusterroles') {
      const name = e.objectRef?.name;
      if (name && writtenRoleRules(e).some(isFullWildcard)) {
        ctx.state.wildcardRoles.add(name);
        if (ctx.state.wildcardRoles.size > 10_000) ctx.state.wildcardRoles.delete(ctx.state.wildcardRoles.values().next().value as string);
      }
      return;
    }
    if (res !== 'clusterrolebindings' && res !== 'rolebindings') return;
    const b = writtenBinding(e);
    if (!b) return;
    const admin = (ctx.options.roles as string[]).includes(b.roleName);
    const wildcard = b.roleKind === 'ClusterRole' && ctx.state.wildcardRoles.has(b.roleName);
    if (!admin && !wildcard) return;
    ctx.report({
      message: `${actor(e).username} bound ${b.roleKind} ${b.roleName}${wildcard ? ' (created earlier in this log with * on *)' : ''} to ${b.subjects.join(', ') || 'no subjects'} via ${describeObject(e)}`,
      severity: res === 'rolebindings' ? 'high' : 'critical',
    });
  },
});
