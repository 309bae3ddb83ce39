// Evaluates one pod at a level and version exactly as Pod Security Admission does, and keeps
// the offending fields so scan findings can point at them.
import type { CheckLevel, Level, Malformed, Offence, PodInput } from './types.js';
import { PodReader } from './pod.js';
import { activeChecks, checkById, revisionAt } from './registry.js';

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
export function strictestLevel(pod: PodInput, minor: number): { level: Level; evaluated: boolean } {
  const reader = new PodReader(pod);
  const restricted = evaluatePod(reader, 'restricted', minor);
  if (!restricted.evaluated) return { level: 'privileged', evaluated: false };
  if (restricted.allowed) return { level: 'restricted', evaluated: true };
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
export function attributeOffences(pod: PodInput, level: Level, minor: number): { offences: AttributedOffence[]; malformed: Malformed[] } {
  const reader = new PodReader(pod);
  const ev = evaluatePod(reader, level, minor);
  const out: AttributedOffence[] = [];
  for (const v of ev.violations) {
    const overrides = v.level === 'restricted' ? (revisionAt(checkById(v.check)!, minor)?.overrides ?? []) : [];
    const baseline = new Map<string, AttributedOffence>();
    for (const id of overrides) {
      const base = revisionAt(checkById(id)!, minor);
      if (!base) continue;
      reader.currentCheck = id;
      for (const o of base.check(reader).offences) baseline.set(o.path, { ...o, check: id, level: 'baseline' });
    }
    reader.currentCheck = undefined;
    for (const o of v.offences) out.push(baseline.get(o.path) ?? { ...o, check: v.check, level: v.level });
  }
  const malformed = [...reader.malformed];
  const seen = new Set<string>();
  return { offences: out, malformed: malformed.filter((m) => (seen.has(m.path) ? false : (seen.add(m.path), true))) };
}
