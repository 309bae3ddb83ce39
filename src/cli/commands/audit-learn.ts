// `rampart audit learn`: builds a per-identity baseline from a training window of audit logs;
// and the loader behind `rampart audit --baseline FILE`.
import { readFileSync, writeFileSync } from 'node:fs';
import { BaselineLearner, BaselineScorer, DEFAULT_SCORE_OPTIONS, type Baseline, type ScoreOptions } from '../../analyses/audit/baseline.js';
import { loadConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, wantsHelp } from '../scan-options.js';
import { forEachEvent, type EventScorer } from '../../fronts/audit/run.js';

export const usage = `Usage: rampart audit learn [FILE|-]... --save BASELINE.json [--since TIME] [--until TIME]

Learns, per identity (service account, person), what it normally does: verb/resource/namespace
combinations, clients (user agents), source networks, hours of day and requests per minute.
Score later logs with: rampart audit LOG --baseline BASELINE.json

Options:
      --save FILE       where to write the baseline (JSON)
      --since TIME      ignore events before TIME (RFC 3339)
      --until TIME      ignore events at or after TIME (RFC 3339)
  -h, --help            show this help`;

/** Anomaly thresholds as flags of `rampart audit` (defaults in parentheses in its help). */
export const SCORE_FLAGS = {
  'min-events': { type: 'string' },
  'rate-factor': { type: 'string' },
  'min-rate': { type: 'string' },
  'human-threshold': { type: 'string' },
  'no-new-identities': { type: 'boolean' },
} as const;

export const SCORE_USAGE = `      --min-events N        people with fewer training events are not judged on novelty (${DEFAULT_SCORE_OPTIONS.minEvents})
      --rate-factor X       a minute above X × the identity's busiest training minute is a spike (${DEFAULT_SCORE_OPTIONS.rateFactor})
      --min-rate N          ... and above N requests (${DEFAULT_SCORE_OPTIONS.minRate})
      --human-threshold N   sensitivity (1-5) at which a person's new activity alerts (${DEFAULT_SCORE_OPTIONS.humanThreshold})
      --no-new-identities   do not alert on identities absent from the baseline`;

export function scoreOptions(v: { [K in keyof typeof SCORE_FLAGS]?: string | boolean }): Partial<ScoreOptions> {
  const num = (flag: string, s: unknown): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} must be a non-negative number (got "${String(s)}")`);
    return n;
  };
  const o: Partial<ScoreOptions> = {};
  const set = <K extends keyof ScoreOptions>(k: K, val: ScoreOptions[K] | undefined) => {
    if (val !== undefined) o[k] = val;
  };
  set('minEvents', num('min-events', v['min-events']));
  set('rateFactor', num('rate-factor', v['rate-factor']));
  set('minRate', num('min-rate', v['min-rate']));
  set('humanThreshold', num('human-threshold', v['human-threshold']));
  if (v['no-new-identities']) o.newIdentities = false;
  return o;
}

export function loadBaseline(file: string): Baseline {
  let b: Baseline;
  try {
    b = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  } catch (e) {
    throw new UsageError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (b?.kind !== 'RampartAuditBaseline' || b.version !== 1 || typeof b.identities !== 'object') throw new UsageError(`${file} is not a baseline written by 'rampart audit learn' (kind RampartAuditBaseline, version 1)`);
  return b;
}

export function baselineScorer(file: string, opts: Partial<ScoreOptions>): EventScorer {
  const scorer = new BaselineScorer(loadBaseline(file), opts);
  return (e, source) => scorer.score(e, source);
}

function parseTime(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new UsageError(`--${flag} must be an RFC 3339 time (got "${v}")`);
  return t;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { save: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, ...CONFIG_OPTIONS, ...HELP_OPTION });
  if (wantsHelp(values.help, usage)) return 0;
  if (!values.save) throw new UsageError('--save FILE is required');
  const since = parseTime('since', values.since) ?? -Infinity;
  const until = parseTime('until', values.until) ?? Infinity;
  const learner = new BaselineLearner();
  const config = loadConfig(values.config, values['no-config']);
  const r = await forEachEvent(positionals, (e) => {
    if (e.time >= since && e.time < until) learner.add(e);
  }, config);
  const b = learner.finish();
  writeFileSync(values.save, JSON.stringify(b, null, 1) + '\n');
  process.stderr.write(`learned ${Object.keys(b.identities).length} identities from ${b.window.events} events (${b.window.from} to ${b.window.to}); ${r.invalid} invalid lines, ${r.unreadable} unreadable inputs\n`);
  for (const e of r.errors.slice(0, 20)) process.stderr.write(`error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  return r.failedClosed() ? 2 : 0;
}
