// `rampart audit`: API-server audit logs through the event rules (and, with --baseline, the
// per-identity anomaly scorer). Subcommands: learn, rbac, serve, consume.
import { builtinRules, eventRules } from '../../rules/index.js';
import { AuditDetector } from '../../analyses/audit/detect.js';
import type { Alert } from '../../analyses/audit/detect.js';
import { severityRank, type Severity } from '../../model/types.js';
import { loadConfig, parse, parseFailOn, UsageError } from '../common.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, HELP_OPTION, HELP_USAGE, RULE_OPTIONS, ruleFilter, wantsHelp } from '../scan-options.js';
import { alertWriter, AUDIT_FORMATS, type AuditFormat } from '../../fronts/audit/output.js';
import { AuditRun, type EventScorer } from '../../fronts/audit/run.js';
import type { Config } from '../../engine/config.js';
import { baselineScorer, SCORE_FLAGS, SCORE_USAGE, scoreOptions } from './audit-learn.js';

export const usage = `Usage: rampart audit [FILE|-]... [options]
       rampart audit learn [FILE|-]... --save BASELINE.json [options]
       rampart audit rbac [FILE|-]... -f RBAC_PATH... [options]
       rampart audit serve --tls-cert FILE --tls-key FILE [--port 8444] [--queue nats://HOST:PORT]
       rampart audit consume --queue nats://HOST:PORT [--baseline F] [options]

Reads API-server audit events (audit.k8s.io/v1 Event: JSON lines, .gz, stdin, or an EventList)
and reports alerts from the audit/* rules (rampart rules list --family audit). Pods in request
bodies are judged by the same rules as rampart scan. Memory stays flat on any log size.

Options:
  -o, --format FORMAT   ${AUDIT_FORMATS.join('|')} (default text)
      --output FILE     write alerts to FILE instead of stdout
      --fail-on SEV     exit 1 on alerts at or above SEV: critical|high|medium|low|info|never (default high)
      --follow          keep reading the file as it grows (and after it is rotated); stop with Ctrl-C
      --baseline FILE   also score events against a baseline from 'rampart audit learn':
${SCORE_USAGE}
      --rule ID         run only these rules (repeatable; globs like 'audit/role-*')
${CONFIG_USAGE}
${HELP_USAGE}

Exit codes: 0 no alert at or above --fail-on, 1 alerts at or above it, 2 input that could not be
read (a missing file, corrupt gzip, invalid lines: each is named in the report).`;

export const ANALYSE_OPTIONS = {
  format: { type: 'string', short: 'o' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  follow: { type: 'boolean' },
  baseline: { type: 'string' },
  ...SCORE_FLAGS,
  ...RULE_OPTIONS,
  ...CONFIG_OPTIONS,
  ...HELP_OPTION,
} as const;

export function parseFormat(v: string | undefined): AuditFormat {
  const f = v ?? 'text';
  if (!(AUDIT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}"; use one of ${AUDIT_FORMATS.join(', ')}`);
  return f as AuditFormat;
}

export function newDetector(config: Config, rulePatterns?: string[]): AuditDetector {
  return new AuditDetector({ rules: eventRules, scannerRules: builtinRules, config, ...ruleFilter(rulePatterns) });
}

const SUBCOMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  learn: () => import('./audit-learn.js'),
  rbac: () => import('./audit-rbac.js'),
  serve: () => import('./audit-serve.js'),
  consume: () => import('./audit-serve.js').then((m) => ({ run: m.runConsume })),
};

export async function run(argv: string[]): Promise<number> {
  const sub = argv[0] !== undefined ? SUBCOMMANDS[argv[0]] : undefined;
  if (sub) return (await sub()).run(argv.slice(1));
  const { values, positionals } = parse(argv, ANALYSE_OPTIONS);
  if (wantsHelp(values.help, usage)) return 0;
  const format = parseFormat(values.format);
  const failOn = parseFailOn(values['fail-on'], 'high');
  const config = loadConfig(values.config, values['no-config']);
  const inputs = positionals.length ? positionals : ['-'];
  if (values.follow && (inputs.length !== 1 || inputs[0] === '-')) throw new UsageError('--follow takes exactly one file (not stdin)');
  const scorers: EventScorer[] = [];
  if (values.baseline) scorers.push(baselineScorer(values.baseline, scoreOptions(values)));

  const writer = alertWriter(format, values.output);
  let worst: Severity | undefined;
  const onAlert = (a: Alert) => {
    if (!worst || severityRank(a.severity) > severityRank(worst)) worst = a.severity;
    writer.alert(a);
  };
  const runState = new AuditRun(newDetector(config, values.rule), onAlert, scorers);
  const abort = new AbortController();
  const stop = () => abort.abort();
  if (values.follow) process.once('SIGINT', stop).once('SIGTERM', stop);
  for (const input of inputs) await runState.source(input, { follow: Boolean(values.follow), signal: abort.signal });
  process.off('SIGINT', stop).off('SIGTERM', stop);
  await writer.end(runState.stats(), runState.errors);
  if (runState.failedClosed()) return 2;
  if (failOn === 'never' || !worst) return 0;
  return severityRank(worst) >= severityRank(failOn) ? 1 : 0;
}
