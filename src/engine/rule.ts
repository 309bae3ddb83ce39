// What a rule is: metadata + a pure check function (+ optional fix). Rules never do I/O.
import type { JsonValue, Resource, ResourceRef, Severity } from '../model/types.js';
import type { ResourceIndex } from '../model/index.js';

export interface References {
  /** Pod Security Standards level the control belongs to. */
  pss?: 'baseline' | 'restricted';
  /** CIS Kubernetes Benchmark item ids, e.g. "5.2.2". */
  cis?: string[];
  /** NSA/CISA Kubernetes Hardening Guide sections, e.g. "Pod security: non-root containers". */
  nsa?: string[];
  /** MITRE ATT&CK technique ids, e.g. "T1611". */
  mitre?: string[];
  /** Further reading. */
  urls?: string[];
}

export interface RuleMeta {
  /** `<family>/<name>`, stable. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters: the attack or failure it prevents. */
  rationale: string;
  remediation: string;
  references: References;
  /**
   * Kinds the rule looks at; omitted means every resource. Ignored by `global` rules. A rule whose
   * kinds are `WORKLOAD_KINDS` itself (the exported array) is handed only the objects that carry a pod
   * spec: not a core Service, whose kind's name Knative's Service shares.
   */
  kinds?: string[];
  /**
   * Kinds (among those it looks at) of which the rule reads only apiVersion, kind and metadata.
   * `rampart scan` checks the rest of such objects without building it when every rule that looks
   * at the kind says so (see docs/rules.md); a rule that does not name a kind here keeps it whole.
   */
  readsOnlyMetadataOf?: string[];
  /** `resource` rules run once per matching resource; `global` rules once per scan with the index; `event` rules once per audit event. */
  scope?: 'resource' | 'global' | 'event';
  /** Off unless enabled in the config (noisy or opinionated rules). */
  defaultOff?: boolean;
  /** JSON Schema (draft-07) of the rule's options in `.rampart.yaml`. */
  optionsSchema?: Record<string, unknown>;
  /** Default options. */
  defaults?: Record<string, unknown>;
  /**
   * Set when the rule attaches `fix` ops to its findings; the one source for `rampart rules`, the
   * docs and `rampart fix` (a rule without it is never fixed). `safe`: cannot change what the
   * workload does at run time; `may-break`: can stop a workload that relies on what it removes
   * (root, a writable root filesystem, a capability, ...), applied only with `--include may-break`.
   */
  fixClass?: FixClass;
  /** For `may-break` fixes: what a workload could lose (shown with the fix class). */
  fixRisk?: string;
}

export type FixClass = 'safe' | 'may-break';

/** A fix is a list of edits to the object, applied to the source document (comments survive). */
export type FixOp =
  | { op: 'set'; path: string; value: JsonValue }
  | { op: 'remove'; path: string };

export interface Report {
  message: string;
  /** JSON Pointer relative to the object (e.g. `/spec/containers/0/securityContext/privileged`). */
  path?: string;
  /** Overrides the rule's severity for this finding (e.g. restricted-only vs baseline). */
  severity?: Severity;
  /** The resource the finding is about, when not the one being checked (global rules must set it). */
  resource?: Resource | ResourceRef;
  fix?: FixOp[];
  /** Extra structured data for reports (never secret values). */
  details?: Record<string, JsonValue>;
}

export interface RuleContext {
  /** The resource under check (for `global` rules: undefined). */
  resource: Resource;
  index: ResourceIndex;
  options: Record<string, unknown>;
  /** Scan-wide settings a rule may read (e.g. PSS level/version). */
  settings: Readonly<Record<string, unknown>>;
  report(r: Report): void;
  /**
   * A conclusion the rule withheld because something in the input could change it and is not
   * evaluated (a Cilium policy where a default deny is missing). It is named in the report's
   * `skipped` list and counted in `summary.notEvaluated` (exit 2): never read as a pass.
   */
  notEvaluated(n: NotEvaluatedReport): void;
}

export interface NotEvaluatedReport {
  /** The object that could not be evaluated (its file and line name the entry). */
  resource: Resource;
  path?: string;
  reason: string;
  hint?: string;
}

export interface GlobalContext extends Omit<RuleContext, 'resource'> {
  resource?: undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export interface GlobalRule {
  meta: RuleMeta & { scope: 'global' };
  check(ctx: GlobalContext): void;
}

export type AnyRule = Rule | GlobalRule;

export function isGlobal(r: AnyRule): r is GlobalRule {
  return r.meta.scope === 'global';
}

/** Identity helpers that give rule files type checking without boilerplate. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

export function defineGlobalRule(rule: GlobalRule): GlobalRule {
  return rule;
}

/**
 * Event rules look at one API-server audit event at a time (the audit pipeline calls them; the
 * scanner never does). They share RuleMeta, config (enable, severity, options) and the catalog.
 * `state` is the rule's own memory across events (e.g. sliding windows): created by `init`,
 * kept by the caller, bounded by the rule.
 */
export interface EventRuleContext<E, S = undefined> {
  event: E;
  options: Record<string, unknown>;
  state: S;
  /** Findings of the scanner's workload rules on the request object (pods and pod controllers); computed on first use. */
  workloadFindings(): readonly { ruleId: string; severity: Severity; message: string; path: string }[];
  report(r: { message: string; severity?: Severity; details?: Record<string, JsonValue> }): void;
}

export interface EventRule<E = unknown, S = any> {
  meta: RuleMeta & { scope: 'event' };
  /** The `objectRef.resource` values the rule can fire on; the runner skips it for others (speed only). Omitted: every event. */
  resources?: readonly string[];
  /** The verbs the rule can fire on (and the only ones that change its state); the runner skips it for others (speed only). Omitted: every verb. */
  verbs?: readonly string[];
  init?(options: Record<string, unknown>): S;
  check(ctx: EventRuleContext<E, S>): void;
}

export function defineEventRule<E, S = undefined>(rule: EventRule<E, S>): EventRule<E, S> {
  return rule;
}
