// One audit run: records from any front (files, stdin, the webhook receiver, the queue) go through
// the event model and the detector; invalid input is counted and named, never fatal.
import type { JsonValue } from '../../model/types.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { parseEvent } from '../../analyses/audit/event.js';
import { AuditDetector, originName, type Alert, type EventOrigin } from '../../analyses/audit/detect.js';
import type { Config } from '../../engine/config.js';
import { AuditInputError, readAuditBatches, type ReadOptions } from '../../input/audit/read.js';
import { MAX_NAMED_ERRORS, type AuditError } from './output.js';

/** Something else that judges events (the baseline scorer); same alert shape. */
export type EventScorer = (e: AuditEvent, source: string) => Alert[];

export class AuditRun {
  invalid = 0;
  unreadable = 0;
  sources = 0;
  readonly errors: AuditError[] = [];
  private unnamed = 0;
  private readonly origin: EventOrigin = { source: '', line: 0 };

  constructor(
    readonly detector: AuditDetector,
    private readonly onAlert: (a: Alert) => void,
    private readonly scorers: EventScorer[] = [],
  ) {}

  private error(e: AuditError): void {
    if (this.errors.length < MAX_NAMED_ERRORS) this.errors.push(e);
    else this.unnamed++;
  }

  invalidRecord(source: string, line: number, message: string): void {
    this.invalid++;
    this.error({ file: source, line, message });
  }

  /** Judges one parsed JSON value (an Event); returns the event, or undefined when it was invalid. */
  value(v: JsonValue, source: string, line: number): AuditEvent | undefined {
    const e = parseEvent(v);
    if (typeof e === 'string') {
      this.invalidRecord(source, line, `not an audit Event: ${e}`);
      return undefined;
    }
    // One origin object re-pointed per event; the detector names it only when it alerts.
    this.origin.source = source;
    this.origin.line = line;
    for (const a of this.detector.process(e, this.origin)) this.onAlert(a);
    if (!this.detector.lastEvaluated || this.scorers.length === 0) return e;
    const where = originName(this.origin)!;
    for (const s of this.scorers)
      for (const a of s(e, where)) {
        this.countExtra(a);
        this.onAlert(a);
      }
    return e;
  }

  /** Reads one file ("-" = stdin) to its end (or until aborted with --follow). */
  async source(path: string, opts: ReadOptions = {}): Promise<void> {
    this.sources++;
    try {
      for await (const batch of readAuditBatches(path, opts))
        for (const r of batch) {
          if (r.kind === 'invalid') this.invalidRecord(r.source, r.line, r.message);
          else this.value(r.value, r.source, r.line);
        }
    } catch (e) {
      if (!(e instanceof AuditInputError)) throw e;
      this.unreadable++;
      this.error({ file: path === '-' ? '<stdin>' : path, message: e.message });
    }
  }

  stats(): Record<string, unknown> {
    const d = this.detector.stats;
    return {
      events: d.events,
      invalid: this.invalid,
      sources: this.sources,
      unreadable: this.unreadable,
      evaluated: d.evaluated,
      otherStages: d.otherStages,
      duplicates: d.duplicates,
      podSpecsWithoutBody: d.podSpecsWithoutBody,
      csrsWithoutBody: d.csrsWithoutBody,
      alerts: d.alerts + this.extraAlerts,
      bySeverity: this.bySeverity(),
      byRule: { ...d.byRule, ...this.extraByRule },
      ...(this.unnamed ? { unnamedErrors: this.unnamed } : {}),
    };
  }

  private extraAlerts = 0;
  private extraByRule: Record<string, number> = {};
  private extraBySeverity: Record<string, number> = {};

  /** Counts alerts that did not come from the detector (the baseline scorer). */
  countExtra(a: Alert): void {
    this.extraAlerts++;
    this.extraByRule[a.ruleId] = (this.extraByRule[a.ruleId] ?? 0) + 1;
    this.extraBySeverity[a.severity] = (this.extraBySeverity[a.severity] ?? 0) + 1;
  }

  private bySeverity(): Record<string, number> {
    const out: Record<string, number> = { ...this.detector.stats.bySeverity };
    for (const [k, v] of Object.entries(this.extraBySeverity)) out[k] = (out[k] ?? 0) + v;
    return out;
  }

  /** Exit code per CONTRACT: 2 when input was unreadable or invalid, 1 on alerts at/above the threshold. */
  failedClosed(): boolean {
    return this.unreadable > 0 || this.invalid > 0;
  }
}

/** Reads sources into a callback per event (learn, rbac): same reader, same invalid-line accounting. */
export async function forEachEvent(inputs: string[], each: (e: AuditEvent) => void, config: Config): Promise<AuditRun> {
  // No rules: the detector only filters stages and re-deliveries, so each request is seen once.
  const detector = new AuditDetector({ rules: [], scannerRules: [], config });
  const runState = new AuditRun(detector, () => undefined, [
    (e) => {
      each(e);
      return [];
    },
  ]);
  for (const input of inputs.length ? inputs : ['-']) await runState.source(input);
  return runState;
}
