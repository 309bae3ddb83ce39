// `rampart pss`: evaluate pods and pod templates exactly as Pod Security Admission would, or
// (--suggest) say what enforce level each namespace could switch on today.
// The reader, analysis and rules are imported when the command runs, not for --help.
import type { PssReport, PssResult, SuggestReport } from '../../analyses/pss/report.js';
import { terminalSafe } from '../../reports/terminal-safe.js';
import { jsonPieces } from '../../reports/json.js';
import type { InputError, Severity, Skipped } from '../../model/types.js';
import { severityRank } from '../../model/types.js';
import { emit, loadCheckedConfig, parse, parseFailOn, progress, progressDone, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, INPUT_OPTIONS, INPUT_USAGE, inputPaths, podTemplatesNotEvaluated, pssSettingsWithFlags, REPORT_OPTIONS, wantsHelp } from '../scan-options.js';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, loadPathsOrCluster, wantsCluster } from '../cluster-options.js';

export const usage = `Usage: rampart pss [PATH|-]... [--level baseline|restricted] [--version v1.N|latest] [options]
       rampart pss --cluster [--from-namespaces|--suggest] [options]

Evaluates every Pod and pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob, ...)
exactly as Kubernetes Pod Security Admission would at that level and policy version.

Options:
${INPUT_USAGE}
      --level L         baseline|restricted (default: config pss.level, else restricted)
      --version V       v1.N|latest (default: config pss.version, else latest = v1.37)
      --from-namespaces evaluate each pod at the enforce level/version of its Namespace's
                        pod-security.kubernetes.io labels when that Namespace is in the input
                        (pods of other namespaces use --level/--version)
      --suggest         per workload the strictest level it satisfies today, and per namespace
                        the strongest enforce label that admits all its workloads
  -o, --format F        text|json (default text)
      --output FILE     write the report to FILE instead of stdout
      --fail-on SEV     exit 1 when a pod is denied by a check of at least SEV
                        (critical|high|medium|low|info|never; default info = any denial)
      --config FILE     config file (default: .rampart.yaml found from the current directory up)
      --no-config       ignore any .rampart.yaml
${CLUSTER_USAGE}
  -h, --help            show this help

Exemptions (pss.exemptions.namespaces / runtimeClasses in .rampart.yaml) are reported as exempt.
Exit codes: 0 all admitted, 1 a pod would be denied, 2 input or usage errors (report still written).`;

interface Meta {
  errors: InputError[];
  skipped: Skipped[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    level: { type: 'string' },
    version: { type: 'string' },
    suggest: { type: 'boolean' },
    'from-namespaces': { type: 'boolean' },
    ...INPUT_OPTIONS,
    ...REPORT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...CLUSTER_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const format = (values.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown output format "${values.format}"; use text or json`);
  const cluster = wantsCluster(values, [...positionals, ...(values.filename ?? [])]);
  const paths = cluster ? [] : inputPaths(positionals, values.filename, 'rampart pss examples --level baseline');
  const [{ pssHeader, pssReport, pssResults, suggestReport }, { pssRules }] = await Promise.all([
    import('../../analyses/pss/report.js'),
    import('../../rules/pss/index.js'),
  ]);
  const severity = new Map(pssRules.map((r) => [r.meta.id, r.meta.severity]));
  const checkSeverity = (check: string): Severity => severity.get(`pss/${check}`) ?? 'high';
  const config = await loadCheckedConfig(values.config, values['no-config']);
  const failOn = parseFailOn(values['fail-on'], 'info');
  const { settings } = pssSettingsWithFlags(config.settings.pss, { level: values.level, version: values.version }, (m) => m.replace('PSS level', '--level').replace('PSS version', '--version'));

  progress('reading inputs…');
  const load = await loadPathsOrCluster(values, paths, pssRules);
  progressDone();
  const meta: Meta = { errors: load.errors, skipped: [...load.skipped, ...podTemplatesNotEvaluated(load.resources)] };
  const incomplete = meta.errors.length > 0 || meta.skipped.some((s) => s.failsClosed);

  if (values.suggest) {
    const report = suggestReport(load.resources, settings);
    emit(format === 'json' ? jsonPieces({ ...report, errors: meta.errors, skipped: meta.skipped, ...(load.cluster ? { cluster: load.cluster } : {}) }) : suggestText(report, meta), values.output);
    return incomplete || report.summary.notEvaluated > 0 ? 2 : 0;
  }

  const options = { fromNamespaces: Boolean(values['from-namespaces']) };
  const threshold = failOn === 'never' ? Infinity : severityRank(failOn);
  const deniesAtThreshold = (r: PssResult) => !r.allowed && r.violations.some((v) => severityRank(checkSeverity(v.check)) >= threshold);
  let denied = false;
  let summary: PssReport['summary'];
  if (format === 'json') {
    // Streamed: each result is written as it is made (100k pods make a 346 MB report); the summary follows them.
    summary = { pods: 0, allowed: 0, denied: 0, exempt: 0, notEvaluated: 0 };
    const results = (function* () {
      for (const r of pssResults(load.resources, settings, options, summary)) {
        denied ||= deniesAtThreshold(r);
        yield r;
      }
    })();
    emit(jsonPieces({ ...pssHeader(settings), results, summary, errors: meta.errors, skipped: meta.skipped, ...(load.cluster ? { cluster: load.cluster } : {}) }), values.output);
  } else {
    const report = pssReport(load.resources, settings, options);
    emit(reportText(report, meta), values.output);
    summary = report.summary;
    denied = report.results.some(deniesAtThreshold);
  }
  if (incomplete || summary.notEvaluated > 0) return 2;
  if (failOn === 'never') return 0;
  return denied ? 1 : 0;
}

function resourceName(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function problems(meta: Meta): string[] {
  const out: string[] = [];
  for (const e of meta.errors) out.push(`error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  for (const s of meta.skipped) if (s.failsClosed) out.push(`not evaluated: ${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}${s.hint ? ` (${s.hint})` : ''}`);
  return out;
}

/** Each line is made terminal-safe whole: nothing in it is meant to drive the terminal, and a name with a newline must not forge a line. */
function reportText(report: PssReport, meta: Meta): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const where = `${r.location.file}:${r.location.line}`;
    if (r.exempt) {
      lines.push(`EXEMPT   ${resourceName(r.resource)}  (${where}): ${r.exempt}`);
      continue;
    }
    if (r.notEvaluated) {
      lines.push(`ERROR    ${resourceName(r.resource)}  (${where}): cannot be evaluated`);
      for (const m of r.notEvaluated) lines.push(`  - line ${m.line} ${m.path}: ${m.message}`);
    } else lines.push(`${r.allowed ? 'ALLOWED' : 'DENIED '}  ${resourceName(r.resource)}  (${where})${r.policy ? `  [${r.policy.level}:${r.policy.version} from ${r.policy.source}]` : ''}`);
    for (const v of r.violations) {
      lines.push(`  - ${v.check}: ${v.reason}`);
      for (const f of v.fields) lines.push(`      line ${f.line}:${f.column}  ${f.path}`);
    }
  }
  const s = report.summary;
  lines.push('');
  lines.push(`${s.pods} pod${s.pods === 1 ? '' : 's'} evaluated at ${report.level}:${report.version}${report.version === 'latest' ? ` (${report.evaluatedAs})` : ''}: ${s.allowed} allowed, ${s.denied} denied, ${s.exempt} exempt, ${s.notEvaluated} not evaluated`);
  lines.push(...problems(meta));
  return lines.map(terminalSafe).join('\n') + '\n';
}

function suggestText(report: SuggestReport, meta: Meta): string {
  const lines: string[] = ['Workloads (strictest level each satisfies today):'];
  for (const w of report.workloads) {
    const tag = w.exempt ? `exempt (${w.exempt})` : `${w.strictest}${w.evaluated ? '' : ' (NOT EVALUATED: malformed fields)'}`;
    lines.push(`  ${tag.padEnd(11)} ${resourceName(w.resource)}  (${w.location.file}:${w.location.line})`);
  }
  lines.push('', `Namespaces (strongest enforce label that admits all their workloads, policy ${report.version}):`);
  for (const n of report.namespaces) {
    const name = n.namespace || '(no namespace in manifest)';
    const limited = n.enforce === 'restricted' ? '' : `; limited by ${n.limitedBy.privileged ? `${n.limitedBy.privileged} privileged-only` : ''}${n.limitedBy.privileged && n.limitedBy.baseline ? ', ' : ''}${n.limitedBy.baseline ? `${n.limitedBy.baseline} baseline-only` : ''} workload(s)`;
    const cur = n.current ? `; current enforce: ${n.current.enforce ?? '(none)'}${n.current.enforceVersion ? `@${n.current.enforceVersion}` : ''}${n.currentDenies ? ' (would DENY some workloads)' : ''}` : '';
    lines.push(`  ${name}: pod-security.kubernetes.io/enforce=${n.enforce} enforce-version=${n.labels['pod-security.kubernetes.io/enforce-version']}  (${n.workloads} workload${n.workloads === 1 ? '' : 's'}${limited}${cur})`);
    if (n.notEvaluated) lines.push(`    warning: ${n.notEvaluated} workload(s) could not be evaluated; fix them before enforcing`);
  }
  const s = report.summary;
  lines.push('', `${s.workloads} workloads: ${s.restricted} restricted, ${s.baseline} baseline, ${s.privileged} privileged-only, ${s.exempt} exempt, ${s.notEvaluated} not evaluated`);
  lines.push(...problems(meta));
  return lines.map(terminalSafe).join('\n') + '\n';
}
