// Audit Policy analysis: simulates the API server's first-match evaluation for requests that matter,
// so a policy is judged by what it logs, not by which rules it happens to contain.
import type { JsonObject } from '../../model/types.js';
import { asArray, asString, isObject, pointer } from '../../model/json.js';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

export interface Probe {
  /** Short label for messages: `secrets get`, `pods/exec create`. */
  label: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  /** Request bodies or responses of this request hold credentials. */
  sensitive: boolean;
  /**
   * The lowest level that writes those credentials into the log: `Request` when the request body
   * carries them (writes, token reviews), `RequestResponse` when only the response does (reads,
   * deletes, TokenRequest).
   */
  leaksAt?: 'Request' | 'RequestResponse';
}

/** The requester of every probe: an ordinary user, so rules aimed at system components do not apply. */
export const PROBE_USER = { name: 'rampart-probe-user', groups: ['system:authenticated'] };

const VERBS_READ = ['get', 'list', 'watch'];
const VERBS_WRITE = ['create', 'update', 'patch', 'delete'];

const BODY_VERBS = ['create', 'update', 'patch'];

function probes(group: string, resource: string, verbs: string[], sensitive: boolean, subresource?: string, namespaces: string[] = ['default']): Probe[] {
  return namespaces.flatMap((ns) =>
    verbs.map((verb) => {
      const p: Probe = { label: `${subresource ? `${resource}/${subresource}` : resource} ${verb}`, verb, group, resource, sensitive };
      if (subresource) p.subresource = subresource;
      if (ns) p.namespace = ns;
      if (sensitive) p.leaksAt = BODY_VERBS.includes(verb) && !(resource === 'serviceaccounts' && subresource === 'token') ? 'Request' : 'RequestResponse';
      return p;
    }),
  );
}

const NAMESPACES = ['default', 'kube-system'];
const CLUSTER: string[] = [''];

/** Requests whose bodies carry secrets: they must be logged at Metadata, never Request/RequestResponse. */
export const SENSITIVE_PROBES: Probe[] = [
  ...probes('', 'secrets', [...VERBS_READ, ...VERBS_WRITE], true, undefined, NAMESPACES),
  ...probes('', 'configmaps', [...VERBS_READ, ...VERBS_WRITE], true, undefined, NAMESPACES),
  ...probes('authentication.k8s.io', 'tokenreviews', ['create'], true, undefined, CLUSTER),
  ...probes('', 'serviceaccounts', ['create'], true, 'token', NAMESPACES),
];

/** Requests an investigator needs: they must not be dropped (level None). */
export const IMPORTANT_PROBES: Probe[] = [
  ...SENSITIVE_PROBES,
  ...probes('', 'pods', ['create', 'get'], false, 'exec'),
  ...probes('', 'pods', ['create', 'get'], false, 'attach'),
  ...probes('', 'pods', ['create', 'get'], false, 'portforward'),
  ...probes('', 'pods', ['create', 'delete'], false),
  ...probes('rbac.authorization.k8s.io', 'clusterrolebindings', ['create', 'update', 'patch'], false, undefined, CLUSTER),
  ...probes('rbac.authorization.k8s.io', 'rolebindings', ['create', 'update', 'patch'], false),
  ...probes('rbac.authorization.k8s.io', 'clusterroles', ['create', 'update', 'patch', 'escalate'], false, undefined, CLUSTER),
  ...probes('certificates.k8s.io', 'certificatesigningrequests', ['create'], false, undefined, CLUSTER),
];

export interface PolicyRuleInfo {
  index: number;
  path: string;
  /** undefined when missing or not one of the four levels (the API server refuses the policy). */
  level?: AuditLevel;
  rawLevel: unknown;
  rule: JsonObject;
  /** Matches every request: no users, groups, verbs, resources, namespaces or URLs. */
  unconditional: boolean;
}

function strings(v: unknown): string[] {
  return asArray(v).filter((x): x is string => typeof x === 'string');
}

export function policyRules(policy: JsonObject): PolicyRuleInfo[] {
  return asArray(policy.rules).map((r, index) => {
    const rule = isObject(r) ? r : {};
    const raw = rule.level;
    const level = typeof raw === 'string' && (AUDIT_LEVELS as readonly string[]).includes(raw) ? (raw as AuditLevel) : undefined;
    const unconditional = ['users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs'].every((k) => asArray(rule[k]).length === 0);
    const info: PolicyRuleInfo = { index, path: pointer('rules', index), rawLevel: raw, rule, unconditional };
    if (level) info.level = level;
    return info;
  });
}

/** The API server's rule matching (k8s.io/apiserver/pkg/audit/policy), for a resource request. */
export function ruleMatches(rule: JsonObject, probe: Probe, user = PROBE_USER): boolean {
  const users = strings(rule.users);
  if (users.length && !users.includes(user.name)) return false;
  const groups = strings(rule.userGroups);
  if (groups.length && !groups.some((g) => user.groups.includes(g))) return false;
  const verbs = strings(rule.verbs);
  if (verbs.length && !verbs.includes(probe.verb)) return false;
  const namespaces = strings(rule.namespaces);
  const resources = asArray(rule.resources);
  if (namespaces.length || resources.length) {
    if (namespaces.length && !namespaces.includes(probe.namespace ?? '')) return false;
    if (!resources.length) return true;
    const combined = probe.subresource ? `${probe.resource}/${probe.subresource}` : probe.resource;
    for (const gr of resources) {
      if (!isObject(gr)) continue;
      if ((asString(gr.group) ?? '') !== probe.group) continue;
      const res = strings(gr.resources);
      if (!res.length) return true;
      // resourceNames restrict to named objects; a probe for any object is not covered by them
      if (strings(gr.resourceNames).length) continue;
      for (const r of res) {
        if (r === combined || r === '*') return true;
        if (probe.subresource && r.startsWith('*/') && r.slice(2) === probe.subresource) return true;
        if (r.endsWith('/*') && r.slice(0, -2) === probe.resource) return true;
      }
    }
    return false;
  }
  // nonResourceURLs-only rules never match resource requests
  if (strings(rule.nonResourceURLs).length) return false;
  return true;
}

/** The first rule that matches the probe (the one whose level applies), if any. */
export function firstMatch(rules: PolicyRuleInfo[], probe: Probe): PolicyRuleInfo | undefined {
  return rules.find((r) => ruleMatches(r.rule, probe));
}

export interface ProbeOutcome {
  probe: Probe;
  rule?: PolicyRuleInfo;
}

export function simulate(policy: JsonObject, list: Probe[]): ProbeOutcome[] {
  const rules = policyRules(policy);
  return list.map((probe) => {
    const rule = firstMatch(rules, probe);
    return rule ? { probe, rule } : { probe };
  });
}

/** Groups outcomes by the rule that decided them (for one finding per offending rule). */
export function byRule(outcomes: ProbeOutcome[]): Map<PolicyRuleInfo, Probe[]> {
  const m = new Map<PolicyRuleInfo, Probe[]>();
  for (const o of outcomes) {
    if (!o.rule) continue;
    const list = m.get(o.rule) ?? [];
    list.push(o.probe);
    m.set(o.rule, list);
  }
  return m;
}

/** `secrets (get, list, watch), pods/exec (create)` — compact probe lists for messages. */
export function summariseProbes(list: Probe[]): string {
  const m = new Map<string, { verbs: string[]; namespaces: Set<string> }>();
  for (const p of list) {
    const k = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
    const e = m.get(k) ?? { verbs: [], namespaces: new Set<string>() };
    if (!e.verbs.includes(p.verb)) e.verbs.push(p.verb);
    e.namespaces.add(p.namespace ?? '');
    m.set(k, e);
  }
  // Probes run in `default` and `kube-system`; name the namespace only when the rule is limited to one.
  return [...m.entries()].map(([k, e]) => `${k}${e.namespaces.size === 1 && e.namespaces.has('kube-system') ? ' in kube-system' : ''} (${e.verbs.join(', ')})`).join(', ');
}

const LEVEL_RANK: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Does logging `probe` at `level` write its credentials into the audit log? */
export function leaks(probe: Probe, level: AuditLevel | undefined): boolean {
  return Boolean(probe.leaksAt && level && LEVEL_RANK[level] >= LEVEL_RANK[probe.leaksAt]);
}
