// `rampart scan`: files, directories and stdin through the engine to a report.
import { builtinRules } from '../../rules/index.js';
import { pssSettings, PssSettingsError } from '../../analyses/pss/settings.js';
import { loadInputs } from '../../input/files.js';
import type { RenderOptions } from '../../input/render/index.js';
import { runEngine, exitCodeFor } from '../../engine/run.js';
import type { RuleMeta } from '../../engine/rule.js';
import { reporters, FORMATS } from '../../reports/index.js';
import { emit, loadConfig, parse, parseFailOn, progress, progressDone, UsageError, useColor } from '../common.js';
import { globMatch } from '../../engine/config.js';
import { rbacScanSettings } from '../../input/rbac-defaults.js';

export const usage = `Usage: rampart scan [PATH|-]... [options]

Scans Kubernetes manifests (files, directories recursively, - for stdin). Helm charts (a directory
with Chart.yaml, or a packaged .tgz) and Kustomize directories are rendered with the real helm /
kubectl kustomize first; findings point at the template, values file or patch to edit.

Options:
  -o, --format FORMAT   ${FORMATS.join('|')} (default text)
      --output FILE     write the report to FILE instead of stdout
      --fail-on SEV     exit 1 on findings at or above SEV: critical|high|medium|low|info|never (default high)
      --config FILE     config file (default: .rampart.yaml found from the current directory up)
      --no-config       ignore any .rampart.yaml
      --rule ID         run only these rules (repeatable; globs like 'pss/*')
      --pss-level L     baseline|restricted (default restricted)
      --pss-version V   v1.N|latest (default latest)
      --values FILE     Helm values file (repeatable; the last one wins)
      --set K=V         Helm --set (repeatable)
      --release NAME    Helm release name (default release)
      --namespace NS    Helm --namespace
      --kube-version V  Helm --kube-version
      --helm PATH       helm binary to use (default: PATH, then the bundled one)
      --kubectl PATH    kubectl (or kustomize) binary for Kustomize (default: PATH, then the bundled one)
      --no-render       do not render charts or overlays; scan their files as plain YAML
      --no-rbac-defaults  do not add the Kubernetes bootstrap roles and bindings to the RBAC rules' view
  -h, --help            show this help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 input or usage errors (report still written).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string', short: 'o' },
    output: { type: 'string' },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    'no-config': { type: 'boolean' },
    rule: { type: 'string', multiple: true },
    'pss-level': { type: 'string' },
    'pss-version': { type: 'string' },
    values: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    release: { type: 'string' },
    namespace: { type: 'string' },
    'kube-version': { type: 'string' },
    helm: { type: 'string' },
    kubectl: { type: 'string' },
    'no-render': { type: 'boolean' },
    'no-rbac-defaults': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`unknown output format "${format}"; use one of ${Object.keys(reporters).join(', ')}`);
  if (positionals.length === 0) throw new UsageError('no input: give files, directories or - for stdin (try: rampart scan examples)');
  const config = loadConfig(values.config, values['no-config']);
  const failOn = parseFailOn(values['fail-on'], config.failOn ?? 'high');
  const settings: Record<string, unknown> = {};
  if (values['pss-level'] || values['pss-version']) {
    settings.pss = { ...(config.settings.pss ?? {}), ...(values['pss-level'] ? { level: values['pss-level'] } : {}), ...(values['pss-version'] ? { version: values['pss-version'] } : {}) };
    try {
      pssSettings(settings.pss); // a bad --pss-level/--pss-version is one usage error, not one error per resource
    } catch (e) {
      if (e instanceof PssSettingsError) throw new UsageError(e.message);
      throw e;
    }
  }

  progress('reading inputs…');
  const render: RenderOptions | false = values['no-render']
    ? false
    : {
        ...(values.values ? { values: values.values } : {}),
        ...(values.set ? { set: values.set } : {}),
        ...(values.release ? { release: values.release } : {}),
        ...(values.namespace ? { namespace: values.namespace } : {}),
        ...(values['kube-version'] ? { kubeVersion: values['kube-version'] } : {}),
        ...(values.helm ? { helm: values.helm } : {}),
        ...(values.kubectl ? { kubectl: values.kubectl } : {}),
      };
  const load = await loadInputs(positionals, undefined, render);
  const rbac = await rbacScanSettings(config.settings.rbac, values['no-rbac-defaults'], load.resources);
  settings.rbac = rbac.settings;
  load.errors.push(...rbac.errors);
  progress(`checking ${load.resources.length} resources…`);
  const only = values.rule ? (id: string) => values.rule!.some((p) => globMatch(p, id)) : undefined;
  const report = runEngine(load, { rules: builtinRules, config, settings, ...(only ? { only } : {}) });
  progressDone();

  const metas = new Map<string, RuleMeta>(builtinRules.map((r) => [r.meta.id, r.meta]));
  emit(reporter(report, { rules: metas, color: format === 'text' && useColor(values.output) }), values.output);
  return exitCodeFor(report.summary, report.findings, failOn);
}
