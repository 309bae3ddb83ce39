// Options shared by the commands (`scan`, `fix`, `node`, `pss`, `rules`): their parseArgs specs,
// their help lines, and turning the parsed values into render options, a rule filter and a report.
import { sourceReader } from './source-reader.js';
import type { RenderOptions } from '../input/render/index.js';
import type { AnyRule, RuleMeta } from '../engine/rule.js';
import { emptyCounts, type ScanReport } from '../engine/finding.js';
import { exitCodeFor, runEngine, type RunOptions } from '../engine/run.js';
import type { LoadResult } from '../input/files.js';
import { globMatch, ruleSettingFor } from '../engine/config.js';
import { missingRequiredOptions } from './rules-catalog.js';
import type { Reporter } from '../reports/types.js';
import { emit, parseSeverity, UsageError, useColor } from './common.js';
import type { Config } from '../engine/config.js';
import type { EarlyRules } from '../engine/early.js';
import { editDistance } from '../engine/edit-distance.js';
import type { Resource, Severity, Skipped } from '../model/types.js';
import { unknownPodTemplate } from '../model/workloads.js';
import { pssSettings, PssSettingsError, type PssSettings } from '../analyses/pss/settings.js';

/**
 * The output formats, each loaded only when asked for (start-up cost). Same names and functions as
 * `reporters` in reports/index.ts; a test keeps the two in step.
 */
export const REPORTERS: Record<string, () => Promise<Reporter>> = {
  text: async () => (await import('../reports/text.js')).textReport,
  json: async () => (await import('../reports/json.js')).jsonReport,
  sarif: async () => (await import('../reports/sarif.js')).sarifReport,
  junit: async () => (await import('../reports/junit.js')).junitReport,
  markdown: async () => (await import('../reports/markdown.js')).markdownReport,
  html: async () => (await import('../reports/html.js')).htmlReport,
  policyreport: async () => (await import('../reports/policyreport.js')).policyReport,
};
const FORMATS = Object.keys(REPORTERS);

/** --format, --output: what is written where. */
export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'o' },
  output: { type: 'string' },
} as const;

/** --format, --output, --fail-on: how the report is written and when it fails the run. */
export const REPORT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  'fail-on': { type: 'string' },
} as const;

/** --config, --no-config. */
export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
} as const;

/** --rule ID (repeatable, globs). */
export const RULE_OPTIONS = {
  rule: { type: 'string', multiple: true },
} as const;

/** --rule, plus --skip-rule ID and --severity LIST for the commands that report findings. */
export const RULE_FILTER_OPTIONS = {
  ...RULE_OPTIONS,
  'skip-rule': { type: 'string', multiple: true },
  severity: { type: 'string', multiple: true },
} as const;

/** Help lines of RULE_FILTER_OPTIONS; `example` is a glob that fits the command. */
export function ruleFilterUsage(example: string): string {
  return `      --rule ID         run only these rules (repeatable; globs like '${example}'); a rule named
                        exactly runs even when it is off by default or in the config
      --skip-rule ID    do not run these rules (repeatable; globs)
      --severity LIST   report only findings of these severities (comma-separated, any case)`;
}

/** -f/--filename PATH (repeatable), as kubectl takes inputs; positional paths work too. */
export const INPUT_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
} as const;

export const INPUT_USAGE = `  -f, --filename PATH   input file, directory or - for stdin (repeatable; positional paths work too)`;

/** The inputs: positional paths then -f/--filename ones, or a usage error with `example` when none. */
export function inputPaths(positionals: string[], filename: string[] | undefined, example: string): string[] {
  const paths = [...positionals, ...(filename ?? [])];
  if (paths.length === 0) throw new UsageError(`no input: give files, directories or - for stdin (try: ${example})`);
  return paths;
}

/** How Helm charts and Kustomize overlays are rendered (or not). */
export const RENDER_OPTIONS = {
  values: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  release: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'kube-version': { type: 'string' },
  helm: { type: 'string' },
  kubectl: { type: 'string' },
  'allow-network': { type: 'boolean' },
  'no-render': { type: 'boolean' },
} as const;

export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h' },
} as const;

/** Help lines of REPORT_OPTIONS (default --fail-on high). */
export const REPORT_USAGE = `  -o, --format FORMAT   ${FORMATS.join('|')} (default text)
      --output FILE     write the report to FILE instead of stdout
      --fail-on SEV     exit 1 on findings at or above SEV: critical|high|medium|low|info|never (default high)`;

/** Help lines of CONFIG_OPTIONS. */
export const CONFIG_USAGE = `      --config FILE     config file (default: .rampart.yaml found from the current directory up)
      --no-config       ignore any .rampart.yaml`;

/** Help lines of RENDER_OPTIONS but --no-render, whose meaning each command words itself. */
export const RENDER_USAGE = `      --values FILE     Helm values file (repeatable; the last one wins)
      --set K=V         Helm --set (repeatable)
      --release NAME    Helm release name (default release)
  -n, --namespace NS    namespace charts and overlays are rendered for (Helm --namespace)
      --kube-version V  Helm --kube-version
      --helm PATH       helm binary to use (default: PATH, then the bundled one)
      --kubectl PATH    kubectl (or kustomize) binary for Kustomize (default: PATH, then the bundled one)
      --allow-network   let renderers fetch remote Kustomize bases and chart dependencies
                        (default: such inputs are not evaluated, exit 2)`;

export const HELP_USAGE = `  -h, --help            show this help`;

/**
 * The config's `pss` settings with the command's level/version flags over them, validated once: a bad
 * value is a single usage error (worded by `reword`), not one error per resource.
 */
export function pssSettingsWithFlags(
  configured: Record<string, unknown> | undefined,
  flags: { level?: string | undefined; version?: string | undefined },
  reword: (message: string) => string = (m) => m,
): { raw: Record<string, unknown>; settings: PssSettings } {
  const raw = { ...(configured ?? {}), ...(flags.level ? { level: flags.level } : {}), ...(flags.version ? { version: flags.version } : {}) };
  try {
    return { raw, settings: pssSettings(raw) };
  } catch (e) {
    if (e instanceof PssSettingsError) throw new UsageError(reword(e.message));
    throw e;
  }
}

/** Prints the usage for --help; true when the command should stop there (exit 0). */
export function wantsHelp(help: boolean | undefined, usage: string): boolean {
  if (help) process.stdout.write(usage + '\n');
  return Boolean(help);
}

/** The reporter for --format (default text; any case), or a usage error naming the formats there are. */
export async function reporterFor(format: string | undefined): Promise<{ format: string; reporter: Reporter }> {
  const name = (format ?? 'text').toLowerCase();
  const load = REPORTERS[name];
  if (!load) throw new UsageError(`unknown output format "${format}"; use one of ${FORMATS.join(', ')}`);
  return { format: name, reporter: await load() };
}

/** The render options given on the command line (only those given). */
export function renderOptions(values: {
  values?: string[] | undefined;
  set?: string[] | undefined;
  release?: string | undefined;
  namespace?: string | undefined;
  'kube-version'?: string | undefined;
  helm?: string | undefined;
  kubectl?: string | undefined;
  'allow-network'?: boolean | undefined;
}): RenderOptions {
  return {
    ...(values.values ? { values: values.values } : {}),
    ...(values.set ? { set: values.set } : {}),
    ...(values.release ? { release: values.release } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values['kube-version'] ? { kubeVersion: values['kube-version'] } : {}),
    ...(values.helm ? { helm: values.helm } : {}),
    ...(values.kubectl ? { kubectl: values.kubectl } : {}),
    ...(values['allow-network'] ? { allowNetwork: true } : {}),
  };
}

/** `{ only }` for runEngine from --rule globs, or nothing when no --rule was given (no checks: see ruleSelection). */
export function ruleFilter(patterns: string[] | undefined): { only?: (id: string) => boolean } {
  return patterns ? { only: (id: string) => patterns.some((p) => globMatch(p, id)) } : {};
}

/**
 * What --rule and --skip-rule select among `rules`, checked: an id or glob that matches no rule is a
 * usage error with the nearest id (a typo must not run nothing and pass). A rule named exactly by
 * --rule is switched on in the returned config even when it is off by default or by the config —
 * naming it is asking for it; a glob keeps to the rules that are on.
 */
export function ruleSelection(
  values: { rule?: string[] | undefined; 'skip-rule'?: string[] | undefined },
  rules: readonly AnyRule[],
  config: Config,
): { config: Config; only?: (id: string) => boolean } {
  const ids = rules.map((r) => r.meta.id);
  const check = (flag: string, pattern: string) => {
    if (ids.some((id) => globMatch(pattern, id))) return;
    const near = nearestIds(pattern, ids);
    throw new UsageError(`${flag} "${pattern}" matches no rule${near.length ? `; did you mean ${near.join(', ')}?` : ''} ('rampart rules list' shows them all)`);
  };
  for (const p of values.rule ?? []) check('--rule', p);
  for (const p of values['skip-rule'] ?? []) check('--skip-rule', p);
  const wanted = values.rule;
  const skipped = values['skip-rule'] ?? [];
  if (!wanted && skipped.length === 0) return { config };
  const named = (wanted ?? []).filter((p) => !p.includes('*'));
  for (const id of named) {
    // Switched on by name but unable to check anything until configured: say so rather than pass.
    const missing = missingRequiredOptions(rules.find((r) => r.meta.id === id)!.meta, ruleSettingFor(config, id).options);
    if (missing.length) throw new UsageError(`--rule ${id} checks nothing until its option${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} set in .rampart.yaml; 'rampart rules show ${id}' says how`);
  }
  const on = Object.fromEntries(named.map((id) => [id, { ...config.rules[id], enabled: true }]));
  return {
    config: named.length ? { ...config, rules: { ...config.rules, ...on } } : config,
    only: (id) => (!wanted || wanted.some((p) => globMatch(p, id))) && !skipped.some((p) => globMatch(p, id)),
  };
}

/** Up to three ids closest to a mistyped one (edit distance, or sharing its family and a prefix). */
function nearestIds(typed: string, ids: readonly string[]): string[] {
  const plain = typed.replace(/\*/g, '');
  const scored = ids.map((id) => ({ id, d: editDistance(plain, id) })).filter((x) => x.d <= Math.max(2, Math.floor(plain.length / 4)));
  return scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)).slice(0, 3).map((x) => x.id);
}

/** The severities of --severity (comma-separated and/or repeated, any case), or undefined for all. */
export function severityFilter(values: string[] | undefined): Set<Severity> | undefined {
  if (!values) return undefined;
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--severity needs at least one of critical, high, medium, low, info');
  return new Set(list.map((v) => parseSeverity(v, '--severity')));
}

/** The report with only findings of these severities; the summary counts follow (what was not evaluated stays). */
export function withSeverities(report: ScanReport, keep: Set<Severity> | undefined): ScanReport {
  if (!keep) return report;
  const findings = report.findings.filter((f) => keep.has(f.severity));
  const bySeverity = emptyCounts();
  for (const f of findings) if (!f.suppressed) bySeverity[f.severity]++;
  const active = findings.filter((f) => !f.suppressed).length;
  return { ...report, findings, summary: { ...report.summary, findings: active, bySeverity, suppressed: findings.length - active } };
}

/**
 * The scan once inputs are read, shared by `rampart scan` and the library API so both report the
 * same findings: the built-in RBAC objects (unless off), pods of unknown controllers named as not
 * evaluated, then the engine.
 */
export async function scanLoaded(
  load: LoadResult,
  rules: AnyRule[],
  opts: {
    config: Config;
    settings?: Record<string, unknown>;
    only?: RunOptions['only'];
    noRbacDefaults?: boolean;
    /** Record passes (the PolicyReport output lists them). */
    recordPasses?: boolean;
    /** Work that needs the final settings before the rules run (ValidatingAdmissionPolicies). */
    prepare?: (load: LoadResult, settings: Record<string, unknown>) => Promise<void>;
    /** Per-object rules run while reading (`earlyRules` with the same rules, config, settings and `only`). */
    early?: EarlyRules;
  },
): Promise<ScanReport> {
  const [{ rbacScanSettings }, { releasePositions }] = await Promise.all([import('../input/rbac-defaults.js'), import('../input/yaml.js')]);
  const rbac = await rbacScanSettings(opts.config.settings.rbac, opts.noRbacDefaults, load.resources);
  const settings = { ...opts.settings, rbac: rbac.settings };
  load.errors.push(...rbac.errors);
  load.skipped.push(...podTemplatesNotEvaluated(load.resources));
  if (opts.prepare) await opts.prepare(load, settings);
  const early = opts.early ? { early: opts.early } : {};
  const prepared = opts.early ? { prepared: opts.early.plan } : {};
  return runEngine({ ...load, releasePositions, ...early }, { rules, config: opts.config, settings, ...(opts.only ? { only: opts.only } : {}), ...(opts.recordPasses ? { recordPasses: true } : {}), ...prepared });
}

/** Settings `scanLoaded` adds after reading: a rule asking for one is left to the engine run. */
const LATE_SETTINGS = ['rbac'];

/** Per-object rules for a scan's reading (see `EarlyRules`); pass the result to `scanLoaded` as `early`. */
export async function earlyRules(opts: { rules: AnyRule[]; config: Config; settings: Record<string, unknown>; only?: RunOptions['only'] }): Promise<EarlyRules> {
  const { EarlyRules } = await import('../engine/early.js');
  return new EarlyRules(opts, LATE_SETTINGS);
}

/** Writes the report (color only for text on a TTY) and returns the exit code for --fail-on. */
export function writeReport(
  report: ScanReport,
  rules: readonly AnyRule[],
  out: { format: string; reporter: Reporter; output: string | undefined; failOn: Severity | 'never' },
): number {
  const metas = new Map<string, RuleMeta>(rules.map((r) => [r.meta.id, r.meta]));
  const ctx = { rules: metas, color: out.format === 'text' && useColor(out.output), srcRoot: process.cwd(), ...(out.format === 'html' ? { source: sourceReader() } : {}) };
  emit(out.reporter.chunks ? out.reporter.chunks(report, ctx) : out.reporter(report, ctx), out.output);
  return exitCodeFor(report.summary, report.findings, out.failOn);
}

/**
 * Objects of kinds Rampart does not know that carry a pod template (a custom controller's
 * `spec.template.spec`): their pods are not evaluated, so each is named as not evaluated (fail
 * closed) instead of passing unseen.
 */
export function podTemplatesNotEvaluated(resources: readonly Resource[]): Skipped[] {
  const out: Skipped[] = [];
  for (const r of resources) {
    const at = unknownPodTemplate(r);
    if (at === undefined) continue;
    const where = r.locator.locate(at);
    out.push({
      file: where.file,
      line: where.line,
      reason: `${r.kind} "${r.name}" (${r.apiVersion}) has a pod template at ${at}, but ${r.kind} is not a kind Rampart evaluates, so its pods were not checked`,
      hint: 'scan the Pods or workloads it creates, or ask for the kind to be supported',
      failsClosed: true,
    });
  }
  return out;
}
