import type { ScanReport } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';

export interface ReportContext {
  /** Metadata of every rule that ran (and of synthetic config rules), by id. */
  rules: Map<string, RuleMeta>;
  /** ANSI colour (text output on a TTY only). */
  color: boolean;
  /** Directory relative display paths are relative to (the CLI's working directory); SARIF names it as `%SRCROOT%`. */
  srcRoot?: string;
  /**
   * The text of a scanned file, for reports that show source lines (HTML); undefined when it cannot
   * be read. Reporters do no I/O: the CLI passes a reader.
   */
  source?: (file: string) => string | undefined;
}

export type Reporter = ((report: ScanReport, ctx: ReportContext) => string) & {
  /**
   * The same output in pieces, for reports too large for one string (V8 caps strings near 512 MiB:
   * a million findings as JSON). Writers prefer it when present; joined, it equals the string.
   */
  chunks?: (report: ScanReport, ctx: ReportContext) => Iterable<string>;
};
