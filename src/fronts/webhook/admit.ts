// Judges one AdmissionRequest with the scanner's engine and rules: the object becomes a Resource,
// per-resource rules run on it with the cluster context as their index, and the policy turns the
// findings into allow / deny / warn. Nothing here does I/O; the server and the context feed it.
import type { Resource } from '../../model/types.js';
import { ResourceIndex } from '../../model/index.js';
import type { AnyRule } from '../../engine/rule.js';
import type { Config } from '../../engine/config.js';
import { prepareRules, runEngine, type PreparedRule, type RunOptions } from '../../engine/run.js';
import type { Finding } from '../../engine/finding.js';
import { IGNORE_ANNOTATION_PREFIX } from '../../engine/suppress.js';
import { CUSTOM_WORKLOAD_KEY } from '../../model/workloads.js';
import { admissionResource, type AdmissionRequest } from '../../input/admission.js';
import { exemptionOf, respond, verdictsFor, violationKey, type AdmissionResponse, type Verdict, type WebhookPolicy } from './policy.js';
import { planFixes, toJsonPatch, type JsonPatchOp } from '../../fix/index.js';
import type { LoadedPolicies } from '../../analyses/vap/policy.js';
import { releasePssResults } from '../../analyses/pss/scan.js';
import { vapVerdicts } from './vap.js';

/** Cluster objects the rules look across (namespaces, service accounts, RBAC, policies). */
export interface AdmissionContext {
  resources: readonly Resource[];
  index: ResourceIndex;
  /** The cluster's own ValidatingAdmissionPolicies (webhook serve --cluster), compiled per snapshot. */
  policies?: LoadedPolicies;
}

export function contextOf(resources: readonly Resource[]): AdmissionContext {
  return { resources, index: new ResourceIndex(resources) };
}

export interface Admitter {
  rules: AnyRule[];
  config: Config;
  policy: WebhookPolicy;
  /** Scan-wide settings as `scan` passes them (pss, rbac defaults…). */
  settings: Record<string, unknown>;
  only?: (id: string) => boolean;
  /** ValidatingAdmissionPolicies evaluated on each judged request (see docs/vap.md). */
  policies?: LoadedPolicies;
}

export interface Decision {
  response: AdmissionResponse;
  verdicts: Verdict[];
  /** Why the request was admitted without judging it (operation, subresource, exemption, kind). */
  skipped?: string;
  /** Rule failures: the object could not be fully evaluated, so it is denied (fail closed). */
  failures: string[];
}

// Subresources that change what runs: an ephemeral container can be privileged like any other.
const JUDGED_SUBRESOURCES = new Set(['ephemeralcontainers']);

/**
 * One way of judging: a rule plan with the settings it runs with (ordinary namespaces, privileged ones,
 * one per PSS enforce level and version), and the engine's options per kind made from them.
 */
interface Mode {
  plan: readonly PreparedRule[];
  settings: Record<string, unknown>;
  /** The engine's options for the rules of the plan that apply to one kind (most rules name theirs). */
  byKind: Map<string, RunOptions>;
}

/**
 * What does not change between requests of one admitter: the engine's rule plan (enabled, selected,
 * configured) for ordinary namespaces and for privileged ones, and the settings per PSS level. Built
 * on first use and rebuilt when the admitter's rules, config, rule filter or settings are replaced.
 */
interface Prepared {
  rules: AnyRule[];
  config: Config;
  only: Admitter['only'];
  settings: Record<string, unknown>;
  ordinary: Mode;
  /** Without the pss/* pod checks, which a privileged namespace admits under PSA anyway. */
  privileged: Mode | undefined;
  /** With `pss` set for a namespace's enforce level and version, by `level@version`. */
  pssLevels: Map<string, Mode>;
}
const preparedOf = new WeakMap<Admitter, Prepared>();

const modeOf = (plan: readonly PreparedRule[], settings: Record<string, unknown>): Mode => ({ plan, settings, byKind: new Map() });

function prepared(a: Admitter): Prepared {
  const p = preparedOf.get(a);
  if (p && p.rules === a.rules && p.config === a.config && p.only === a.only && p.settings === a.settings) return p;
  const base = { rules: a.rules, config: a.config, scope: 'resource' as const };
  const next: Prepared = {
    rules: a.rules,
    config: a.config,
    only: a.only,
    settings: a.settings,
    ordinary: modeOf(prepareRules({ ...base, ...(a.only ? { only: a.only } : {}) }), a.settings),
    privileged: undefined,
    pssLevels: new Map(),
  };
  preparedOf.set(a, next);
  return next;
}

const PSS_ENFORCE = 'pod-security.kubernetes.io/enforce';
const PSS_ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';

/**
 * The engine's options for `resource`: the rules of the mode's plan it would run on it (the same
 * test as its per-rule target filter) with the mode's settings. Made once per kind, not per request.
 */
function runOptionsFor(a: Admitter, mode: Mode, resource: Resource): RunOptions {
  const custom = resource.podSpecPath !== undefined;
  const key = custom ? `${resource.kind}\u0000custom` : resource.kind;
  let opts = mode.byKind.get(key);
  if (!opts) {
    const prepared = mode.plan.filter(({ rule: { meta } }) => !meta.kinds || meta.kinds.includes(resource.kind) || (custom && meta.kinds.includes(CUSTOM_WORKLOAD_KEY)));
    opts = { rules: a.rules, config: a.config, settings: mode.settings, scope: 'resource', prepared };
    if (a.only) opts.only = a.only;
    mode.byKind.set(key, opts);
  }
  return opts;
}

/** The plan and settings for the request's namespace: its enforce label, as Pod Security Admission reads it. */
function modeFor(a: Admitter, ns: string | undefined, ctx: AdmissionContext): Mode {
  const p = prepared(a);
  const nsObj = a.policy.pssLevelFromNamespace && ns !== undefined ? ctx.index.find('Namespace', ns) : undefined;
  const level = nsObj?.labels[PSS_ENFORCE];
  if (level === 'privileged') {
    // A privileged namespace admits any pod under PSA; the pss/* pod checks agree, the rest still run.
    p.privileged ??= modeOf(
      p.ordinary.plan.filter(({ rule }) => !rule.meta.id.startsWith('pss/') || rule.meta.id.startsWith('pss/namespace-')),
      p.settings,
    );
    return p.privileged;
  }
  if (level !== 'baseline' && level !== 'restricted') return p.ordinary;
  const label = nsObj?.labels[PSS_ENFORCE_VERSION];
  const version = label && /^(latest|v1\.\d+)$/.test(label) ? label : undefined;
  const key = `${level}@${version ?? ''}`;
  let mode = p.pssLevels.get(key);
  if (!mode) {
    const pss: Record<string, unknown> = { ...((a.settings.pss as Record<string, unknown> | undefined) ?? {}), level };
    if (version) pss.version = version;
    mode = modeOf(p.ordinary.plan, { ...a.settings, pss });
    p.pssLevels.set(key, mode);
  }
  return mode;
}

function evaluate(a: Admitter, ctx: AdmissionContext, resource: Resource, req: AdmissionRequest): { findings: Finding[]; failures: string[] } {
  if (!a.policy.honourAnnotations) {
    for (const k in resource.annotations) if (k.startsWith(IGNORE_ANNOTATION_PREFIX)) delete resource.annotations[k];
  }
  const report = runEngine({ resources: ctx.resources as Resource[], index: ctx.index, targets: [resource], errors: [], skipped: [] }, runOptionsFor(a, modeFor(a, req.namespace, ctx), resource));
  // The object is judged: let its objects die young (see releasePssResults).
  releasePssResults(resource.object);
  return { findings: report.findings, failures: report.errors.map((e) => e.message) };
}

/** Why a request is passed through without judging it, or undefined. */
function notJudged(a: Admitter, req: AdmissionRequest): string | undefined {
  if (req.operation === 'DELETE' || req.operation === 'CONNECT') return `${req.operation} is not judged`;
  if (req.subResource && !JUDGED_SUBRESOURCES.has(req.subResource)) return `subresource ${req.subResource} is not judged`;
  return exemptionOf(req, a.policy);
}

export function admit(a: Admitter, ctx: AdmissionContext, req: AdmissionRequest): Decision {
  const allow = (skipped: string): Decision => ({ response: { uid: req.uid, allowed: true }, verdicts: [], skipped, failures: [] });
  const skip = notJudged(a, req);
  if (skip) return allow(skip);
  const resource = admissionResource(req);
  if (!resource) return allow('no object');
  const now = evaluate(a, ctx, resource, req);
  let old: Set<string> | undefined;
  if (req.operation === 'UPDATE' && req.oldObject && a.policy.allowExistingViolations) {
    const oldRes = admissionResource(req, 'oldObject');
    if (oldRes) old = new Set(evaluate(a, ctx, oldRes, req).findings.map(violationKey));
  }
  const verdicts = verdictsFor(now.findings, old, req.namespace ?? resource.namespace, a.policy);
  const failures = [...now.failures];
  if (a.policies || ctx.policies) {
    const vap = vapVerdicts(a.policies, ctx, req, a.settings);
    verdicts.push(...vap.verdicts);
    failures.push(...vap.failures);
  }
  return { response: respond(req, verdicts, failures), verdicts, failures };
}

export interface Mutation {
  response: AdmissionResponse & { patchType?: 'JSONPatch'; patch?: string };
  patch: JsonPatchOp[];
  /** Rules whose findings the patch fixes. */
  fixed: string[];
  skipped?: string;
}

/**
 * `/mutate`: the \`safe\` fixes of the object's findings, merged by the fix engine exactly as
 * `rampart fix` merges them, as a JSONPatch. Never denies: judging is /validate's job, and it runs
 * after mutation, so what is left is still enforced there. `may-break` fixes only with mutateMayBreak.
 */
export function mutate(a: Admitter, ctx: AdmissionContext, req: AdmissionRequest): Mutation {
  const pass = (skipped: string): Mutation => ({ response: { uid: req.uid, allowed: true }, patch: [], fixed: [], skipped });
  const skip = notJudged(a, req) ?? (req.operation !== 'CREATE' ? 'only CREATE is mutated (an UPDATE must not change fields its author did not touch)' : undefined);
  if (skip) return pass(skip);
  const resource = admissionResource(req);
  if (!resource) return pass('no object');
  const { findings } = evaluate(a, ctx, resource, req);
  const classOf = (id: string) => a.rules.find((r) => r.meta.id === id)?.meta.fixClass;
  const plan = planFixes(resource.object, findings.filter((f) => !f.suppressed && f.fix?.length), { include: a.policy.mutateMayBreak ? ['safe', 'may-break'] : ['safe'], classOf });
  const patch = toJsonPatch(plan, resource.object);
  const fixed = [...new Set(plan.ops.flatMap((o) => o.rules))].sort();
  const response: Mutation['response'] = { uid: req.uid, allowed: true };
  if (patch.length) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(patch)).toString('base64');
    response.auditAnnotations = { mutated: fixed.join(',').slice(0, 1024) };
  }
  return { response, patch, fixed };
}
