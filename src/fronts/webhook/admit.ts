// Judges one AdmissionRequest with the scanner's engine and rules: the object becomes a Resource,
// per-resource rules run on it with the cluster context as their index, and the policy turns the
// findings into allow / deny / warn. Nothing here does I/O; the server and the context feed it.
import type { Resource } from '../../model/types.js';
import { ResourceIndex } from '../../model/index.js';
import type { AnyRule } from '../../engine/rule.js';
import type { Config } from '../../engine/config.js';
import { runEngine } from '../../engine/run.js';
import type { Finding } from '../../engine/finding.js';
import { IGNORE_ANNOTATION_PREFIX } from '../../engine/suppress.js';
import { admissionResource, type AdmissionRequest } from '../../input/admission.js';
import { exemptionOf, respond, verdictsFor, violationKey, type AdmissionResponse, type Verdict, type WebhookPolicy } from './policy.js';
import { planFixes, toJsonPatch, type JsonPatchOp } from '../../fix/index.js';
import type { LoadedPolicies } from '../../analyses/vap/policy.js';
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

const PSS_ENFORCE = 'pod-security.kubernetes.io/enforce';
const PSS_ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';

/** PSS settings for the request's namespace: its enforce label, as Pod Security Admission reads it. */
function pssFor(base: unknown, ns: string | undefined, ctx: AdmissionContext): { settings: unknown; skipPss: boolean } {
  if (ns === undefined) return { settings: base, skipPss: false };
  const nsObj = ctx.index.find('Namespace', ns);
  const level = nsObj?.labels[PSS_ENFORCE];
  if (level === 'privileged') return { settings: base, skipPss: true };
  if (level !== 'baseline' && level !== 'restricted') return { settings: base, skipPss: false };
  const version = nsObj?.labels[PSS_ENFORCE_VERSION];
  const merged: Record<string, unknown> = { ...((base as Record<string, unknown> | undefined) ?? {}), level };
  if (version && /^(latest|v1\.\d+)$/.test(version)) merged.version = version;
  return { settings: merged, skipPss: false };
}

function evaluate(a: Admitter, ctx: AdmissionContext, resource: Resource, req: AdmissionRequest): { findings: Finding[]; failures: string[] } {
  if (!a.policy.honourAnnotations) {
    for (const k of Object.keys(resource.annotations)) if (k.startsWith(IGNORE_ANNOTATION_PREFIX)) delete resource.annotations[k];
  }
  let settings = a.settings;
  let only = a.only;
  if (a.policy.pssLevelFromNamespace) {
    const pss = pssFor(a.settings.pss, req.namespace, ctx);
    settings = { ...a.settings, pss: pss.settings };
    if (pss.skipPss) {
      const prev = only;
      // A privileged namespace admits any pod under PSA; the pss/* pod checks agree, the rest still run.
      only = (id) => (!id.startsWith('pss/') || id.startsWith('pss/namespace-')) && (prev ? prev(id) : true);
    }
  }
  const report = runEngine(
    { resources: ctx.resources as Resource[], index: ctx.index, targets: [resource], errors: [], skipped: [] },
    { rules: a.rules, config: a.config, settings, scope: 'resource', ...(only ? { only } : {}) },
  );
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
