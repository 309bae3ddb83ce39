// Per-object rules run while inputs are read, for the kinds no whole-input analysis reads, so their
// values (CRD schemas, ConfigMap data: ~90% of a typical repository's bytes) are released instead
// of being held until every file is read. The engine later hands out the findings in the order it
// would have made them, so the report is the same as without this step.
import type { Resource } from '../model/types.js';
import type { ResourceIndex } from '../model/index.js';
import { unknownPodTemplate } from '../model/workloads.js';
import type { Finding } from './finding.js';
import type { Report, Rule, RuleContext } from './rule.js';
import { isGlobal } from './rule.js';
import { emptyConfig } from './config.js';
import { buildFinding, planOrder, prepareRules, type PreparedRule, type RunOptions } from './run.js';

/**
 * Kinds whose values only per-object rules read: no whole-input rule, analysis or index looks into
 * them (they are found by kind: RBAC, NetworkPolicy, workloads, Services, namespaces…). Adding a
 * kind here needs that checked in `src/analyses` and the global rules.
 */
export const RELEASABLE_KINDS: ReadonlySet<string> = new Set(['CustomResourceDefinition', 'ConfigMap']);

/** Thrown into a rule that asks for something only the whole input gives (the index, late settings). */
const NEEDS_WHOLE_INPUT = Symbol('needs the whole input');

const NONE: readonly Finding[] = [];

/** Findings per resource, by the rule's position among the plan's runnable rules. */
export interface EarlyFindings {
  /** The plan these results were made with: the engine run must use the same one. */
  readonly plan: readonly PreparedRule[];
  /** Whether rule `rule` (its position among the runnable rules) ran on any object early: most did not, and are not asked about. */
  ranEarly(rule: number): boolean;
  /** What rule `rule` found on `r` when it ran early; undefined when `r` was not evaluated early. */
  findingsOf(r: Resource, rule: number): readonly Finding[] | undefined;
}

export class EarlyRules implements EarlyFindings {
  readonly plan: readonly PreparedRule[];
  /** Resources evaluated early (values released), with what each rule found. */
  private results = new Map<Resource, (readonly Finding[] | undefined)[]>();
  /** Per releasable kind, the runnable rules that judge it. */
  private rulesOf = new Map<string, number[]>();
  private readonly runnable: readonly PreparedRule[];
  private readonly settings: Readonly<Record<string, unknown>>;
  /** Set when the rule running asked for what only the whole input gives (even if it caught the throw). */
  private needsAll = false;
  /** What the rule running reported (made on its first report: most report nothing) and whether it stayed on its object. */
  private found: Report[] | undefined;
  private whole = true;
  /** One context for every rule and object (fields swapped), as the engine does: rules keep nothing of it. */
  private readonly ctx: RuleContext;
  released = 0;
  /**
   * Releasable kinds of which every rule that judges them reads only apiVersion, kind and metadata
   * (`RuleMeta.readsOnlyMetadataOf`): the reader may skim the rest of their objects (ParseLimits.skim),
   * as the value would be released after the rules ran anyway.
   */
  readonly skimKinds = new Set<string>();

  /**
   * `opts` as the engine run will get them; `late` names the settings added after reading (a
   * rule asking for one is not run early).
   */
  constructor(opts: Pick<RunOptions, 'rules' | 'config' | 'only' | 'settings'>, late: readonly string[]) {
    this.plan = prepareRules(opts);
    this.runnable = planOrder(this.plan).runnable;
    const cfg = opts.config ?? emptyConfig();
    const lateKeys = new Set<PropertyKey>(late);
    const needs = () => this.needsWholeInput();
    this.settings = new Proxy(
      { ...cfg.settings, ...(opts.settings ?? {}) },
      {
        get: (t, k) => (lateKeys.has(k) ? needs() : Reflect.get(t, k)),
        has: (t, k) => (lateKeys.has(k) ? needs() : Reflect.has(t, k)),
        ownKeys: () => needs(),
      },
    );
    this.ctx = {
      resource: undefined as unknown as Resource,
      get index(): ResourceIndex {
        return needs();
      },
      options: {},
      settings: this.settings,
      report: (rep) => {
        if (rep.resource) this.whole = false; // resolved against the world's objects: left to the engine
        (this.found ??= []).push(rep);
      },
      notEvaluated: () => {
        this.whole = false;
      },
    };
    for (const kind of RELEASABLE_KINDS) {
      const judges: number[] = [];
      let twice = false;
      this.runnable.forEach((p, i) => {
        if (isGlobal(p.rule)) return;
        const kinds = p.rule.meta.kinds;
        const n = kinds ? kinds.filter((k) => k === kind).length : 1;
        if (n > 1) twice = true; // the engine would run it twice on one object: left to the engine
        if (n > 0) judges.push(i);
      });
      if (twice) continue;
      this.rulesOf.set(kind, judges);
      if (judges.every((i) => this.runnable[i]!.rule.meta.readsOnlyMetadataOf?.includes(kind))) this.skimKinds.add(kind);
    }
  }

  /**
   * Runs the per-object rules on the releasable resources just read and releases their values (the
   * object keeps apiVersion, kind and metadata). A resource stays whole, for the engine to evaluate
   * as usual, when a rule asks for the index or a late setting, reports on another object, withholds
   * a conclusion or fails.
   */
  take(resources: readonly Resource[]): void {
    for (const r of resources) {
      const judges = this.rulesOf.get(r.kind);
      if (!judges || r.podSpecPath || unknownPodTemplate(r) !== undefined) continue;
      const out = this.evaluate(r, judges);
      if (!out) continue;
      this.results.set(r, out);
      const { apiVersion, kind, metadata } = r.object;
      r.object = metadata === undefined ? { apiVersion: apiVersion!, kind: kind! } : { apiVersion: apiVersion!, kind: kind!, metadata };
      this.released++;
    }
  }

  ranEarly(rule: number): boolean {
    for (const judges of this.rulesOf.values()) if (judges.includes(rule)) return this.released > 0;
    return false;
  }

  findingsOf(r: Resource, rule: number): readonly Finding[] | undefined {
    const out = this.results.get(r);
    return out ? (out[rule] ?? NONE) : undefined;
  }

  private needsWholeInput(): never {
    this.needsAll = true;
    throw NEEDS_WHOLE_INPUT;
  }

  private evaluate(r: Resource, judges: readonly number[]): (readonly Finding[] | undefined)[] | undefined {
    const out: (readonly Finding[] | undefined)[] = [];
    const ctx = this.ctx;
    ctx.resource = r;
    this.whole = true;
    for (const i of judges) {
      const { rule, setting, options } = this.runnable[i]!;
      ctx.options = options;
      this.found = undefined;
      this.needsAll = false;
      try {
        (rule as Rule).check(ctx); // judges hold per-object rules only
      } catch {
        return undefined; // the engine runs it again and names the failure, or gives it the index
      }
      if (this.needsAll || !this.whole) return undefined;
      const found = this.found as Report[] | undefined; // set by the rule's reports
      if (found) out[i] = found.map((rep) => buildFinding(rule, setting.severity, r, rep, false));
    }
    return out;
  }
}
