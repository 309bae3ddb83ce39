// What the webhook does with findings: the `webhook:` section of .rampart.yaml (modes per rule and
// per namespace, exemptions) and the pure decision from findings to an AdmissionResponse.
import type { Severity } from '../../model/types.js';
import { isSeverity, severityRank } from '../../model/types.js';
import { asArray, asObject } from '../../model/json.js';
import { globMatch } from '../../engine/config.js';
import type { Finding } from '../../engine/finding.js';
import type { AdmissionRequest } from '../../input/admission.js';

/** enforce: deny the request; warn: admit with a warning kubectl shows; audit: admit, log only. */
export type Mode = 'enforce' | 'warn' | 'audit';
const MODES: readonly string[] = ['enforce', 'warn', 'audit'];

export interface WebhookPolicy {
  /** Findings at or above this severity get `defaultMode`; lower ones get `belowMode`. */
  failOn: Severity;
  defaultMode: Mode;
  belowMode: Mode | 'ignore';
  /** Per-rule modes (globs, most specific first as written). */
  rules: [pattern: string, mode: Mode][];
  /** Per-namespace modes: they override rule modes (a `dev: warn` namespace never blocks). */
  namespaces: [pattern: string, mode: Mode][];
  exempt: { namespaces: string[]; users: string[]; groups: string[] };
  /** On UPDATE, a violation the old object already had only warns (as Kyverno's allowExistingViolations). */
  allowExistingViolations: boolean;
  /**
   * `ignore.rampart.dev/*` annotations are written by whoever creates the object, so at the door
   * they would let any requester exempt themselves. Off by default; config exceptions still apply.
   */
  honourAnnotations: boolean;
  /** Judge pods at their namespace's `pod-security.kubernetes.io/enforce` level when it is set. */
  pssLevelFromNamespace: boolean;
  /** /mutate also applies `may-break` fixes (default: only `safe` ones, which cannot change behaviour). */
  mutateMayBreak: boolean;
}

export function defaultPolicy(): WebhookPolicy {
  return {
    failOn: 'high',
    defaultMode: 'enforce',
    belowMode: 'warn',
    rules: [],
    namespaces: [],
    exempt: { namespaces: [], users: [], groups: [] },
    allowExistingViolations: true,
    honourAnnotations: false,
    pssLevelFromNamespace: true,
    mutateMayBreak: false,
  };
}

export class WebhookPolicyError extends Error {}

/** Reads `settings.webhook` from the config. Invalid values are errors, never silently defaulted. */
export function webhookPolicy(raw: unknown): WebhookPolicy {
  const p = defaultPolicy();
  if (raw === undefined || raw === null) return p;
  const o = asObject(raw);
  if (!o) throw new WebhookPolicyError('webhook: must be a mapping');
  const mode = (v: unknown, where: string): Mode => {
    if (typeof v === 'string' && MODES.includes(v)) return v as Mode;
    throw new WebhookPolicyError(`webhook.${where}: ${JSON.stringify(v)} is not a mode (enforce, warn or audit)`);
  };
  if (o.failOn !== undefined) {
    const s = typeof o.failOn === 'string' ? o.failOn.toLowerCase() : o.failOn;
    if (!isSeverity(s)) throw new WebhookPolicyError(`webhook.failOn: ${JSON.stringify(o.failOn)} is not a severity`);
    p.failOn = s;
  }
  if (o.defaultMode !== undefined) p.defaultMode = mode(o.defaultMode, 'defaultMode');
  if (o.belowMode !== undefined) p.belowMode = o.belowMode === 'ignore' ? 'ignore' : mode(o.belowMode, 'belowMode');
  for (const key of ['rules', 'namespaces'] as const) {
    const m = o[key];
    if (m === undefined) continue;
    const mo = asObject(m);
    if (!mo) throw new WebhookPolicyError(`webhook.${key}: must map a ${key === 'rules' ? 'rule id or glob' : 'namespace or glob'} to a mode`);
    for (const [k, v] of Object.entries(mo)) p[key].push([k, mode(v, `${key}.${k}`)]);
  }
  const ex = o.exempt === undefined ? {} : asObject(o.exempt);
  if (!ex) throw new WebhookPolicyError('webhook.exempt: must be a mapping with namespaces, users and groups lists');
  for (const key of ['namespaces', 'users', 'groups'] as const) {
    if (ex[key] === undefined) continue;
    if (!Array.isArray(ex[key]) || asArray(ex[key]).some((v) => typeof v !== 'string' || v.trim() === '')) {
      throw new WebhookPolicyError(`webhook.exempt.${key}: must be a list of non-empty names`);
    }
    p.exempt[key] = asArray(ex[key]) as string[];
  }
  for (const key of ['allowExistingViolations', 'honourAnnotations', 'pssLevelFromNamespace', 'mutateMayBreak'] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== 'boolean') throw new WebhookPolicyError(`webhook.${key}: must be true or false`);
    p[key] = o[key] as boolean;
  }
  return p;
}

/** Why a request is not judged at all (exempt namespace, user or group), or undefined. */
export function exemptionOf(req: AdmissionRequest, p: WebhookPolicy): string | undefined {
  const ns = req.namespace;
  if (ns !== undefined && p.exempt.namespaces.some((g) => globMatch(g, ns))) return `namespace ${ns} is exempt`;
  if (p.exempt.users.includes(req.userInfo.username)) return `user ${req.userInfo.username} is exempt`;
  const g = req.userInfo.groups.find((x) => p.exempt.groups.includes(x));
  if (g) return `group ${g} is exempt`;
  return undefined;
}

/** The mode for one finding: namespace override, then the rule's mode, then the severity threshold. */
export function modeFor(f: Pick<Finding, 'ruleId' | 'severity'>, namespace: string | undefined, p: WebhookPolicy): Mode | 'ignore' {
  if (namespace !== undefined) {
    const n = p.namespaces.find(([g]) => globMatch(g, namespace));
    if (n) return n[1];
  }
  const r = p.rules.find(([g]) => globMatch(g, f.ruleId));
  if (r) return r[1];
  return severityRank(f.severity) >= severityRank(p.failOn) ? p.defaultMode : p.belowMode;
}

export interface Verdict {
  ruleId: string;
  severity: Severity;
  /** JSON Pointer into the object. */
  path: string;
  message: string;
  mode: Mode;
  /** On UPDATE: the old object already had this violation. */
  existing: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

// The API server truncates warnings over 256 characters and drops them past 4 KiB in total (the
// docs ask for 120 where possible): a warning is the rule and its message, without the pointer.
export const WARNING_MAX = 256;
export const WARNINGS_TOTAL_MAX = 4096;
const DENY_MESSAGE_MAX = 4096;
const ANNOTATION_MAX = 1024;

export function violationKey(f: Pick<Finding, 'ruleId' | 'location'>): string {
  return `${f.ruleId}\u0000${f.location.path}`;
}

/** Findings → verdicts with their modes; suppressed and ignored findings drop out. */
export function verdictsFor(findings: Finding[], old: Set<string> | undefined, namespace: string | undefined, p: WebhookPolicy): Verdict[] {
  const out: Verdict[] = [];
  for (const f of findings) {
    if (f.suppressed) continue;
    let mode = modeFor(f, namespace, p);
    if (mode === 'ignore') continue;
    const existing = old?.has(violationKey(f)) ?? false;
    if (existing && p.allowExistingViolations && mode === 'enforce') mode = 'warn';
    out.push({ ruleId: f.ruleId, severity: f.severity, path: f.location.path, message: f.message, mode, existing });
  }
  return out;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

function clip(s: string, max: number): string {
  // Control characters from object fields must not reach a terminal through kubectl (most messages
  // have none: test before copying).
  const clean = CONTROL.test(s) ? s.replace(CONTROLS, ' ') : s;
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

function describe(v: Verdict): string {
  return `[${v.ruleId}] ${v.path || '/'}: ${v.message}`;
}

/** Builds the AdmissionResponse: deny listing every enforced violation, warnings for the rest. */
export function respond(req: AdmissionRequest, verdicts: Verdict[], failures: string[] = []): AdmissionResponse {
  const denied = verdicts.filter((v) => v.mode === 'enforce');
  const warned = verdicts.filter((v) => v.mode === 'warn');
  const res: AdmissionResponse = { uid: req.uid, allowed: denied.length === 0 && failures.length === 0 };
  if (!res.allowed) {
    const what = `${req.kind.kind} ${req.namespace ? `${req.namespace}/` : ''}${req.name ?? ''}`.trim();
    const lines = [...failures.map((f) => `[not evaluated] ${f}`), ...denied.map(describe)];
    let message = `rampart denied ${what}: ${lines.length} violation${lines.length === 1 ? '' : 's'}: `;
    let shown = 0;
    for (const l of lines) {
      const piece = (shown ? '; ' : '') + clip(l, 512);
      if (message.length + piece.length > DENY_MESSAGE_MAX - 40) break;
      message += piece;
      shown++;
    }
    if (shown < lines.length) message += `; and ${lines.length - shown} more`;
    res.status = { code: 403, reason: 'Forbidden', message };
  }
  if (warned.length) {
    const warnings: string[] = [];
    let total = 0;
    for (const v of warned) {
      const w = clip(`[${v.ruleId}] ${v.message}`, WARNING_MAX);
      const rest = warned.length - warnings.length;
      const tail = `and ${rest - 1} more rampart warnings`;
      if (total + w.length + tail.length > WARNINGS_TOTAL_MAX && rest > 1) {
        warnings.push(`and ${rest} more rampart warnings`);
        break;
      }
      warnings.push(w);
      total += w.length;
    }
    res.warnings = warnings;
  }
  if (verdicts.length || failures.length) {
    const ann: Record<string, string> = {
      decision: res.allowed ? (warned.length ? 'warned' : 'audited') : 'denied',
      violations: clip(verdicts.map((v) => `${v.ruleId}:${v.mode}`).join(','), ANNOTATION_MAX),
    };
    res.auditAnnotations = ann;
  }
  return res;
}
