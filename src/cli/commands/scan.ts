// `rampart scan`: files, directories and stdin through the engine to a report.
import { builtinRules } from '../../rules/index.js';
import { loadInputs } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { loadConfig, parse, parseFailOn, progress, progressDone, UsageError } from '../common.js';
import {
  CONFIG_OPTIONS,
  CONFIG_USAGE,
  HELP_OPTION,
  HELP_USAGE,
  RENDER_OPTIONS,
  RENDER_USAGE,
  renderOptions,
  pssSettingsWithFlags,
  REPORT_OPTIONS,
  REPORT_USAGE,
  reporterFor,
  RULE_OPTIONS,
  ruleFilter,
  wantsHelp,
  writeReport,
} from '../scan-options.js';
import { rbacScanSettings } from '../../input/rbac-defaults.js';
import { CLUSTER_SCAN_OPTIONS, CLUSTER_SCAN_USAGE, wantsCluster } from '../cluster-options.js';
import { scanClusters } from '../cluster-scan.js';

export const usage = `Usage: rampart scan [PATH|-]... [options]
       rampart scan --cluster [--context A[,B]] [-n NS] [options]

Scans Kubernetes manifests (files, directories recursively, - for stdin). Helm charts (a directory
with Chart.yaml, or a packaged .tgz) and Kustomize directories are rendered with the real helm /
kubectl kustomize first; findings point at the template, values file or patch to edit.

Options:
${REPORT_USAGE}
${CONFIG_USAGE}
      --rule ID         run only these rules (repeatable; globs like 'pss/*')
      --pss-level L     baseline|restricted (default restricted)
      --pss-version V   v1.N|latest (default latest)
${RENDER_USAGE}
      --no-render       do not render charts or overlays; scan their files as plain YAML
      --no-rbac-defaults  do not add the Kubernetes bootstrap roles and bindings to the RBAC rules' view
${CLUSTER_SCAN_USAGE}
${HELP_USAGE}

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 input or usage errors (report still written).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...REPORT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...RULE_OPTIONS,
    'pss-level': { type: 'string' },
    'pss-version': { type: 'string' },
    ...RENDER_OPTIONS,
    'no-rbac-defaults': { type: 'boolean' },
    ...CLUSTER_SCAN_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const { format, reporter } = reporterFor(values.format);
  const cluster = wantsCluster(values, positionals);
  if (positionals.length === 0 && !cluster) throw new UsageError('no input: give files, directories or - for stdin (try: rampart scan examples)');
  const config = loadConfig(values.config, values['no-config']);
  const failOn = parseFailOn(values['fail-on'], config.failOn ?? 'high');
  const settings: Record<string, unknown> = {};
  if (values['pss-level'] || values['pss-version']) {
    settings.pss = pssSettingsWithFlags(config.settings.pss, { level: values['pss-level'], version: values['pss-version'] }).raw;
  }

  if (cluster) return scanClusters(values, { rules: builtinRules, config, settings, ...ruleFilter(values.rule), format, reporter, output: values.output, failOn });

  progress('reading inputs…');
  const load = await loadInputs(positionals, undefined, values['no-render'] ? false : renderOptions(values));
  const rbac = await rbacScanSettings(config.settings.rbac, values['no-rbac-defaults'], load.resources);
  settings.rbac = rbac.settings;
  load.errors.push(...rbac.errors);
  progress(`checking ${load.resources.length} resources…`);
  const report = runEngine(load, { rules: builtinRules, config, settings, ...ruleFilter(values.rule) });
  progressDone();
  return writeReport(report, builtinRules, { format, reporter, output: values.output, failOn });
}
