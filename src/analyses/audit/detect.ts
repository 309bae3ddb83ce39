// The audit detector: runs the event rules over a stream of audit events, one event at a time.
// Pure and stateful: rule state (sliding windows) and the auditID dedupe set are bounded.
// Pods and pod controllers in request bodies go through the scanner's own rules (one engine).
import { createHash } from '../../model/digest.js';
import type { JsonValue, Severity } from '../../model/types.js';
import { severityRank } from '../../model/types.js';
import type { AnyRule, EventRule, EventRuleContext, RuleMeta } from '../../engine/rule.js';
import type { Config } from '../../engine/config.js';
import { emptyConfig, ruleSettingFor } from '../../engine/config.js';
import { runEngine } from '../../engine/run.js';
import { hasPodSpec } from '../../model/workloads.js';
import { bodyResource, writtenObject } from './body.js';
import { RecentKeys } from './window.js';
import type { AuditEvent, ObjectRef } from './event.js';
import { actor, describeObject } from './event.js';

export interface Alert {
  /** Stable across re-deliveries of the same event: hash of rule id and auditID (or window key). */
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  auditID: string;
  user: string;
  verb: string;
  objectRef: ObjectRef;
  timestamp: string;
  sourceIPs: string[];
  userAgent: string;
  mitre: string[];
  /** Where the event was read (file:line or the receiver batch). */
  source?: string;
  details?: Record<string, JsonValue>;
}

export interface DetectorStats {
  /** Events given to the detector (valid Events). */
  events: number;
  /** Events evaluated (stage ResponseComplete or Panic, first delivery). */
  evaluated: number;
  /** Events of other stages (RequestReceived, ResponseStarted): the same request is judged once, at completion. */
  otherStages: number;
  /** Re-deliveries of an event already judged (same auditID and stage). */
  duplicates: number;
  /** Pod specs that could not be evaluated because the event carries no request/response body (audit level Metadata). */
  podSpecsWithoutBody: number;
  /** CSRs created without their request in the event (audit level Metadata): their subject could not be checked. */
  csrsWithoutBody: number;
  alerts: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
}

export interface DetectorOptions {
  rules: readonly EventRule<AuditEvent>[];
  /**
   * The scanner's rules. Those named by an active event rule's `scannerRules` option judge the
   * pod specs found in request bodies (one engine for manifests and the audit log).
   */
  scannerRules: readonly AnyRule[];
  config?: Config;
  /** Restrict to these rule ids. */
  only?: (id: string) => boolean;
  /** How many recent auditIDs to remember for dedupe. */
  dedupeWindow?: number;
}

export interface EventOrigin {
  source: string;
  /** Line in `source` (alerts name `source:line`); 0 or absent for sources without lines. */
  line?: number;
}

/** `file:line`, or the source alone. */
export function originName(o: EventOrigin | undefined): string | undefined {
  return o && (o.line ? `${o.source}:${o.line}` : o.source);
}

const EVALUATED_STAGES = new Set(['ResponseComplete', 'Panic', '']);
/** The answer for the (most) events without alerts: shared, frozen so that no caller can fill it. */
const NO_ALERTS: Alert[] = Object.freeze([]) as unknown as Alert[];

interface ActiveRule {
  rule: EventRule<AuditEvent>;
  options: Record<string, unknown>;
  severity?: Severity;
  state: unknown;
}

export class AuditDetector {
  readonly stats: DetectorStats = {
    events: 0,
    evaluated: 0,
    otherStages: 0,
    duplicates: 0,
    podSpecsWithoutBody: 0,
    csrsWithoutBody: 0,
    alerts: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    byRule: {},
  };
  /** Whether the last event given to process() was judged (final stage, first delivery). */
  lastEvaluated = false;
  private readonly active: ActiveRule[];
  /** verb → resource → the active rules that can fire on them. */
  private readonly index = new Map<string, Map<string, ActiveRule[]>>();
  /** auditID → the stage it was judged at, for the most recent `dedupeWindow` events or more. */
  private readonly seen: RecentKeys<string>;
  private readonly config: Config;
  private readonly workloadRules: AnyRule[];
  // The event being judged, for the shared rule context.
  private current: ActiveRule | undefined;
  private origin: EventOrigin | undefined;
  private workload: ReturnType<EventRuleContext<AuditEvent>['workloadFindings']> | undefined;
  private out: Alert[] = [];
  private readonly ctx: EventRuleContext<AuditEvent, unknown> = {
    event: undefined as unknown as AuditEvent,
    options: {},
    state: undefined,
    workloadFindings: () => (this.workload ??= this.judgeWorkload(this.ctx.event, this.origin)),
    report: (r) => {
      const e = this.ctx.event;
      const a = this.current!;
      const m = a.rule.meta;
      const alert = makeAlert(m, e, { key: (r.details?.windowKey as string | undefined) ?? e.auditID, severity: a.severity ?? r.severity ?? m.severity, message: r.message, source: originName(this.origin) });
      if (r.details) alert.details = r.details;
      if (this.out === NO_ALERTS) this.out = [];
      this.out.push(alert);
    },
  };

  constructor(opts: DetectorOptions) {
    this.config = opts.config ?? emptyConfig();
    this.seen = new RecentKeys(opts.dedupeWindow ?? 100_000);
    this.active = [];
    for (const rule of opts.rules) {
      const s = ruleSettingFor(this.config, rule.meta.id);
      if (!(s.enabled ?? !rule.meta.defaultOff)) continue;
      if (opts.only && !opts.only(rule.meta.id)) continue;
      const options = { ...(rule.meta.defaults ?? {}), ...(s.options ?? {}) };
      const a: ActiveRule = { rule, options, state: rule.init ? rule.init(options) : undefined };
      if (s.severity) a.severity = s.severity;
      this.active.push(a);
    }
    const wanted = new Set(this.active.flatMap((a) => (Array.isArray(a.options.scannerRules) ? a.options.scannerRules.map(String) : [])));
    this.workloadRules = opts.scannerRules.filter((r) => wanted.has(r.meta.id));
  }

  get ruleIds(): string[] {
    return this.active.map((a) => a.rule.meta.id);
  }

  /** Judges one event; returns its alerts (none for duplicates and non-final stages). */
  process(e: AuditEvent, origin?: EventOrigin): Alert[] {
    this.stats.events++;
    this.lastEvaluated = false;
    // Requests are judged once: at completion, or when an upgraded connection (exec, attach,
    // port-forward: HTTP 101) started, since its completion may come hours later or never.
    const upgraded = e.stage === 'ResponseStarted' && e.code === 101;
    if (!EVALUATED_STAGES.has(e.stage) && !upgraded) {
      this.stats.otherStages++;
      return NO_ALERTS;
    }
    const judgedAt = this.seen.getOrAdd(e.auditID, e.stage);
    if (judgedAt !== undefined) {
      if (judgedAt === e.stage) this.stats.duplicates++;
      else this.stats.otherStages++;
      return NO_ALERTS;
    }
    this.stats.evaluated++;
    this.lastEvaluated = true;

    // One context for the detector's life, re-pointed at each event and rule (allocation per event shows in profiles).
    const ctx = this.ctx;
    ctx.event = e;
    this.origin = origin;
    this.workload = undefined;
    this.out = NO_ALERTS;
    for (const a of this.rulesFor(e.verb, e.objectRef?.resource ?? '')) {
      this.current = a;
      ctx.options = a.options;
      ctx.state = a.state;
      a.rule.check(ctx as EventRuleContext<AuditEvent>);
    }
    if (e.objectRef?.resource === 'certificatesigningrequests' && e.verb === 'create' && !e.objectRef.subresource && !e.requestObject && !e.responseObject && e.code > 0 && e.code < 400) this.stats.csrsWithoutBody++;
    const out = this.out;
    for (const al of out) {
      this.stats.alerts++;
      this.stats.bySeverity[al.severity]++;
      this.stats.byRule[al.ruleId] = (this.stats.byRule[al.ruleId] ?? 0) + 1;
    }
    return out;
  }

  /** The active rules that can fire on a verb and resource, in registry order (cached per pair; both are bounded in practice, the cache by size). */
  private rulesFor(verb: string, resource: string): ActiveRule[] {
    let byResource = this.index.get(verb);
    if (!byResource) {
      byResource = new Map();
      if (this.index.size < 100) this.index.set(verb, byResource);
    }
    let list = byResource.get(resource);
    if (!list) {
      list = this.active.filter((a) => (!a.rule.resources || a.rule.resources.includes(resource)) && (!a.rule.verbs || a.rule.verbs.includes(verb)));
      if (byResource.size < 1_000) byResource.set(resource, list);
    }
    return list;
  }

  /** Runs the scanner's workload rules on the pod spec the request carries (or the object it produced). */
  private judgeWorkload(e: AuditEvent, origin?: EventOrigin) {
    const obj = writtenObject(e);
    if (!obj) {
      if (e.objectRef?.resource === 'pods' && !e.objectRef.subresource) this.stats.podSpecsWithoutBody++;
      return [];
    }
    const resource = bodyResource(obj, e, originName(origin));
    if (!hasPodSpec(resource) || this.workloadRules.length === 0) return [];
    const report = runEngine({ resources: [resource], errors: [], skipped: [] }, { rules: this.workloadRules, config: this.config });
    return report.findings.filter((f) => !f.suppressed).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, path: f.location.path }));
  }
}

/** An alert about event `e` from the rule described by `meta`; `key` makes its id (stable across re-deliveries). */
export function makeAlert(meta: RuleMeta, e: AuditEvent, a: { key: string; severity: Severity; message: string; source?: string | undefined }): Alert {
  const alert: Alert = {
    id: alertId(meta.id, a.key),
    ruleId: meta.id,
    severity: a.severity,
    title: meta.title,
    message: a.message,
    auditID: e.auditID,
    user: actor(e).username,
    verb: e.verb,
    objectRef: e.objectRef ?? {},
    timestamp: e.timestamp,
    sourceIPs: e.sourceIPs,
    userAgent: e.userAgent,
    mitre: meta.references.mitre ?? [],
  };
  if (a.source) alert.source = a.source;
  return alert;
}

export function alertId(ruleId: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${key}`).digest('hex').slice(0, 24);
}

export function worstSeverity(list: readonly { severity: Severity }[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const x of list) if (!worst || severityRank(x.severity) > severityRank(worst)) worst = x.severity;
  return worst;
}

/**
 * For rules that raise the scanner's findings on an event's body: the findings of the wanted
 * scanner rules, and a message naming who wrote what; undefined when none fired.
 */
export function scannerVerdict(
  e: AuditEvent,
  findings: readonly { ruleId: string; severity: Severity; message: string; path: string }[],
  wanted: readonly string[],
): { message: string; severity: Severity; rules: string[]; findings: { ruleId: string; severity: Severity; message: string; path: string }[] } | undefined {
  if (!['create', 'update', 'patch'].includes(e.verb) || e.code <= 0 || e.code >= 400 || e.objectRef?.subresource) return undefined;
  const set = new Set(wanted);
  const hits = findings.filter((f) => set.has(f.ruleId));
  if (hits.length === 0) return undefined;
  return {
    message: `${actor(e).username} ${e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)}: ${hits.map((f) => `${f.ruleId}: ${f.message}`).join('; ')}`,
    severity: worstSeverity(hits) ?? 'high',
    rules: [...new Set(hits.map((f) => f.ruleId))],
    findings: hits,
  };
}
