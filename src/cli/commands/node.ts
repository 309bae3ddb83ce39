// `rampart node`: audits a node's control-plane and kubelet configuration (CIS sections 1, 2, 3.2, 4)
// from a filesystem root, through the same engine and reporters as `rampart scan`.
import { cisRules } from '../../rules/cis/index.js';
import { loadNodeRoot } from '../../input/node-root.js';
import { runEngine, exitCodeFor } from '../../engine/run.js';
import type { RuleMeta } from '../../engine/rule.js';
import { globMatch } from '../../engine/config.js';
import { reporters, FORMATS } from '../../reports/index.js';
import { emit, loadConfig, parse, parseFailOn, progress, progressDone, UsageError, useColor } from '../common.js';

export const usage = `Usage: rampart node [--root DIR] [options]

Audits a Kubernetes node against the CIS Kubernetes Benchmark (v1.12): control-plane static Pods in
/etc/kubernetes/manifests, the files they reference (EncryptionConfiguration, audit Policy, PKI,
kubeconfigs), the kubelet's systemd units, flags and config file, and file modes and owners.
Findings point at the flag, field or file; every output format of 'rampart scan' works.

Options:
      --root DIR        filesystem root of the node (default /; e.g. a mounted node image)
  -o, --format FORMAT   ${FORMATS.join('|')} (default text)
      --output FILE     write the report to FILE instead of stdout
      --fail-on SEV     exit 1 on findings at or above SEV: critical|high|medium|low|info|never (default high)
      --config FILE     config file (default: .rampart.yaml found from the current directory up)
      --no-config       ignore any .rampart.yaml
      --rule ID         run only these rules (repeatable; globs like 'cis/kubelet-*')
  -h, --help            show this help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage errors or files that could not be read
(run as root to read keys and kubeconfigs; the report is still written).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    root: { type: 'string' },
    format: { type: 'string', short: 'o' },
    output: { type: 'string' },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    'no-config': { type: 'boolean' },
    rule: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; give the node root with --root DIR`);
  const format = values.format ?? 'text';
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`unknown output format "${format}"; use one of ${Object.keys(reporters).join(', ')}`);
  const config = loadConfig(values.config, values['no-config']);
  const failOn = parseFailOn(values['fail-on'], config.failOn ?? 'high');
  const configuredRoot = config.settings.node?.root;
  const root = values.root ?? (typeof configuredRoot === 'string' ? configuredRoot : '/');

  progress(`reading node configuration under ${root}…`);
  const load = await loadNodeRoot(root);
  progress(`checking ${load.resources.length} objects…`);
  const only = values.rule ? (id: string) => values.rule!.some((p) => globMatch(p, id)) : undefined;
  const report = runEngine(load, { rules: cisRules, config, ...(only ? { only } : {}) });
  progressDone();

  const metas = new Map<string, RuleMeta>(cisRules.map((r) => [r.meta.id, r.meta]));
  emit(reporter(report, { rules: metas, color: format === 'text' && useColor(values.output) }), values.output);
  return exitCodeFor(report.summary, report.findings, failOn);
}
