import type { ScanReport } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';

export interface ReportContext {
  /** Metadata of every rule that ran (and of synthetic config rules), by id. */
  rules: Map<string, RuleMeta>;
  /** ANSI colour (text output on a TTY only). */
  color: boolean;
  /** Directory relative display paths are relative to (the CLI's working directory); SARIF names it as `%SRCROOT%`. */
  srcRoot?: string;
}

export type Reporter = (report: ScanReport, ctx: ReportContext) => string;
