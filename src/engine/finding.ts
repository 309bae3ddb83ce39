// The finding and report shapes (see CONTRACT.md). Reporters read only these and rule metadata.
import type { InputError, Location, Position, ResourceRef, Severity, Skipped, JsonValue } from '../model/types.js';
import type { FixOp, References } from './rule.js';

export interface Suppression {
  kind: 'annotation' | 'config';
  reason: string;
  expires?: string;
  /** Where the suppression is written (config file position or the annotation key). */
  source?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  location: Location;
  rendered?: Position;
  remediation: string;
  references: Required<Pick<References, 'cis' | 'nsa' | 'mitre'>> & { pss?: string; urls?: string[] };
  suppressed: boolean;
  suppression?: Suppression;
  fix?: FixOp[];
  details?: Record<string, JsonValue>;
  /**
   * Every rendered object this finding stands for, when one source line (a Kustomize base, a chart
   * template) yields it in several renders; absent when there is only one.
   */
  occurrences?: { resource: ResourceRef; rendered?: Position }[];
}

export type SeverityCounts = Record<Severity, number>;

export interface Summary {
  resources: number;
  /** Findings that are not suppressed. */
  findings: number;
  bySeverity: SeverityCounts;
  suppressed: number;
  /** Inputs that could not be evaluated (errors + unrendered templates). Non-zero means exit 2. */
  notEvaluated: number;
  errors: number;
  skipped: number;
  files: number;
  rules: number;
}

export interface ScanReport {
  tool: { name: 'rampart'; version: string };
  summary: Summary;
  findings: Finding[];
  errors: InputError[];
  skipped: Skipped[];
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
