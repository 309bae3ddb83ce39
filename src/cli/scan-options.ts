// Options shared by the commands (`scan`, `fix`, `node`, `pss`, `rules`): their parseArgs specs,
// their help lines, and turning the parsed values into render options, a rule filter and a report.
import type { RenderOptions } from '../input/render/index.js';
import type { AnyRule, RuleMeta } from '../engine/rule.js';
import type { ScanReport } from '../engine/finding.js';
import { exitCodeFor } from '../engine/run.js';
import { globMatch } from '../engine/config.js';
import { reporters, FORMATS } from '../reports/index.js';
import type { Reporter } from '../reports/types.js';
import { emit, UsageError, useColor } from './common.js';
import type { Severity } from '../model/types.js';
import { pssSettings, PssSettingsError, type PssSettings } from '../analyses/pss/settings.js';

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

/** How Helm charts and Kustomize overlays are rendered (or not). */
export const RENDER_OPTIONS = {
  values: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  release: { type: 'string' },
  namespace: { type: 'string' },
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
      --namespace NS    Helm --namespace
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

/** The reporter for --format (default text), or a usage error naming the formats there are. */
export function reporterFor(format: string | undefined): { format: string; reporter: Reporter } {
  const name = format ?? 'text';
  const reporter = reporters[name];
  if (!reporter) throw new UsageError(`unknown output format "${name}"; use one of ${Object.keys(reporters).join(', ')}`);
  return { format: name, reporter };
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

/** `{ only }` for runEngine from --rule globs, or nothing when no --rule was given. */
export function ruleFilter(patterns: string[] | undefined): { only?: (id: string) => boolean } {
  return patterns ? { only: (id: string) => patterns.some((p) => globMatch(p, id)) } : {};
}

/** Writes the report (color only for text on a TTY) and returns the exit code for --fail-on. */
export function writeReport(
  report: ScanReport,
  rules: readonly AnyRule[],
  out: { format: string; reporter: Reporter; output: string | undefined; failOn: Severity | 'never' },
): number {
  const metas = new Map<string, RuleMeta>(rules.map((r) => [r.meta.id, r.meta]));
  emit(out.reporter(report, { rules: metas, color: out.format === 'text' && useColor(out.output) }), out.output);
  return exitCodeFor(report.summary, report.findings, out.failOn);
}
