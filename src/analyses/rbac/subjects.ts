// Parsing subject names as users type them: `User:alice`, `Group:system:masters`,
// `ServiceAccount:ns/name`, `sa:ns:name`, `system:serviceaccount:ns:name`, or a bare user name.
import type { Identity } from './escalation.js';
import { SA_USER_PREFIX } from './match.js';

export function parseSubject(text: string): Identity | undefined {
  if (text.startsWith(SA_USER_PREFIX)) {
    const [ns, name, ...rest] = text.slice(SA_USER_PREFIX.length).split(':');
    return ns && name && rest.length === 0 ? { kind: 'ServiceAccount', namespace: ns, name } : undefined;
  }
  const m = /^([A-Za-z]+)[:/](.+)$/.exec(text);
  if (!m) return text ? { kind: 'User', name: text } : undefined;
  const kind = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (kind === 'user') return { kind: 'User', name: rest };
  if (kind === 'group') return { kind: 'Group', name: rest };
  if (kind === 'serviceaccount' || kind === 'sa') {
    const parts = rest.split(/[:/]/);
    return parts.length === 2 && parts[0] && parts[1] ? { kind: 'ServiceAccount', namespace: parts[0], name: parts[1] } : undefined;
  }
  // `system:kube-scheduler` and similar user names contain a colon.
  return { kind: 'User', name: text };
}

export function formatSubject(s: { kind: string; name: string; namespace?: string }): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}
