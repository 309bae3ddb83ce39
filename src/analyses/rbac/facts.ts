// What the escalation graph needs to know about the cluster besides RBAC: which service accounts
// exist or run in each namespace, which legacy token Secrets exist (names only, never data),
// and which namespaces enforce Pod Security Admission.
import type { Resource } from '../../model/types.js';
import { asString, getIn } from '../../model/json.js';
import { podSpecOf } from '../../model/workloads.js';
import { DEFAULT_NAMESPACE, type Policy } from './policy.js';

export interface ClusterFacts {
  namespaces: Set<string>;
  /** ns → service accounts that exist, run pods, or are named by bindings (always incl. `default`). */
  serviceAccounts: Map<string, Set<string>>;
  /** ns → service account → workloads (`Kind/name`) whose pods run as it. */
  runningAs: Map<string, Map<string, string[]>>;
  /** ns → service account → legacy token Secret names. */
  tokenSecrets: Map<string, Map<string, string[]>>;
  /** ns → `pod-security.kubernetes.io/enforce` level. */
  psaEnforce: Map<string, string>;
}

export function emptyFacts(): ClusterFacts {
  return { namespaces: new Set(), serviceAccounts: new Map(), runningAs: new Map(), tokenSecrets: new Map(), psaEnforce: new Map() };
}

function addSa(f: ClusterFacts, ns: string, name: string): void {
  f.namespaces.add(ns);
  let s = f.serviceAccounts.get(ns);
  if (!s) f.serviceAccounts.set(ns, (s = new Set(['default'])));
  s.add(name);
}

function addTo(m: Map<string, Map<string, string[]>>, ns: string, sa: string, v: string): void {
  let inner = m.get(ns);
  if (!inner) m.set(ns, (inner = new Map()));
  const list = inner.get(sa);
  if (list) list.push(v);
  else inner.set(sa, [v]);
}

export function clusterFactsFrom(resources: readonly Resource[], policy?: Policy): ClusterFacts {
  const f = emptyFacts();
  for (const r of resources) {
    const ns = r.namespace ?? DEFAULT_NAMESPACE;
    if (r.kind === 'Namespace') {
      f.namespaces.add(r.name);
      addSa(f, r.name, 'default');
      const level = r.labels['pod-security.kubernetes.io/enforce'];
      if (level) f.psaEnforce.set(r.name, level);
      continue;
    }
    if (r.kind === 'ServiceAccount') {
      addSa(f, ns, r.name);
      continue;
    }
    if (r.kind === 'Secret') {
      if (asString(r.object.type) !== 'kubernetes.io/service-account-token') continue;
      const sa = r.annotations['kubernetes.io/service-account.name'];
      if (!sa) continue;
      addSa(f, ns, sa);
      addTo(f.tokenSecrets, ns, sa, r.name);
      continue;
    }
    const pod = podSpecOf(r);
    if (pod) {
      const sa = asString(getIn(pod.spec, 'serviceAccountName')) || asString(getIn(pod.spec, 'serviceAccount')) || 'default';
      addSa(f, ns, sa);
      addTo(f.runningAs, ns, sa, `${r.kind}/${r.name}`);
    }
  }
  for (const b of policy?.bindings ?? []) {
    if (b.namespace) f.namespaces.add(b.namespace);
    for (const s of b.subjects) if (s.kind === 'ServiceAccount' && (s.namespace || b.namespace)) addSa(f, (s.namespace || b.namespace)!, s.name);
  }
  for (const r of policy?.roles ?? []) if (r.namespace) f.namespaces.add(r.namespace);
  for (const ns of f.namespaces) addSa(f, ns, 'default');
  return f;
}
