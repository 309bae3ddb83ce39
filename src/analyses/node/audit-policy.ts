// Audit Policy analysis: simulates the API server's first-match evaluation for requests that matter,
// so a policy is judged by what it logs, not by which rules it happens to contain.
import type { JsonObject } from '../../model/types.js';
import { asArray, asString, isObject, pointer } from '../../model/json.js';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

export interface ProbeUser {
  name: string;
  groups: string[];
}

export interface Probe {
  /** Short label for messages: `secrets get`, `pods/exec create`. */
  label: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** '' for cluster-scoped requests. */
  namespace?: string;
  /** The object's name; absent for requests on the collection (list, watch, create) or on any object. */
  name?: string;
  /** The requester; absent: PROBE_USER. */
  user?: ProbeUser;
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
export const PROBE_USER: ProbeUser = { name: 'rampart-probe-user', groups: ['system:authenticated'] };

/** A namespace no rule names: stands for "any other namespace". */
export const ANY_NAMESPACE = 'rampart-any-namespace';

const VERBS_READ = ['get', 'list', 'watch'];
const VERBS_WRITE = ['create', 'update', 'patch', 'delete'];
/** Verbs whose request names one object (RequestInfo.Name is set), so resourceNames can match. */
const NAMED_VERBS = ['get', 'update', 'patch', 'delete'];

const BODY_VERBS = ['create', 'update', 'patch'];

interface ProbeSpace {
  namespaces: string[];
  /** Object names to try besides "any object" (named verbs only). */
  names?: string[];
  users?: ProbeUser[];
}

function probes(group: string, resource: string, verbs: string[], sensitive: boolean, subresource: string | undefined, space: ProbeSpace): Probe[] {
  const users: (ProbeUser | undefined)[] = [undefined, ...(space.users ?? [])];
  const names: (string | undefined)[] = [undefined, ...(space.names ?? [])];
  return users.flatMap((user) =>
    space.namespaces.flatMap((ns) =>
      verbs.flatMap((verb) =>
        names
          .filter((name) => name === undefined || NAMED_VERBS.includes(verb))
          .map((name) => {
            const p: Probe = { label: `${subresource ? `${resource}/${subresource}` : resource} ${verb}`, verb, group, resource, sensitive };
            if (subresource) p.subresource = subresource;
            if (ns) p.namespace = ns;
            if (name !== undefined) p.name = name;
            if (user) p.user = user;
            if (sensitive) p.leaksAt = BODY_VERBS.includes(verb) && !(resource === 'serviceaccounts' && subresource === 'token') ? 'Request' : 'RequestResponse';
            return p;
          }),
      ),
    ),
  );
}

const CLUSTER: ProbeSpace = { namespaces: [''] };

/** What a policy's rules mention: each is probed, with "any other" besides. */
function mentioned(policy: JsonObject): { namespaces: string[]; names: string[]; users: ProbeUser[] } {
  const namespaces = new Set(['default', 'kube-system']);
  const names = new Set<string>();
  const users: ProbeUser[] = [];
  for (const r of asArray(policy.rules)) {
    if (!isObject(r)) continue;
    strings(r.namespaces).forEach((ns) => ns && namespaces.add(ns));
    for (const gr of asArray(r.resources)) if (isObject(gr)) strings(gr.resourceNames).forEach((n) => names.add(n));
    for (const u of strings(r.users)) if (!users.some((x) => x.name === u)) users.push({ name: u, groups: ['system:authenticated'] });
    for (const g of strings(r.userGroups)) if (!PROBE_USER.groups.includes(g)) users.push({ name: `rampart-probe-member-of:${g}`, groups: ['system:authenticated', g] });
  }
  let any = ANY_NAMESPACE;
  while (namespaces.has(any)) any += '-';
  return { namespaces: [...namespaces, any], names: [...names].sort(), users };
}

/**
 * Requests whose bodies carry secrets: they must be logged at Metadata, never Request/RequestResponse.
 * Probed in every namespace, for every object name and user the policy's rules mention, and for any other.
 */
export function sensitiveProbes(policy: JsonObject): Probe[] {
  const m = mentioned(policy);
  const space: ProbeSpace = { namespaces: m.namespaces, names: m.names, users: m.users };
  return [
    ...probes('', 'secrets', [...VERBS_READ, ...VERBS_WRITE], true, undefined, space),
    ...probes('', 'configmaps', [...VERBS_READ, ...VERBS_WRITE], true, undefined, space),
    ...probes('authentication.k8s.io', 'tokenreviews', ['create'], true, undefined, { ...CLUSTER, users: m.users }),
    ...probes('', 'serviceaccounts', ['create'], true, 'token', space),
  ];
}

/**
 * Requests an investigator needs: they must not be dropped (level None, or every stage omitted).
 * Probed for an ordinary user in every namespace the rules mention and any other; rules that drop
 * one named object or one system user's requests are noise filters, not gaps.
 */
export function importantProbes(policy: JsonObject): Probe[] {
  const space: ProbeSpace = { namespaces: mentioned(policy).namespaces };
  return [
    ...probes('', 'secrets', [...VERBS_READ, ...VERBS_WRITE], true, undefined, space),
    ...probes('', 'configmaps', [...VERBS_READ, ...VERBS_WRITE], true, undefined, space),
    ...probes('authentication.k8s.io', 'tokenreviews', ['create'], true, undefined, CLUSTER),
    ...probes('', 'serviceaccounts', ['create'], true, 'token', space),
    ...probes('', 'pods', ['create', 'get'], false, 'exec', space),
    ...probes('', 'pods', ['create', 'get'], false, 'attach', space),
    ...probes('', 'pods', ['create', 'get'], false, 'portforward', space),
    ...probes('', 'pods', ['create', 'delete'], false, undefined, space),
    ...probes('rbac.authorization.k8s.io', 'clusterrolebindings', ['create', 'update', 'patch'], false, undefined, CLUSTER),
    ...probes('rbac.authorization.k8s.io', 'rolebindings', ['create', 'update', 'patch'], false, undefined, space),
    ...probes('rbac.authorization.k8s.io', 'clusterroles', ['create', 'update', 'patch', 'escalate'], false, undefined, CLUSTER),
    ...probes('certificates.k8s.io', 'certificatesigningrequests', ['create'], false, undefined, CLUSTER),
  ];
}

/** Audit stages (audit.k8s.io/v1). Panic is left out of "logs something": it is only written when a request crashes. */
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
const LONG_RUNNING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log']);

/** Stages an event is written at for this request: ResponseStarted only for long-running ones (watch, exec…). */
export function stagesOf(probe: Probe): string[] {
  const long = probe.verb === 'watch' || (probe.subresource !== undefined && LONG_RUNNING_SUBRESOURCES.has(probe.subresource));
  return long ? ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] : ['RequestReceived', 'ResponseComplete'];
}

/** The policy's omitStages together with the rule's (the API server omits their union). */
export function omittedStages(policy: JsonObject, rule?: JsonObject): Set<string> {
  return new Set([...strings(policy.omitStages), ...(rule ? strings(rule.omitStages) : [])]);
}

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
export function ruleMatches(rule: JsonObject, probe: Probe, user: ProbeUser = probe.user ?? PROBE_USER): boolean {
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
      // resourceNames restrict to named objects: a request on the collection or another object is not covered
      const names = strings(gr.resourceNames);
      if (names.length && (probe.name === undefined || !names.includes(probe.name))) continue;
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
  /** What is written for the request: the rule's level, or None when its stages are all omitted; undefined when no rule matches (not logged). */
  level?: AuditLevel;
  /** True when the rule's level is not None but omitStages leave no stage of this request. */
  stagesOmitted: boolean;
  /** Bodies go into the ResponseComplete event only: omitting that stage keeps them out. */
  bodiesLogged: boolean;
}

export function simulate(policy: JsonObject, list: Probe[]): ProbeOutcome[] {
  const rules = policyRules(policy);
  return list.map((probe) => {
    const rule = firstMatch(rules, probe);
    if (!rule) return { probe, stagesOmitted: false, bodiesLogged: false };
    const omitted = omittedStages(policy, rule.rule);
    const stagesOmitted = rule.level !== undefined && rule.level !== 'None' && stagesOf(probe).every((st) => omitted.has(st));
    const out: ProbeOutcome = { probe, rule, stagesOmitted, bodiesLogged: !omitted.has('ResponseComplete') };
    const level = stagesOmitted ? 'None' : rule.level;
    if (level) out.level = level;
    return out;
  });
}

/** True when the policy writes no event at all: no rule logs anything once omitStages are applied. */
export function logsNothing(policy: JsonObject): boolean {
  const logged = ['RequestReceived', 'ResponseStarted', 'ResponseComplete'];
  return policyRules(policy).every((r) => r.level === 'None' || r.level === undefined || logged.every((st) => omittedStages(policy, r.rule).has(st)));
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

/**
 * `secrets (get, list, watch), pods/exec (create)` — compact probe lists for messages. `all`: every
 * probe that was tried, to say which namespaces a rule leaves out ("in any namespace but default").
 */
export function summariseProbes(list: Probe[], all: Probe[] = list): string {
  const triedNs = new Set(all.map((p) => p.namespace ?? ''));
  const m = new Map<string, { verbs: string[]; namespaces: Set<string>; names: Set<string | undefined>; users: Set<string | undefined> }>();
  for (const p of list) {
    const k = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
    const e = m.get(k) ?? { verbs: [], namespaces: new Set<string>(), names: new Set<string | undefined>(), users: new Set<string | undefined>() };
    if (!e.verbs.includes(p.verb)) e.verbs.push(p.verb);
    e.namespaces.add(p.namespace ?? '');
    e.names.add(p.name);
    e.users.add(p.user?.name);
    m.set(k, e);
  }
  // Name the namespaces, objects and users only when the rule is limited to them.
  const userLabel = (u: string) => (u.startsWith('rampart-probe-member-of:') ? `members of ${u.slice('rampart-probe-member-of:'.length)}` : u);
  return [...m.entries()]
    .map(([k, e]) => {
      const ns = [...e.namespaces].filter(Boolean);
      const missing = [...triedNs].filter((x) => x && !e.namespaces.has(x));
      const inNs = !ns.length ? '' : !ns.some((x) => x.startsWith(ANY_NAMESPACE)) ? ` in ${ns.join(', ')}` : missing.length ? ` in any namespace but ${missing.join(', ')}` : '';
      const named = e.names.has(undefined) ? '' : ` named ${[...e.names].map((n) => JSON.stringify(n)).join(', ')}`;
      const by = e.users.has(undefined) ? '' : ` by ${[...e.users].map((u) => userLabel(u!)).join(', ')}`;
      return `${k}${named}${inNs}${by} (${e.verbs.join(', ')})`;
    })
    .join(', ');
}

const LEVEL_RANK: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Does the outcome write the probe's credentials into the audit log? */
export function leaks(o: ProbeOutcome): boolean {
  return Boolean(o.probe.leaksAt && o.level && o.bodiesLogged && LEVEL_RANK[o.level] >= LEVEL_RANK[o.probe.leaksAt]);
}
