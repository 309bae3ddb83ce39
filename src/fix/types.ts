// The data the fix layer takes and returns. Pure: no I/O anywhere under src/fix/.
import type { FixClass, FixOp } from '../engine/rule.js';
import type { JsonValue } from '../model/types.js';

export type { FixClass, FixOp };

/** What a fix needs from a finding (a Finding fits; so does what the webhook builds). */
export interface FixRequest {
  ruleId: string;
  fix?: FixOp[];
  /** Where the finding points (JSON Pointer relative to the object), for identity. */
  location?: { path: string };
}

/** One edit to the object, after merging every finding that asked for it. */
export interface PlannedOp {
  op: 'set' | 'remove';
  /** JSON Pointer relative to the object. */
  path: string;
  value?: JsonValue;
  fixClass: FixClass;
  /** Rules whose findings this op fixes (several when merged). */
  rules: string[];
  /** Why the class differs from the rule's, when the object proves it (e.g. explicit non-zero runAsUser). */
  classReason?: string;
}

export type SkipReason = 'may-break' | 'conflict' | 'unsafe' | 'not-advertised';

/** A fix that was not planned, and why (reported to the user, never silent). */
export interface SkippedFix {
  ruleId: string;
  path: string;
  reason: SkipReason;
  detail: string;
}

export interface FixPlan {
  ops: PlannedOp[];
  skipped: SkippedFix[];
  /** The requests every op of which is planned: applying the plan should remove their findings. */
  addressed: FixRequest[];
}

export interface PlanOptions {
  /** Fix classes to apply; default only `safe`. */
  include?: readonly FixClass[];
  /** The fix class of a rule (from its metadata); undefined means the rule advertises no fix. */
  classOf: (ruleId: string) => FixClass | undefined;
}
