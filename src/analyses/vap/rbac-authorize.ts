// The `authorizer` binding answered by the RBAC engine over the scanned roles and bindings.
import type { ResourceIndex } from '../../model/index.js';
import { scanPolicy } from '../rbac/scan-policy.js';
import { userInfo } from '../rbac/match.js';
import type { AuthzQuery } from './cel.js';
import type { RequestUser } from './evaluate.js';

/**
 * `incomplete` names RBAC kinds that could not be read: an allow found is still sound (RBAC only
 * adds), but a denial may be wrong, so it is an authorizer error (Decision.errored()).
 */
export function rbacAuthorize(resources: ResourceIndex, settings: Readonly<Record<string, unknown>>, incomplete?: string): (user: RequestUser, q: AuthzQuery) => boolean {
  const { index } = scanPolicy(resources, settings);
  return (user, q) => {
    const u = userInfo(user.username, user.groups);
    const req = q.path !== undefined
      ? { kind: 'nonResource' as const, verb: q.verb, path: q.path }
      : { kind: 'resource' as const, verb: q.verb, namespace: q.namespace, apiGroup: q.group, resource: q.resource, subresource: q.subresource, name: q.name };
    if (index.allows(u, req) !== undefined) return true;
    if (incomplete) throw new Error(`RBAC not fully read (${incomplete}): a denial cannot be trusted`);
    return false;
  };
}
