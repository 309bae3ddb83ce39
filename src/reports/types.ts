import type { ScanReport } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';

export interface ReportContext {
  /** Metadata of every rule that ran (and of synthetic config rules), by id. */
  rules: Map<string, RuleMeta>;
  /** ANSI colour (text output on a TTY only). */
  color: boolean;
}

export type Reporter = (report: ScanReport, ctx: ReportContext) => string;
