// Per-identity behaviour baselines and anomaly scoring. `BaselineLearner` folds a training window
// into a profile per identity (what it does, from where, with which client, when, how fast);
// `BaselineScorer` judges later events against it: novelty weighted by the sensitivity of what was
// touched, and rate spikes against the identity's own history. Pure; memory bounded per identity.
import type { Severity } from '../../model/types.js';
import type { RuleMeta } from '../../engine/rule.js';
import type { AuditEvent } from './event.js';
import { actor, isAnonymous, isServiceAccount, isSystemComponent, resourceOf, subresourceOf, target, WRITE_VERBS } from './event.js';
import { makeAlert, type Alert } from './detect.js';
import { RecentKeys } from './window.js';

export type IdentityKind = 'serviceaccount' | 'human' | 'system' | 'anonymous';

export interface IdentityProfile {
  kind: IdentityKind;
  events: number;
  firstSeen: string;
  lastSeen: string;
  /** "verb target namespace" → count (target is resource[/subresource] or the request path). */
  activities: Record<string, number>;
  /** Client product (user agent up to the first "/"), e.g. "kubectl" → count. */
  userAgents: Record<string, number>;
  /** Source network (IPv4 /24, IPv6 /64) → count. */
  networks: Record<string, number>;
  /** Events per UTC hour of day. */
  hours: number[];
  /** Requests per active minute: how many minutes, and the largest and mean count. */
  rate: { minutes: number; max: number; mean: number };
  /** True when `activities` hit the cap: novelty of activities is then not judged. */
  truncated?: boolean;
}

export interface Baseline {
  kind: 'RampartAuditBaseline';
  version: 1;
  window: { from: string; to: string; events: number };
  identities: Record<string, IdentityProfile>;
}

export interface ScoreOptions {
  /** Identities with fewer training events are not judged on novelty (too little history), except service accounts. */
  minEvents: number;
  /** A minute with more than max(rateFactor × the largest minute seen in training, minRate) requests is a spike. */
  rateFactor: number;
  minRate: number;
  /** Novelty score (sensitivity weight) at which a person's new activity alerts; service accounts alert on any. */
  humanThreshold: number;
  /** Alert on identities absent from the baseline (service accounts and people; system components are never new). */
  newIdentities: boolean;
  /** Judge hour of day for people with at least this many training events. */
  hourMinEvents: number;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = { minEvents: 20, rateFactor: 5, minRate: 30, humanThreshold: 3, newIdentities: true, hourMinEvents: 100 };

const MAX_ACTIVITIES = 5_000;
const MAX_KEYS = 500;

export function identityKind(e: AuditEvent): IdentityKind {
  const u = actor(e);
  if (isAnonymous(u)) return 'anonymous';
  if (isSystemComponent(u)) return 'system';
  return isServiceAccount(u.username) ? 'serviceaccount' : 'human';
}

export function activityKey(e: AuditEvent): string {
  return `${e.verb} ${target(e)} ${e.objectRef?.namespace ?? '*'}`;
}

export function clientOf(userAgent: string): string {
  return (userAgent.split(/[/ ]/)[0] ?? '').trim() || '(none)';
}

export function networkOf(ip: string | undefined): string {
  if (!ip) return '(none)';
  if (ip.includes(':')) return ip.split(':').slice(0, 4).join(':') + '::/64';
  const p = ip.split('.');
  return p.length === 4 ? `${p[0]}.${p[1]}.${p[2]}.0/24` : ip;
}

/** How much touching this matters: secrets, RBAC, exec and credentials weigh most; writes more than reads. */
export function sensitivity(e: AuditEvent): number {
  const res = resourceOf(e);
  const sub = subresourceOf(e);
  let w = 1;
  if (res === 'secrets' || ['exec', 'attach', 'portforward', 'proxy', 'token', 'approval', 'ephemeralcontainers'].includes(sub)) w = 3;
  else if (/roles$|rolebindings$|webhookconfigurations$|certificatesigningrequests|admissionpolic/.test(res)) w = 3;
  else if (['pods', 'deployments', 'daemonsets', 'statefulsets', 'cronjobs', 'jobs', 'serviceaccounts', 'nodes'].includes(res)) w = 2;
  if (WRITE_VERBS.has(e.verb)) w += 1;
  if (!e.objectRef?.namespace && ['list', 'watch'].includes(e.verb) && res === 'secrets') w += 1;
  return w;
}

function bump(m: Record<string, number>, k: string, cap: number): boolean {
  if (k in m) {
    m[k]!++;
    return true;
  }
  if (Object.keys(m).length >= cap) return false;
  m[k] = 1;
  return true;
}

export class BaselineLearner {
  private ids = new Map<string, IdentityProfile & { minute: number; minuteCount: number; rateSum: number }>();
  private from = Infinity;
  private to = -Infinity;
  private events = 0;

  add(e: AuditEvent): void {
    if (!Number.isFinite(e.time)) return;
    this.events++;
    this.from = Math.min(this.from, e.time);
    this.to = Math.max(this.to, e.time);
    const name = actor(e).username;
    let p = this.ids.get(name);
    if (!p) {
      p = { kind: identityKind(e), events: 0, firstSeen: e.timestamp, lastSeen: e.timestamp, activities: {}, userAgents: {}, networks: {}, hours: new Array<number>(24).fill(0), rate: { minutes: 0, max: 0, mean: 0 }, minute: -1, minuteCount: 0, rateSum: 0 };
      this.ids.set(name, p);
    }
    p.events++;
    if (e.time < Date.parse(p.firstSeen)) p.firstSeen = e.timestamp;
    if (e.time > Date.parse(p.lastSeen)) p.lastSeen = e.timestamp;
    if (!bump(p.activities, activityKey(e), MAX_ACTIVITIES)) p.truncated = true;
    bump(p.userAgents, clientOf(e.userAgent), MAX_KEYS);
    bump(p.networks, networkOf(e.sourceIPs[0]), MAX_KEYS);
    p.hours[new Date(e.time).getUTCHours()]!++;
    const minute = Math.floor(e.time / 60_000);
    if (minute !== p.minute) {
      this.closeMinute(p);
      p.minute = minute;
    }
    p.minuteCount++;
  }

  private closeMinute(p: { minuteCount: number; rate: IdentityProfile['rate']; rateSum: number }): void {
    if (p.minuteCount === 0) return;
    p.rate.minutes++;
    p.rateSum += p.minuteCount;
    p.rate.max = Math.max(p.rate.max, p.minuteCount);
    p.minuteCount = 0;
  }

  finish(): Baseline {
    const identities: Record<string, IdentityProfile> = {};
    for (const [name, p] of [...this.ids].sort(([a], [b]) => a.localeCompare(b))) {
      this.closeMinute(p);
      const { minute: _m, minuteCount: _c, rateSum, ...profile } = p;
      profile.rate.mean = p.rate.minutes ? Math.round((rateSum / p.rate.minutes) * 100) / 100 : 0;
      identities[name] = profile;
    }
    const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : '');
    return { kind: 'RampartAuditBaseline', version: 1, window: { from: iso(this.from), to: iso(this.to), events: this.events }, identities };
  }
}

/** Metadata of the anomaly alerts (listed with the rules; they need a baseline to run). */
export const ANOMALY_METAS: RuleMeta[] = [
  ['new-identity', 'Identity not in the baseline', 'medium', 'A service account or person that never appeared in the training window is acting: a new deployment, or a stolen or forged credential.', ['T1078']],
  ['new-activity', 'Identity did something new to it', 'medium', 'Service accounts repeat the same few requests; a new verb, resource or namespace (above all secrets, RBAC, exec) is a strong sign the token is used by someone else. For people only sensitive novelty alerts.', ['T1078', 'T1552.007']],
  ['new-client', 'Identity used a new client', 'medium', 'A service account suddenly speaking through kubectl, curl or a script means a person holds its token.', ['T1078', 'T1609']],
  ['new-network', 'Identity came from a new network', 'medium', 'A credential used from a network it never came from (another /24) may have been stolen.', ['T1078']],
  ['unusual-hour', 'Person active at an unusual hour', 'low', 'A person acting at an hour they never work, together with other novelty, points at a stolen credential.', ['T1078']],
  ['rate-spike', 'Request rate spike', 'medium', 'Far more requests per minute than the identity ever made: enumeration, scraping of secrets, or a runaway client.', ['T1613', 'T1499']],
].map(([name, title, severity, rationale, mitre]) => ({
  id: `audit/anomaly-${name as string}`,
  title: title as string,
  severity: severity as Severity,
  scope: 'event' as const,
  rationale: rationale as string,
  remediation: 'Check with the owner of the identity whether the activity is expected; if not, revoke its credential. Re-learn the baseline after planned changes (rampart audit learn).',
  references: { mitre: mitre as string[] },
}));

const META = new Map(ANOMALY_METAS.map((m) => [m.id, m]));
/** The answer for events without anomalies: shared, frozen so that no caller can fill it. */
const NONE: Alert[] = Object.freeze([]) as unknown as Alert[];

export class BaselineScorer {
  private readonly opts: ScoreOptions;
  /** Novelties already reported (identity + what was new), so each alerts once. Bounded. */
  private reported = new RecentKeys<true>(100_000);
  private minutes = new RecentKeys<{ minute: number; count: number; alerted: boolean }>(50_000);
  private readonly days: number;
  private readonly clients = new Map<string, string>();
  private readonly networks = new Map<string, string>();

  constructor(
    private readonly baseline: Baseline,
    opts: Partial<ScoreOptions> = {},
  ) {
    this.opts = { ...DEFAULT_SCORE_OPTIONS, ...opts };
    const span = Date.parse(baseline.window.to) - Date.parse(baseline.window.from);
    this.days = Number.isFinite(span) ? Math.max(1, Math.round(span / 86_400_000)) : 0;
  }

  // The event being scored: one object re-pointed per event, so that scoring allocates nothing
  // unless something alerts (messages are built only then).
  private readonly cur: { e: AuditEvent; name: string; sa: boolean; weight: number; source: string | undefined; out: Alert[] | undefined } = {
    e: undefined as unknown as AuditEvent,
    name: '',
    sa: false,
    weight: -1,
    source: undefined,
    out: undefined,
  };

  score(e: AuditEvent, source?: string): Alert[] {
    const name = actor(e).username;
    const kind = identityKind(e);
    const p = this.baseline.identities[name];
    const c = this.cur;
    c.e = e;
    c.name = name;
    c.sa = kind === 'serviceaccount';
    c.weight = -1;
    c.source = source;
    c.out = undefined;
    if (kind === 'system' || kind === 'anonymous') {
      if (p) this.rate(p);
      return c.out ?? NONE; // anonymous access has its own rule; control-plane identities are judged on rate only
    }
    if (!p) {
      if (this.opts.newIdentities) this.emit('new-identity', '', () => `${this.who()} ${describeActivity(e)}, but never appeared in the ${this.days} days baseline`, this.weight() >= 3 ? 'high' : 'medium');
      return c.out ?? NONE;
    }
    const sa = c.sa;
    const enough = sa || p.events >= this.opts.minEvents;
    const act = activityKey(e);
    if (enough && !p.truncated && !(act in p.activities) && (sa || this.weight() >= this.opts.humanThreshold)) {
      this.emit('new-activity', act, () => `${this.who()} ${describeActivity(e)} for the first time in ${this.days} days ${this.history(p)}`, this.weight() >= 3 ? 'high' : sa ? 'medium' : 'low');
    }
    const client = this.clientOf(e.userAgent);
    const knownClient = client in p.userAgents;
    if (enough && !knownClient) {
      this.emit('new-client', client, () => `${this.who()} used client "${client}" for the first time in ${this.days} days (seen before: ${Object.keys(p.userAgents).join(', ')})`, sa ? 'high' : 'low');
    }
    const net = this.networkOf(e.sourceIPs[0]);
    if (enough && !(net in p.networks) && (sa || this.weight() >= this.opts.humanThreshold || !knownClient)) {
      this.emit('new-network', net, () => `${this.who()} ${describeActivity(e)} from ${net}, a network not seen in ${this.days} days (seen before: ${Object.keys(p.networks).slice(0, 5).join(', ')})`, this.weight() >= 3 ? 'high' : 'medium');
    }
    if (!sa && p.events >= this.opts.hourMinEvents && Number.isFinite(e.time)) {
      const h = new Date(e.time).getUTCHours();
      if (p.hours[h] === 0) this.emit('unusual-hour', `${new Date(e.time).toISOString().slice(0, 13)}`, () => `${this.who()} ${describeActivity(e)} at ${String(h).padStart(2, '0')}:00 UTC, an hour with no activity in ${this.days} days`, this.weight() >= 3 ? 'medium' : 'low');
    }
    this.rate(p);
    return c.out ?? NONE;
  }

  /** Reports a novelty of the current event once per identity and key. */
  private emit(rule: string, key: string, message: () => string, severity: Severity): void {
    const c = this.cur;
    if (this.reported.getOrAdd(`${rule}\u0000${c.name}\u0000${key}`, true) !== undefined) return;
    const m = META.get(`audit/anomaly-${rule}`)!;
    (c.out ??= []).push(makeAlert(m, c.e, { key: `${c.name}\u0000${key}`, severity, message: message(), source: c.source }));
  }

  private who(): string {
    const { name, sa } = this.cur;
    return sa ? `sa ${name.slice('system:serviceaccount:'.length).replace(':', '/')}` : name;
  }

  /** The sensitivity of the current event, computed once and only when a decision needs it. */
  private weight(): number {
    const c = this.cur;
    if (c.weight < 0) c.weight = sensitivity(c.e);
    return c.weight;
  }

  private history(p: IdentityProfile): string {
    return `(baseline: ${p.events} requests over ${this.days} days, ${Object.keys(p.activities).length} distinct activities)`;
  }

  /** Clients and networks repeat: memoised (bounded) instead of re-split per event. */
  private clientOf(userAgent: string): string {
    let c = this.clients.get(userAgent);
    if (c === undefined) {
      if (this.clients.size >= 10_000) this.clients.clear();
      this.clients.set(userAgent, (c = clientOf(userAgent)));
    }
    return c;
  }

  private networkOf(ip: string | undefined): string {
    if (!ip) return networkOf(ip);
    let n = this.networks.get(ip);
    if (n === undefined) {
      if (this.networks.size >= 10_000) this.networks.clear();
      this.networks.set(ip, (n = networkOf(ip)));
    }
    return n;
  }

  private rate(p: IdentityProfile): void {
    const { e, name } = this.cur;
    if (!Number.isFinite(e.time)) return;
    const minute = Math.floor(e.time / 60_000);
    let m = this.minutes.get(name);
    if (!m || m.minute !== minute) {
      m = { minute, count: 0, alerted: false };
      this.minutes.set(name, m);
    }
    m.count++;
    const limit = Math.max(this.opts.rateFactor * p.rate.max, this.opts.minRate);
    if (m.count > limit && !m.alerted) {
      m.alerted = true;
      this.emit('rate-spike', String(minute), () => `${this.who()} made more than ${limit} requests in one minute (baseline: at most ${p.rate.max}, on average ${p.rate.mean} per active minute)`, 'medium');
    }
  }

}

function describeActivity(e: AuditEvent): string {
  const verb = { get: 'read', list: 'listed', watch: 'watched', create: 'created', update: 'updated', patch: 'patched', delete: 'deleted', deletecollection: 'deleted all' }[e.verb] ?? e.verb;
  const ns = e.objectRef?.namespace;
  return `${verb} ${target(e)}${ns ? ` in ${ns}` : e.objectRef ? ' cluster-wide' : ''}`;
}
