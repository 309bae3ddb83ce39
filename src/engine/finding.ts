// The finding and report shapes (see CONTRACT.md). Reporters read only these and rule metadata.
import type { InputError, Location, Position, ResourceRef, Severity, Skipped, JsonValue } from '../model/types.js';
import type { FixOp, References } from './rule.js';
import type { PassRecord } from './passes.js';

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

/** How completely one kind was read from a live cluster (`read`: every object, the rest: not evaluated). */
export interface CoverageRow {
  kind: string;
  group: string;
  version: string;
  /** Plural resource name, or a subresource such as `nodes/proxy`. */
  resource: string;
  status: 'read' | 'forbidden' | 'not-served' | 'failed' | 'not-requested';
  /** Objects read (for Pods/ReplicaSets/Jobs, including those evaluated through their controller). */
  read: number;
  /** Objects read but evaluated through their controller's template (a Pod of a ReplicaSet). */
  viaController?: number;
  /** Read as metadata only (Secrets): no value left the API server. */
  metadataOnly?: boolean;
  /** Namespace the list was limited to (-n); absent for the whole cluster. */
  namespace?: string;
  message?: string;
}

export interface NodeInfo {
  name: string;
  kubeletVersion?: string;
  containerRuntimeVersion?: string;
  osImage?: string;
  kernelVersion?: string;
}

/** What a live-cluster scan read: which cluster, and the coverage per kind. */
export interface ClusterScanInfo {
  context: string;
  server: string;
  namespace?: string;
  /** --allow-partial was given: kinds not fully read do not fail the run (they are still named). */
  allowPartial: boolean;
  coverage: CoverageRow[];
  /** Kubelet and container runtime versions per node, as the Node objects report them. */
  nodes?: NodeInfo[];
  /** --apply-reports: PolicyReports written and stale ones deleted. */
  policyReports?: { applied: number; deleted: number };
}

export interface ScanReport {
  tool: { name: 'rampart'; version: string };
  summary: Summary;
  findings: Finding[];
  errors: InputError[];
  skipped: Skipped[];
  /** Present for `--cluster` scans. */
  cluster?: ClusterScanInfo;
  /** Per-resource rules that passed, when the run was asked to record them (`recordPasses`); never serialised. */
  passes?: PassRecord;
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
