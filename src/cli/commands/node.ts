// `rampart node`: audits a node's control-plane and kubelet configuration (CIS sections 1, 2, 3.2, 4)
// from a filesystem root, through the same engine and reporters as `rampart scan`.
import { loadCheckedConfig, parse, parseFailOn, progress, progressDone, UsageError } from '../common.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, HELP_OPTION, HELP_USAGE, REPORT_OPTIONS, REPORT_USAGE, reporterFor, RULE_FILTER_OPTIONS, ruleFilterUsage, ruleSelection, severityFilter, wantsHelp, withSeverities, writeReport } from '../scan-options.js';

export const usage = `Usage: rampart node [--root DIR] [options]

Audits a Kubernetes node against the CIS Kubernetes Benchmark (v1.12): control-plane static Pods in
/etc/kubernetes/manifests, the files they reference (EncryptionConfiguration, audit Policy, PKI,
kubeconfigs), the kubelet's systemd units, flags and config file, and file modes and owners.
Findings point at the flag, field or file; every output format of 'rampart scan' works.

Options:
      --root DIR        filesystem root of the node (default /; e.g. a mounted node image)
${REPORT_USAGE}
${CONFIG_USAGE}
${ruleFilterUsage('cis/kubelet-*')}
${HELP_USAGE}

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage errors or files that could not be read
(run as root to read keys and kubeconfigs; the report is still written).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    root: { type: 'string' },
    ...REPORT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...RULE_FILTER_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; give the node root with --root DIR`);
  const { format, reporter } = await reporterFor(values.format);
  const severities = severityFilter(values.severity);
  const [{ cisRules }, { loadNodeRoot }, { runEngine }] = await Promise.all([import('../../rules/cis/index.js'), import('../../input/node-root.js'), import('../../engine/run.js')]);
  const { config, only } = ruleSelection(values, cisRules, await loadCheckedConfig(values.config, values['no-config']));
  const failOn = parseFailOn(values['fail-on'], config.failOn ?? 'high');
  const configuredRoot = config.settings.node?.root;
  const root = values.root ?? (typeof configuredRoot === 'string' ? configuredRoot : '/');

  progress(`reading node configuration under ${root}…`);
  const load = await loadNodeRoot(root);
  progress(`checking ${load.resources.length} objects…`);
  const report = runEngine(load, { rules: cisRules, config, ...(only ? { only } : {}) });
  progressDone();
  return writeReport(withSeverities(report, severities), cisRules, { format, reporter, output: values.output, failOn });
}
