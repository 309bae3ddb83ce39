// Evaluates one pod at a level and version exactly as Pod Security Admission does, and keeps
// the offending fields so scan findings can point at them.
import type { CheckLevel, Level, Malformed, Offence, PodInput } from './types.js';
import { PodReader } from './pod.js';
import { activeChecks, overriddenBy } from './registry.js';

export interface Violation {
  check: string;
  /** Level of the check (a restricted evaluation also runs baseline checks). */
  level: CheckLevel;
  forbiddenReason: string;
  forbiddenDetail: string;
  offences: Offence[];
}

export interface Evaluation {
  /** True when every check allowed the pod and every field it read could be decoded. */
  allowed: boolean;
  /** False when a field has a type Kubernetes would refuse; then `malformed` says which. */
  evaluated: boolean;
  violations: Violation[];
  malformed: Malformed[];
}

/** `host namespaces (hostNetwork=true), privileged (...)`: upstream's aggregate forbidden detail. */
export function aggregateDetail(violations: readonly Violation[]): string {
  return violations.map((v) => (v.forbiddenDetail ? `${v.forbiddenReason} (${v.forbiddenDetail})` : v.forbiddenReason)).join(', ');
}

export function aggregateReason(violations: readonly Violation[]): string {
  return violations.map((v) => v.forbiddenReason).join(', ');
}

export function evaluatePod(pod: PodInput | PodReader, level: Level, minor: number): Evaluation {
  const reader = pod instanceof PodReader ? pod : new PodReader(pod);
  const violations: Violation[] = [];
  if (level !== 'privileged') {
    for (const active of activeChecks(level, minor)) {
      reader.currentCheck = active.id;
      const r = active.revision.check(reader);
      if (!r.allowed) {
        violations.push({ check: active.id, level: active.level, forbiddenReason: r.forbiddenReason || 'unknown forbidden reason', forbiddenDetail: r.forbiddenDetail ?? '', offences: r.offences });
      }
    }
    reader.currentCheck = undefined;
  }
  const evaluated = reader.malformed.length === 0;
  return { allowed: evaluated && violations.length === 0, evaluated, violations, malformed: [...reader.malformed] };
}

/** The strictest level the pod satisfies at a version (what `enforce` could be set to for it alone). */
export function strictestLevel(pod: PodInput, minor: number, restricted?: { allowed: boolean; evaluated: boolean }): { level: Level; evaluated: boolean } {
  // `restricted`: the pod's evaluation at restricted and this version, when the caller has it.
  const reader = new PodReader(pod);
  const atRestricted = restricted ?? evaluatePod(reader, 'restricted', minor);
  if (!atRestricted.evaluated) return { level: 'privileged', evaluated: false };
  if (atRestricted.allowed) return { level: 'restricted', evaluated: true };
  // (Nothing was malformed at restricted, so a reader that made it and a fresh one read the same.)
  return { level: evaluatePod(reader, 'baseline', minor).allowed ? 'baseline' : 'privileged', evaluated: true };
}

export interface AttributedOffence extends Offence {
  /** The check whose rule reports this offence. */
  check: string;
  level: CheckLevel;
}

/**
 * Offences of an exact evaluation, each attributed for scan findings: where a restricted check
 * replaces a baseline one (restrictedVolumes for hostPathVolumes, ...), an offending field the
 * baseline check also forbids is reported as the baseline violation (higher severity), the rest
 * as the restricted one. The set of offending fields is exactly the evaluation's.
 */
export function attributeOffences(pod: PodInput, level: Level, minor: number): AttributedEvaluation {
  const reader = new PodReader(pod);
  const ev = evaluatePod(reader, level, minor);
  const { allowed, evaluated } = ev;
  const out: AttributedOffence[] = [];
  for (const v of ev.violations) {
    let baseline: Map<string, AttributedOffence> | undefined;
    if (v.level === 'restricted') {
      for (const base of overriddenBy(v.check, minor)) {
        reader.currentCheck = base.id;
        for (const o of base.revision.check(reader).offences) (baseline ??= new Map()).set(o.path, attributed(o, base.id, 'baseline'));
      }
      reader.currentCheck = undefined;
    }
    for (const o of v.offences) out.push(baseline?.get(o.path) ?? attributed(o, v.check, v.level));
  }
  if (reader.malformed.length === 0) return { offences: out, malformed: [], allowed, evaluated };
  const seen = new Set<string>();
  return { offences: out, malformed: reader.malformed.filter((m) => (seen.has(m.path) ? false : (seen.add(m.path), true))), allowed, evaluated };
}

export interface AttributedEvaluation {
  offences: AttributedOffence[];
  malformed: Malformed[];
  /** The evaluation's verdict and whether it could be made (`Evaluation`), before the attribution read more fields. */
  allowed: boolean;
  evaluated: boolean;
}

/** The offence with its check, keys in the order `{ ...o, check, level }` gives (a literal is cheaper than a spread). */
function attributed(o: Offence, check: string, level: CheckLevel): AttributedOffence {
  return o.fix ? { path: o.path, message: o.message, fix: o.fix, check, level } : { path: o.path, message: o.message, check, level };
}
