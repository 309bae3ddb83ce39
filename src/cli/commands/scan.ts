// `rampart scan`: files, directories and stdin through the engine to a report.
// The rules, readers and engine are imported when a scan runs, not for --help or a usage error.
import { setFlagsFromString } from 'node:v8';
import { oldGenerationGrows, oldGenerationGrowsAsV8, youngGenerationFixed, youngGenerationGrows } from '../heap.js';
import { loadCheckedConfig, parse, parseFailOn, progress, progressDone, UsageError } from '../common.js';
import {
  CONFIG_OPTIONS,
  CONFIG_USAGE,
  HELP_OPTION,
  HELP_USAGE,
  RENDER_OPTIONS,
  RENDER_USAGE,
  renderOptions,
  scanLoaded,
  pssSettingsWithFlags,
  REPORT_OPTIONS,
  REPORT_USAGE,
  reporterFor,
  INPUT_OPTIONS,
  INPUT_USAGE,
  inputPaths,
  RULE_FILTER_OPTIONS,
  ruleFilterUsage,
  ruleSelection,
  severityFilter,
  withSeverities,
  wantsHelp,
  writeReport,
  earlyRules,
} from '../scan-options.js';
import type { InputError, Skipped } from '../../model/types.js';
import type { ImageVulns } from '../../analyses/vulns/formats.js';
import { CLUSTER_SCAN_OPTIONS, CLUSTER_SCAN_USAGE, wantsCluster } from '../cluster-options.js';
import { evaluateClusterPolicies, evaluatePolicyFiles, readPolicyFiles, VAP_OPTIONS, VAP_USAGE } from '../vap-options.js';

export const usage = `Usage: rampart scan [PATH|-]... [options]
       rampart scan --cluster [--context A[,B]] [-n NS] [options]

Scans Kubernetes manifests (files, directories recursively, - for stdin). Helm charts (a directory
with Chart.yaml, or a packaged .tgz) and Kustomize directories are rendered with the real helm /
kubectl kustomize first; findings point at the template, values file or patch to edit.
Dockerfiles and Containerfiles found in a directory are checked too (dockerfile/* rules).

Options:
${INPUT_USAGE}
${REPORT_USAGE}
${CONFIG_USAGE}
${ruleFilterUsage('pss/*')}
      --pss-level L     baseline|restricted (default restricted)
      --pss-version V   v1.N|latest (default latest)
${RENDER_USAGE}
      --no-render       do not render charts or overlays; scan their files as plain YAML
      --no-rbac-defaults  do not add the Kubernetes bootstrap roles and bindings to the RBAC rules' view
      --one-cluster     treat every input as one install: join the roots (directories given, projects
                        of a folder of projects, charts, overlays) into one cluster (see docs/configuration.md)
      --vulns FILE      Trivy (trivy image -f json, trivy k8s --format json) or Grype (grype -o json)
                        report to join to the workloads that run the image (repeatable; docs/vulns.md)
      --paths-baseline FILE  a previous \`rampart paths -o json\`: paths/* rules report only paths not in
                        it, so CI fails on a change that opens a new path (docs/paths.md)
${VAP_USAGE}
${CLUSTER_SCAN_USAGE}
${HELP_USAGE}

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 input or usage errors (report still written).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...REPORT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...INPUT_OPTIONS,
    ...RULE_FILTER_OPTIONS,
    'pss-level': { type: 'string' },
    'pss-version': { type: 'string' },
    ...RENDER_OPTIONS,
    'no-rbac-defaults': { type: 'boolean' },
    'one-cluster': { type: 'boolean' },
    vulns: { type: 'string', multiple: true },
    'paths-baseline': { type: 'string' },
    ...CLUSTER_SCAN_OPTIONS,
    ...VAP_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  youngGenerationFixed();
  const { format, reporter } = await reporterFor(values.format);
  const cluster = wantsCluster(values, [...positionals, ...(values.filename ?? [])]);
  const paths = cluster ? [] : inputPaths(positionals, values.filename, 'rampart scan examples');
  if (!cluster) oldGenerationGrowsWide();
  const severities = severityFilter(values.severity);
  const [{ builtinRules }, { loadInputs }, { DEFAULT_LIMITS }] = await Promise.all([import('../../rules/index.js'), import('../../input/files.js'), import('../../input/yaml.js')]);
  if (!cluster) shortRunCompiler();
  const vap = await readPolicyFiles(values);
  const rules = [...builtinRules, ...(vap?.set.rules ?? [])];
  const { config, only } = ruleSelection(values, rules, await loadCheckedConfig(values.config, values['no-config'], rules.map((r) => r.meta.id)));
  const failOn = parseFailOn(values['fail-on'], config.failOn ?? 'high');
  const settings: Record<string, unknown> = {};
  const vulnErrors: InputError[] = [];
  const vulnNotes: Skipped[] = [];
  let vulnImages: ImageVulns[] = [];
  if (values['one-cluster']) settings.oneCluster = true;
  if (values['pss-level'] || values['pss-version']) {
    settings.pss = pssSettingsWithFlags(config.settings.pss, { level: values['pss-level'], version: values['pss-version'] }).raw;
  }

  if (values['paths-baseline'] !== undefined) {
    const { readPathsBaseline } = await import('../paths-baseline.js');
    settings.pathsKnown = [...readPathsBaseline(values['paths-baseline'], '--paths-baseline')];
  }

  if (values.vulns?.length) {
    const { loadVulnReports } = await import('../../input/vulns.js');
    const vulns = loadVulnReports(values.vulns);
    vulnImages = vulns.images;
    settings.vulns = { images: vulns.images };
    vulnErrors.push(...vulns.errors);
    vulnNotes.push(...vulns.notes);
    // The cluster scan has no input-error channel for local files: a report that was not imported stops it (exit 2).
    if (cluster && vulnErrors.length) throw new UsageError(vulnErrors.map((e) => `${e.file}: ${e.message}`).join('; '));
  }

  if (cluster) {
    const { scanClusters } = await import('../cluster-scan.js');
    // The cluster's own VAPs are evaluated with the --policies files' (their rules replace the files').
    const prepare = (l: import('../cluster-options.js').ClusterLoad, s: Record<string, unknown>) => evaluateClusterPolicies(vap, values, l, s, rules);
    return scanClusters(values, { rules, config, settings, ...(only ? { only } : {}), format, reporter, output: values.output, failOn, severities, prepare, vulnImages, notes: vulnNotes });
  }

  progress('reading inputs…');
  // Per-object rules run as files are read where nothing else needs the values (not with --policies,
  // whose policies are judged against every object after reading, nor for a PolicyReport's passes).
  const early = vap || format === 'policyreport' ? undefined : await earlyRules({ rules, config, settings, ...(only ? { only } : {}) });
  let bytesRead = 0;
  // Bodies no rule reads (CRD schemas) are checked as they are read but not built.
  const limits = early?.skimKinds.size ? { ...DEFAULT_LIMITS, skim: early.skimKinds } : undefined;
  let load: Awaited<ReturnType<typeof loadInputs>>;
  try {
    load = await loadInputs(paths, limits, values['no-render'] ? false : renderOptions(values), undefined, (l) => {
      bytesRead += l.bytes;
      if (bytesRead > LARGE_INPUT_BYTES) largeInputRead();
      early?.take(l.resources);
    });
  } finally {
    oldGenerationGrowsAsV8();
  }
  load.errors.push(...vulnErrors);
  if (vulnImages.length) {
    const { unmatchedReportNotes } = await import('../../analyses/vulns/join.js');
    vulnNotes.push(...unmatchedReportNotes(vulnImages, load.resources));
  }
  load.skipped.push(...vulnNotes);
  progress(`checking ${load.resources.length} resources…`);
  const prepare = vap ? (l: typeof load, s: Record<string, unknown>) => evaluatePolicyFiles(vap, values, l, s) : undefined;
  const report = await scanLoaded(load, rules, { config, settings, noRbacDefaults: values['no-rbac-defaults'], recordPasses: format === 'policyreport', ...(only ? { only } : {}), ...(prepare ? { prepare } : {}), ...(early ? { early } : {}) });
  progressDone();
  return writeReport(withSeverities(report, severities), rules, { format, reporter, output: values.output, failOn });
}

/**
 * Bytes read from which the young generation grows again. Until then it keeps its starting size
 * (youngGenerationFixed, set at start): a scan's objects live until the report is written, so on a
 * small input a larger nursery only holds garbage (~20 MB less peak RSS at 1× the real-world corpus
 * for the same CPU). On a large input the small nursery scavenges every megabyte, copying the values
 * of the file being read each time and promoting short-lived objects, whose old-generation
 * collections then cost more, so V8's growth comes back past this many bytes (not after reading: at
 * 4× that lowered peak RSS by ~20 MB, at 16× CPU by ~10%; docs/performance.md). Past it the larger
 * nursery's ~20 MB is small beside the 3× input RSS allowance.
 */
const LARGE_INPUT_BYTES = 32 * 1024 * 1024;

let largeInput = false;
function largeInputRead(): void {
  if (largeInput) return;
  largeInput = true;
  youngGenerationGrows();
  oldGenerationGrowsAsV8();
}

/**
 * Fewer full collections on a small input. V8 runs its first full collection during start-up, with
 * ~15 MB live (the bundle's code and the rules), and sets the next at up to ~4x that; a scan's values
 * then live until the report is written, so each later collection marks nearly everything and frees
 * little (at 4x the real-world corpus three mark-compacts: at start-up, ~58 and ~108 MB; the last two
 * cost ~0.9 G instructions, 5.5% of the scan). While the input read is small the old generation may
 * grow by 11x between full collections instead: the limit set during start-up becomes ~165 MB, below
 * the peak RSS allowance of any input that reaches it (3x input + 100 MB). The wide growth ends when
 * LARGE_INPUT_BYTES have been read and when reading ends (or fails), so a larger input's later
 * collections, and the rules' and the report's, follow V8's own growth (docs/performance.md, "Old
 * generation"). Read by V8 each time it sets a limit; a cluster scan and a library caller's process
 * are not touched.
 */
function oldGenerationGrowsWide(): void {
  oldGenerationGrows(1000);
}

/**
 * Less optimising-compiler work. At 1x the real-world corpus ~40% of the scan's CPU ran on V8's
 * background threads, nearly all of it TurboFan compiling hot functions (up to five times each
 * after deoptimisations, the largest 100-200 ms per compile because of inlining), for no measurable
 * gain on the main thread. Without inlining, and with functions tiering up after ~3x as much
 * interpreted work, the process CPU falls by about 30% at 1x while the main thread's time does not
 * move; at 4x and 16x the background threads' CPU halves too and the main thread's stays within the
 * noise (docs/performance.md), so every file scan runs this way. The budget is V8 11.3's (Node 20)
 * only: its default is known there, and other versions keep theirs. A cluster scan (not measured)
 * and a library caller's process are not touched.
 */
function shortRunCompiler(): void {
  setFlagsFromString('--no-turbo-inlining');
  if (KNOWN_BUDGET) setFlagsFromString('--interrupt-budget=200000');
}

const KNOWN_BUDGET = process.versions.v8.startsWith('11.3.');

/** V8's own compiler settings again (also run by the build before it saves the code cache, whose key includes the flags). */
export function compilerDefaults(): void {
  setFlagsFromString('--turbo-inlining');
  if (KNOWN_BUDGET) setFlagsFromString('--interrupt-budget=67584');
}
