// Runs rules over resources, applies settings and suppressions, and builds the report.
import type { InputError, Location, Position, Resource, ResourceRef, Severity, Skipped } from '../model/types.js';
import { refOf, severityRank } from '../model/types.js';
import { ResourceIndex } from '../model/index.js';
import type { AnyRule, GlobalContext, NotEvaluatedReport, Report, Rule, RuleContext, RuleMeta } from './rule.js';
import { isGlobal } from './rule.js';
import type { Config, RuleSetting } from './config.js';
import { emptyConfig, ruleSettingFor } from './config.js';
import type { Finding, ScanReport, Summary } from './finding.js';
import { emptyCounts } from './finding.js';
import { annotationSuppression, configSuppression, isExpired } from './suppress.js';
import { VERSION } from '../version.js';
import { mergeSameSource } from './same-source.js';
import { CUSTOM_WORKLOAD_KEY, WORKLOAD_KINDS, hasPodSpec, memoisePodSpecs } from '../model/workloads.js';
import { pointer } from '../model/json.js';
import type { ValidateFunction } from 'ajv';
import { PassRecord } from './passes.js';
import { createRequire } from 'node:module';
import type { EarlyFindings } from './early.js';

const MISSING_REASON_RULE: AnyRule = {
  meta: {
    id: 'config/suppression-without-reason',
    title: 'Suppression annotation without a reason',
    severity: 'low',
    rationale: 'An accepted risk must say why it was accepted, so that reviewers can revisit it.',
    remediation: 'Set the annotation value to the reason, e.g. ignore.rampart.dev/workload.probes: "batch job, no server".',
    references: {},
  },
  check: () => undefined,
};

const EXPIRED_EXCEPTION_META: RuleMeta = {
  id: 'config/expired-exception',
  title: 'Expired exception',
  severity: 'medium',
  rationale: 'An exception records an accepted risk for a limited time. Once it expires the risk must be re-reviewed: fixed, or accepted again with a current reason.',
  remediation: 'Fix the findings it covered, or renew the exception with a new expiry date and a current reason.',
  references: {},
};

/** Metadata of the findings the engine itself produces (config hygiene), for reporters and rule listings. */
export const ENGINE_RULE_METAS: readonly RuleMeta[] = [MISSING_REASON_RULE.meta, EXPIRED_EXCEPTION_META];

export interface EngineInput {
  resources: Resource[];
  errors: InputError[];
  skipped: Skipped[];
  files?: number;
  /**
   * Evaluate only these resources (e.g. the object under admission review); `resources` then serve
   * as context for the rules' cross-object look-ups. Omitted: every resource is a target.
   */
  targets?: Resource[];
  /** A prebuilt index of `resources` (a long-lived front reuses its context index across calls). */
  index?: ResourceIndex;
  /** Called once each world's findings are located: a scan passes the reader's, which drops its position caches. */
  releasePositions?: () => void;
  /**
   * Per-object results made while the input was read (`EarlyRules`, whose values were then
   * released): handed out in place of running those rules again. Made with the run's own plan
   * (`RunOptions.prepared` must be its `plan`).
   */
  early?: EarlyFindings;
}

export interface RunOptions {
  rules: AnyRule[];
  config?: Config;
  /** Scan-wide settings for rules (merged over config settings), e.g. `{ pss: { level: 'restricted' } }`. */
  settings?: Record<string, unknown>;
  /** Restrict to these rule ids or globs. */
  only?: (id: string) => boolean;
  now?: Date;
  /** `resource`: run per-resource rules only (a front judging single objects has no whole-input view). */
  scope?: 'all' | 'resource';
  /**
   * Record which per-resource rules passed on which resources (`ScanReport.passes`), for reports that
   * list passes. Off by default: only the PolicyReport output pays for it.
   */
  recordPasses?: boolean;
  /**
   * The rules as `prepareRules` selected and configured them for these same rules, config, `only`
   * and `scope`: a long-lived front (webhook, audit) runs the engine per object and does this once.
   */
  prepared?: readonly PreparedRule[];
}

/** A rule as one run executes it: its config setting, options merged over its defaults, or why it cannot run. */
export interface PreparedRule {
  rule: AnyRule;
  setting: RuleSetting;
  options: Record<string, unknown>;
  /** Invalid options in the config: the rule is not run and the run is incomplete (fail closed). */
  optionsError?: InputError;
}

/** Rules that are on after config: `defaultOff` rules need `enabled: true`. */
export function enabledRules(rules: AnyRule[], cfg: Config): AnyRule[] {
  return rules.filter((r) => {
    const s = ruleSettingFor(cfg, r.meta.id);
    return s.enabled ?? !r.meta.defaultOff;
  });
}

function isResource(x: Resource | ResourceRef): x is Resource {
  return 'locator' in x;
}

/** The rules a run with these options executes (enabled, selected, in scope), each with its setting and options. */
export function prepareRules(opts: Pick<RunOptions, 'rules' | 'config' | 'only' | 'scope'>): PreparedRule[] {
  const cfg = opts.config ?? emptyConfig();
  let rules = enabledRules(opts.rules, cfg);
  if (opts.only) rules = rules.filter((r) => opts.only!(r.meta.id));
  if (opts.scope === 'resource') rules = rules.filter((r) => !isGlobal(r));
  return rules.map((rule) => {
    const setting = ruleSettingFor(cfg, rule.meta.id);
    const options = { ...(rule.meta.defaults ?? {}), ...(setting.options ?? {}) };
    const optionsError = checkOptions(rule.meta, setting.options, cfg);
    return optionsError ? { rule, setting, options, optionsError } : { rule, setting, options };
  });
}

export function runEngine(input: EngineInput, opts: RunOptions): ScanReport {
  const cfg = opts.config ?? emptyConfig();
  // Read only when a config exception needs it (a webhook judges thousands of objects a second without any).
  let now = opts.now;
  const today = () => (now ??= new Date());
  const targetsOnly = input.targets;
  const settings: Record<string, unknown> = { ...cfg.settings, ...(opts.settings ?? {}) };
  const worlds = worldsOf(input, settings.oneCluster === true);
  const findings: Finding[] = [];
  const errors: InputError[] = [...input.errors];
  const plan = opts.prepared ?? prepareRules(opts);
  const early = input.early;
  if (early && early.plan !== plan) throw new Error('early results were made with another plan');

  // Which resource each finding is about, so suppression annotations are read from the right object
  // even when two files define objects with the same kind/namespace/name.
  const resourceOf = new Map<Finding, Resource>();
  // Findings whose position is still to be looked up (see locateFindings).
  const unlocated: Finding[] = [];
  // Look-ups for suppressions span every world: a finding's object is found by identity first.
  // Made when first asked (a bare reference reported, a finding on no object we have): most runs never do.
  let byRef: Map<string, Resource> | undefined;
  const allRefs = () => (byRef ??= refTable(targetsOnly ?? input.resources));
  // Conclusions rules withheld: named and counted as not evaluated (fail closed), once per object and reason.
  const withheld: Skipped[] = [];
  const withheldSeen = new Set<string>();
  // The rule running now, its current object and what it produced (made on its first output: most
  // rules report nothing on most objects); gathered in plan order once its world is done (see below).
  // One context, one report sink and one withheld sink serve every rule and object of the run (their
  // fields are swapped), not a context and two closures per rule and object: a front judging one
  // object runs ~40 rules per request. Rules are synchronous and keep nothing of their context.
  let outputs: RuleOutput[] = [];
  let outIndex = 0;
  let current: PreparedRule | undefined;
  let currentNotPassed: ReturnType<PassRecord['add']> | undefined;
  let currentResource: Resource | undefined;
  let worldRef: Map<string, Resource> | undefined;
  let worldAll: readonly Resource[] = [];
  const worldRefs = () => (worldRef ??= worlds.length === 1 ? allRefs() : refTable(worldAll));
  const output = (): RuleOutput => (outputs[outIndex] ??= newOutput());
  const notEvaluated = (n: NotEvaluatedReport) => {
    const at = n.resource.locator.locate(n.path ?? '');
    output().withheld.push({ key: `${at.file}\u0000${at.line}\u0000${n.reason}`, skipped: { file: at.file, line: at.line, reason: n.reason, ...(n.hint ? { hint: n.hint } : {}), failsClosed: true } });
  };
  const reportFinding = (rep: Report) => {
    const { rule, setting } = current!;
    const resource = currentResource;
    const named = rep.resource;
    // A bare reference to an object we have is resolved to it, so the finding gets a file and position.
    const target = named == null ? resource : isResource(named) ? named : (worldRefs().get(refKey(named)) ?? named);
    if (!target) throw new Error(`rule ${rule.meta.id} reported without a resource`);
    const f = buildFinding(rule, setting.severity, target, rep, false);
    (outputs[outIndex] ??= newOutput()).findings.push(f);
    const located = isResource(target);
    if (currentNotPassed) {
      if (resource) currentNotPassed.add(resource);
      if (located) currentNotPassed.add(target as Resource);
    }
    if (located) {
      resourceOf.set(f, target as Resource);
      unlocated.push(f);
    } else if (resource && refKey(refOf(resource)) === refKey(target)) resourceOf.set(f, resource);
  };
  // Every object of one rule, in a function of its own: runEngine runs once per scan and stays in the
  // interpreter, while this small loop, run for every (rule, object) pair, is optimised on its own.
  const judgeEach = (rule: Rule, ctx: RuleContext, targets: readonly Resource[], earlyRan: EarlyFindings | undefined, i: number, notPassed: Set<Resource> | undefined) => {
    for (let t = 0; t < targets.length; t++) {
      const resource = targets[t]!;
      const made = earlyRan?.findingsOf(resource, i);
      if (made) {
        // Evaluated as it was read (its value is gone): its findings, in the place the rule gives them.
        if (made.length === 0) continue;
        const out = output();
        for (let k = 0; k < made.length; k++) {
          const f = made[k]!;
          out.findings.push(f);
          resourceOf.set(f, resource);
          unlocated.push(f);
        }
        notPassed?.add(resource);
        continue;
      }
      ctx.resource = currentResource = resource;
      try {
        rule.check(ctx);
      } catch (e) {
        notPassed?.add(resource);
        const p = resource.locator.locate('');
        output().errors.push({ file: resource.file, line: p.line, message: `rule ${rule.meta.id} could not evaluate ${resource.kind}/${resource.name}: ${(e as Error).message}` });
      }
    }
  };
  // Rules with invalid options are not run (fail closed), named once however many worlds there are.
  // (The plan's entries are used as they are, not copied: a front runs this per request.)
  const { runnable, runOrder, optionErrors } = orderOf(plan, opts.prepared !== undefined);
  for (const e of optionErrors) errors.push(e);
  const passes = opts.recordPasses ? new PassRecord(targetsOnly ?? input.resources) : undefined;
  // Global rules judge the whole input: they have no pass per resource to record.
  const notPassedOf = passes ? runnable.map((p) => (isGlobal(p.rule) ? undefined : passes.add(p.rule.meta.id, p.rule.meta.kinds))) : [];
  for (let w = 0; w < worlds.length; w++) {
    const { index } = worlds[w]!;
    // Dropped as soon as its rules ran: what analyses cached per index (RBAC and attack-path
    // graphs, policy views) is then garbage while the next world runs, not held to the end.
    worlds[w] = undefined;
    const located = unlocated.length;
    worldRef = undefined;
    worldAll = index.all;
    outputs = [];
    const ctx: RuleContext = { resource: undefined as unknown as Resource, index, options: {}, settings, report: reportFinding, notEvaluated };
    // Each kind list's targets, looked up once per world (rules share their lists: WORKLOAD_KINDS,
    // the RBAC kinds), not joined into a key per rule; WORKLOAD_KINDS's filtered (see workloadTargets).
    const targetsByKinds = new Map<readonly string[], readonly Resource[]>();
    // Pod specs and containers read once per object while this world's rules run (dropped after).
    const endMemo = memoisePodSpecs();
    try {
      for (const i of runOrder) {
        const { rule, options } = (current = runnable[i]!);
        const notPassed = (currentNotPassed = notPassedOf[i]);
        outIndex = i;
        ctx.options = options;
        if (isGlobal(rule)) {
          currentResource = undefined;
          const gctx: GlobalContext = { index, options, settings, report: reportFinding, notEvaluated };
          try {
            rule.check(gctx);
          } catch (e) {
            output().errors.push({ file: '', message: `rule ${rule.meta.id} failed: ${(e as Error).message}` });
          }
          continue;
        }
        const kinds = rule.meta.kinds;
        let targets = targetsOnly ? targetsOfKinds(targetsOnly, kinds) : kinds ? targetsByKinds.get(kinds) : index.all;
        if (targets === undefined) {
          targets = kinds === WORKLOAD_KINDS ? workloadTargets(index.ofKind(...kinds)) : index.ofKind(...kinds!);
          targetsByKinds.set(kinds!, targets);
        }
        judgeEach(rule, ctx, targets, early?.ranEarly(i) ? early : undefined, i, notPassed);
      }
    } finally {
      endMemo();
    }
    gatherOutputs(outputs, findings, errors, withheld, withheldSeen);
    // Located while this world's documents are the ones the locators read last (cross-object
    // analyses ask positions too): the reader's bounded position caches still hold them.
    locateFindings(index.all, unlocated.slice(located), resourceOf);
    input.releasePositions?.();
  }

  const extra = suppress(findings, resourceOf, allRefs, cfg, today);
  for (const e of cfg.exceptions) {
    if (!isExpired(e, today())) continue;
    const file = e.location?.file ?? cfg.file ?? '.rampart.yaml';
    const m = EXPIRED_EXCEPTION_META;
    extra.push({
      ruleId: m.id,
      severity: ruleSettingFor(cfg, m.id).severity ?? m.severity,
      title: m.title,
      message: `exception for ${e.rules.join(', ')} expired on ${e.expires} and no longer suppresses findings (reason was: ${e.reason})`,
      resource: { apiVersion: 'rampart.dev/v1', kind: 'Config', name: file },
      location: e.location ?? { file, line: 1, column: 1, path: '' },
      remediation: m.remediation,
      references: { cis: [], nsa: [], mitre: [] },
      suppressed: false,
    });
  }
  findings.push(...extra);
  sortFindings(findings);
  const merged = mergeSameSource(findings);

  const skipped = withheld.length ? [...input.skipped, ...withheld] : input.skipped;
  const summary = summarise({ ...input, skipped }, merged, errors, plan.length);
  const report: ScanReport = { tool: { name: 'rampart', version: VERSION }, summary, findings: merged, errors, skipped };
  if (passes) report.passes = passes;
  return report;
}

// The per-finding loops of a run live in functions of their own: runEngine runs once per scan and
// stays in the interpreter, while these are optimised (~20k findings at 4x the corpus).

/** One world's rule outputs appended in plan order, so the report does not depend on the order the rules ran in. */
function gatherOutputs(outputs: RuleOutput[], findings: Finding[], errors: InputError[], withheld: Skipped[], withheldSeen: Set<string>): void {
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i];
    if (!o) continue;
    for (let k = 0; k < o.findings.length; k++) findings.push(o.findings[k]!);
    for (let k = 0; k < o.errors.length; k++) errors.push(o.errors[k]!);
    for (let k = 0; k < o.withheld.length; k++) {
      const { key, skipped } = o.withheld[k]!;
      if (withheldSeen.has(key)) continue;
      withheldSeen.add(key);
      withheld.push(skipped);
    }
  }
}

/**
 * Marks suppressed findings: annotation first (closest to the resource), then config exceptions.
 * Returns the engine's own findings on annotations that give no reason (once per object and annotation).
 */
function suppress(findings: Finding[], resourceOf: Map<Finding, Resource>, allRefs: () => Map<string, Resource>, cfg: Config, today: () => Date): Finding[] {
  const extra: Finding[] = [];
  const reasonless = new Set<string>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const res = resourceOf.get(f) ?? allRefs().get(refKey(f.resource));
    const a = annotationSuppression(f.ruleId, res);
    if (a.missingReason && res) {
      const once = `${res.file}\u0000${res.docIndex}\u0000${res.basePath}\u0000${a.missingReason}`;
      if (!reasonless.has(once)) {
        reasonless.add(once);
        extra.push(
          buildFinding(MISSING_REASON_RULE, ruleSettingFor(cfg, MISSING_REASON_RULE.meta.id).severity, res, {
            message: `annotation ${a.missingReason} has no reason, so it does not suppress ${f.ruleId}; write why the risk is accepted as its value`,
            path: pointer('metadata', 'annotations', a.missingReason),
          }),
        );
      }
    }
    const s = a.suppression ?? (cfg.exceptions.length ? configSuppression(cfg, f, today()) : undefined);
    if (s) {
      f.suppressed = true;
      f.suppression = s;
    }
  }
  return extra;
}

/** A plan's runnable rules, the order they run in (indexes into `runnable`) and the option errors of those that cannot run. */
export interface PlanOrder {
  runnable: readonly PreparedRule[];
  runOrder: readonly number[];
  optionErrors: readonly InputError[];
}

// Per prepared plan: a front runs the engine per object with the same plan.
const planOrders = new WeakMap<readonly PreparedRule[], PlanOrder>();

/** The plan's runnable rules in the numbering a run uses (and keeps for this plan). */
export function planOrder(plan: readonly PreparedRule[]): PlanOrder {
  return orderOf(plan, true);
}

function orderOf(plan: readonly PreparedRule[], keep: boolean): PlanOrder {
  const known = planOrders.get(plan);
  if (known) return known;
  const runnable: PreparedRule[] = [];
  const optionErrors: InputError[] = [];
  for (const p of plan) {
    if (p.optionsError) optionErrors.push(p.optionsError);
    else runnable.push(p);
  }
  // Whole-input rules first: they build the largest passing structures (escalation and attack-path
  // graphs, policy matrices), which then coexist with fewer findings and caches of the per-object
  // rules (-15% peak heap at 4x the corpus). Outputs are gathered in plan order all the same.
  const runOrder = [...runnable.keys()].sort((a, b) => Number(isGlobal(runnable[b]!.rule)) - Number(isGlobal(runnable[a]!.rule)) || a - b);
  const order = { runnable, runOrder, optionErrors };
  if (keep) planOrders.set(plan, order);
  return order;
}

/** A rule's findings, failures and withheld conclusions in one world. */
interface RuleOutput {
  findings: Finding[];
  errors: InputError[];
  withheld: { key: string; skipped: Skipped }[];
}

function newOutput(): RuleOutput {
  return { findings: [], errors: [], withheld: [] };
}

const optionValidators = new WeakMap<object, ValidateFunction>();

/** Validates a rule's options from the config against its `optionsSchema`; an error names the config file and line. */
function checkOptions(meta: RuleMeta, options: Record<string, unknown> | undefined, cfg: Config): InputError | undefined {
  if (!options || !meta.optionsSchema) return undefined;
  let validate = optionValidators.get(meta.optionsSchema);
  if (!validate) {
    // Required on first use, not imported at the top: only runs with rule options pay ajv's load.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    validate = new Ajv({ allErrors: true, strict: false }).compile(meta.optionsSchema);
    optionValidators.set(meta.optionsSchema, validate);
  }
  if (validate(options)) return undefined;
  const e = validate.errors?.[0];
  const where = `${e?.instancePath ?? ''}`;
  const err: InputError = {
    file: cfg.file ?? '.rampart.yaml',
    message: `invalid options for rule ${meta.id}${where ? ` at ${where}` : ''}: ${e?.message ?? 'does not match its schema'}; the rule was not run`,
  };
  const line = cfg.ruleLines?.[meta.id];
  if (line !== undefined) err.line = line;
  return err;
}

const NO_TARGETS: readonly Resource[] = [];

/** The targets a rule of these kinds judges; a front judging one object per run allocates nothing here. */
function targetsOfKinds(targets: Resource[], kinds: readonly string[] | undefined): readonly Resource[] {
  if (!kinds) return targets;
  if (targets.length === 1) return judgesKind(kinds, targets[0]!) ? targets : NO_TARGETS;
  return targets.filter((r) => judgesKind(kinds, r));
}

function judgesKind(kinds: readonly string[], r: Resource): boolean {
  if (kinds === WORKLOAD_KINDS) return hasPodSpec(r);
  return kinds.includes(r.kind) || (r.podSpecPath !== undefined && kinds.includes(CUSTOM_WORKLOAD_KEY));
}

/**
 * What a rule whose `kinds` is WORKLOAD_KINDS itself judges: objects that carry a pod spec. A core
 * Service shares its kind's name with Knative's and would otherwise be handed to every workload rule
 * (a quarter of all rule calls on the real-world corpus) only to be turned away; PolicyReport
 * passes already leave such objects out for these rules (passes.ts `passApplies`).
 */
function workloadTargets(list: readonly Resource[]): readonly Resource[] {
  return list.every(hasPodSpec) ? list : list.filter(hasPodSpec);
}

/** Each reference's first object, by `refKey`. */
function refTable(resources: readonly Resource[]): Map<string, Resource> {
  const table = new Map<string, Resource>();
  for (const r of resources) {
    const k = refKey(refOf(r));
    if (!table.has(k)) table.set(k, r);
  }
  return table;
}

function refKey(r: ResourceRef): string {
  return `${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}\u0000${r.apiVersion}`;
}

/**
 * Looks up the source positions of findings resource by resource, in input order: a locator
 * re-parses its document to find a line, so findings of one document are located together.
 */
function locateFindings(resources: readonly Resource[], unlocated: Finding[], resourceOf: Map<Finding, Resource>): void {
  const byResource = findingsByResource(unlocated, resourceOf);
  // Findings of one object often point at the same place (a container's hardening rules, a pod spec):
  // each place is looked up once (half the findings of the real-world corpus share one).
  const places = new Map<string, { at: Location; rendered: Position | undefined } | undefined>();
  const paths: string[] = [];
  // Each finding's path within its object, cut once (the hint and the look-up both use it).
  const within: string[] = [];
  const locate = (r: Resource, fs: Finding[]) => {
    places.clear();
    const locator = r.locator;
    const base = r.basePath.length;
    within.length = 0;
    for (let i = 0; i < fs.length; i++) within.push(base === 0 ? fs[i]!.location.path : fs[i]!.location.path.slice(base));
    if (locator.willLocate) {
      // Told the places first, the locator may read only the parts of the document they are in.
      paths.length = 0;
      for (let i = 0; i < within.length; i++) {
        const path = within[i]!;
        if (!places.has(path)) {
          places.set(path, undefined);
          paths.push(path);
        }
      }
      locator.willLocate(paths);
    }
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i]!;
      const path = within[i]!;
      let place = places.get(path);
      if (place === undefined) places.set(path, (place = { at: locator.locate(path), rendered: locator.rendered?.(path) }));
      f.location = { ...place.at, path: f.location.path };
      const rendered = place.rendered;
      if (rendered) {
        // Same key order as buildFinding gives (reports print fields in object order).
        const { fix, details } = f;
        delete f.fix;
        delete f.details;
        f.rendered = rendered;
        if (fix) f.fix = fix;
        if (details) f.details = details;
      }
    }
    byResource.delete(r);
  };
  for (const r of resources) {
    const fs = byResource.get(r);
    if (fs) locate(r, fs);
  }
  for (const [r, fs] of byResource) locate(r, fs);
}

/** Findings grouped by their object, in order (a loop of its own: see gatherOutputs). */
function findingsByResource(findings: readonly Finding[], resourceOf: Map<Finding, Resource>): Map<Resource, Finding[]> {
  const byResource = new Map<Resource, Finding[]>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const r = resourceOf.get(f)!;
    const list = byResource.get(r);
    if (list) list.push(f);
    else byResource.set(r, [f]);
  }
  return byResource;
}

/**
 * The installs the input holds. Objects of different roots (Resource.root: paths given to `scan`,
 * the projects of a folder of projects, each rendered chart or overlay) are separate installs, so
 * cross-object rules (RBAC paths, NetworkPolicy, exposure, namespace counts) see one root at a time:
 * a chart's namespace-less objects never share `default` or an RBAC world with another project's.
 * `oneCluster` (settings.oneCluster, `scan --one-cluster`) joins them all, as one cluster. Fronts
 * that judge targets against a context (the webhook) have one world.
 */
function worldsOf(input: EngineInput, oneCluster: boolean): ({ index: ResourceIndex } | undefined)[] {
  const single = () => [{ index: input.index ?? new ResourceIndex(input.resources) }];
  if (oneCluster || input.targets) return single();
  const byRoot = new Map<string | undefined, Resource[]>();
  for (const r of input.resources) {
    const list = byRoot.get(r.root);
    if (list) list.push(r);
    else byRoot.set(r.root, [r]);
  }
  if (byRoot.size <= 1) return single();
  return [...byRoot.values()].map((rs) => ({ index: new ResourceIndex(rs) }));
}

/** A finding on `target`; with `locate` false its position is left for locateFindings (path only). */
export function buildFinding(rule: AnyRule, severityOverride: Severity | undefined, target: Resource | ResourceRef, rep: Report, locate = true): Finding {
  const m = rule.meta;
  const path = rep.path ?? '';
  const resource = isResource(target);
  // Unlocated (the scan's case, every finding): the location in one literal, not a copy of another.
  const location: Finding['location'] =
    resource && locate ? { ...target.locator.locate(path), path: target.basePath + path } : resource ? { file: target.file, line: 0, column: 0, path: target.basePath + path } : { file: '', line: 0, column: 0, path };
  const f: Finding = {
    ruleId: m.id,
    severity: severityOverride ?? rep.severity ?? m.severity,
    title: m.title,
    message: rep.message,
    resource: resource ? sharedRef(target) : target,
    location,
    remediation: m.remediation,
    references: referencesOf(m),
    suppressed: false,
  };
  const rendered = resource && locate ? target.locator.rendered?.(path) : undefined;
  if (rendered) f.rendered = rendered;
  if (rep.fix) f.fix = rep.fix;
  if (rep.details) f.details = rep.details;
  return f;
}

// Findings of one rule share its references, and findings of one object its reference: a large
// scan holds tens of thousands of findings, and these never differ between them (read-only).
const references = new WeakMap<RuleMeta, Finding['references']>();
const refs = new WeakMap<Resource, ResourceRef>();

function referencesOf(m: RuleMeta): Finding['references'] {
  let r = references.get(m);
  if (!r) {
    r = { cis: m.references.cis ?? [], nsa: m.references.nsa ?? [], mitre: m.references.mitre ?? [] };
    if (m.references.pss) r.pss = m.references.pss;
    if (m.references.urls) r.urls = m.references.urls;
    references.set(m, r);
  }
  return r;
}

function sharedRef(target: Resource): ResourceRef {
  let r = refs.get(target);
  if (!r) {
    r = refOf(target);
    refs.set(target, r);
  }
  return r;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    textOrder(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    textOrder(a.ruleId, b.ruleId) ||
    textOrder(a.message, b.message)
  );
}

/**
 * Sorts as `compareFindings` does (the same stable order), comparing numbers: each file's place among
 * the files is worked out once (localeCompare, files it finds equal share a place), findings are put
 * in their file's bucket in input order (a stable counting sort), and each bucket is sorted on the
 * other keys, held in typed arrays. One comparator call per pair of the whole list cost ~20 ms per
 * 20k findings.
 */
function sortFindings(findings: Finding[]): void {
  const n = findings.length;
  if (n < 2) return;
  // One loop per function: at 4x the corpus each loop is hot enough to be compiled on the stack
  // (OSR), and each OSR compile of one large function compiled all of it again.
  const { place, places } = filePlaces(findings);
  const keys = sortKeys(findings, place, places);
  const order = byFile(keys, places);
  const sorted = sortBuckets(findings, keys, order, places);
  for (let i = 0; i < n; i++) findings[i] = sorted[i]!;
}

/** Each file's place among the files (localeCompare; files it finds equal share a place). */
function filePlaces(findings: readonly Finding[]): { place: Map<string, number>; places: number } {
  const files = [...new Set(findings.map((f) => f.location.file))].sort(textOrder);
  const place = new Map<string, number>();
  let places = 0;
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && textOrder(files[i - 1]!, files[i]!) !== 0) places++;
    place.set(files[i]!, places);
  }
  return { place, places: places + 1 };
}

/** The numeric sort keys of each finding, and where each file's bucket starts (counts, made cumulative in byFile). */
interface SortKeys {
  file: Int32Array;
  line: Float64Array;
  column: Float64Array;
  rank: Int32Array;
  starts: Int32Array;
}

function sortKeys(findings: readonly Finding[], place: Map<string, number>, places: number): SortKeys {
  const n = findings.length;
  const keys: SortKeys = { file: new Int32Array(n), line: new Float64Array(n), column: new Float64Array(n), rank: new Int32Array(n), starts: new Int32Array(places + 1) };
  const { file, line, column, rank, starts } = keys;
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    const p = place.get(f.location.file)!;
    file[i] = p;
    starts[p + 1]!++;
    line[i] = f.location.line;
    column[i] = f.location.column;
    rank[i] = severityRank(f.severity);
  }
  return keys;
}

/** Finding numbers put in their file's bucket in input order (a stable counting sort). */
function byFile(keys: SortKeys, places: number): number[] {
  const { file, starts } = keys;
  const n = file.length;
  for (let p = 0; p < places; p++) starts[p + 1]! += starts[p]!;
  const order: number[] = new Array(n);
  const next = starts.slice(0, places);
  for (let i = 0; i < n; i++) order[next[file[i]!]!++] = i;
  return order;
}

/** Each file's bucket sorted on the other keys. */
function sortBuckets(findings: readonly Finding[], keys: SortKeys, order: number[], places: number): Finding[] {
  const { line, column, rank, starts } = keys;
  const compare = (a: number, b: number) =>
    line[a]! - line[b]! || column[a]! - column[b]! || rank[b]! - rank[a]! || textOrder(findings[a]!.ruleId, findings[b]!.ruleId) || textOrder(findings[a]!.message, findings[b]!.message);
  const sorted: Finding[] = new Array(findings.length);
  for (let p = 0; p < places; p++) {
    const from = starts[p]!;
    const to = starts[p + 1]!;
    const bucket = to - from > 1 ? order.slice(from, to).sort(compare) : order.slice(from, to);
    for (let k = 0; k < bucket.length; k++) sorted[from + k] = findings[bucket[k]!]!;
  }
  return sorted;
}

// localeCompare goes through ICU; equal strings (one file's findings, one rule's) need not.
function textOrder(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}

export function summarise(input: EngineInput, findings: Finding[], errors: InputError[], rules: number): Summary {
  const bySeverity = emptyCounts();
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  const failsClosed = input.skipped.filter((s) => s.failsClosed).length;
  return {
    resources: (input.targets ?? input.resources).length,
    findings: findings.length - suppressed,
    bySeverity,
    suppressed,
    notEvaluated: errors.length + failsClosed,
    errors: errors.length,
    skipped: input.skipped.length,
    files: input.files ?? 0,
    rules,
  };
}

/** CONTRACT exit codes: 2 incomplete run, 1 findings at/above threshold, else 0. */
export function exitCodeFor(summary: Summary, findings: Finding[], failOn: Severity | 'never'): number {
  if (summary.notEvaluated > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = severityRank(failOn);
  return findings.some((f) => !f.suppressed && severityRank(f.severity) >= threshold) ? 1 : 0;
}
