// Which binding subjects stand for "everyone" and how to name subjects in messages.
import type { BindingDef, SubjectRef } from './policy.js';

/** Groups (and the anonymous user) that stand for every identity of a kind. */
export const BROAD_GROUPS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);

/** Bootstrap roles that are meant to be bound to everyone (discovery, self-review, health). */
export const SAFE_BROAD_ROLES = new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

export function isBroadSubject(s: SubjectRef): boolean {
  return (s.kind === 'Group' && BROAD_GROUPS.has(s.name)) || (s.kind === 'User' && s.name === 'system:anonymous');
}

export function describeBindingSubject(s: SubjectRef, b: BindingDef): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${s.namespace || b.namespace || '(no namespace)'}/${s.name}`;
  return `${s.kind} ${s.name}`;
}
