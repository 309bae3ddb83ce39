// Flags shared by the commands that read a live cluster (`scan`, `pss`, `rbac`, `netpol`), and the
// few steps they share: pick the clusters, read them (bounded concurrency for fleets), turn coverage
// gaps into named "not evaluated" entries, and write one report per cluster plus a roll-up.
import path from 'node:path';
import type { AnyRule, RuleMeta } from '../engine/rule.js';
import { policyReportDocuments } from '../reports/policyreport.js';
import { applyPolicyReports } from '../input/cluster/apply-reports.js';
import type { ClusterScanInfo, ScanReport } from '../engine/finding.js';
import type { Skipped } from '../model/types.js';
import type { Config } from '../engine/config.js';
import type { Reporter } from '../reports/types.js';
import type { Severity } from '../model/types.js';
import { exitCodeFor, runEngine } from '../engine/run.js';
import { rbacScanSettings } from '../input/rbac-defaults.js';
import { WORKLOAD_KINDS } from '../model/workloads.js';
import { ApiError, CredentialError, KubeClient, KubeconfigError, readCluster, resolveTargets, type ClusterInput, type ClusterTarget } from '../input/cluster/index.js';
import { emit, progress, progressDone, UsageError } from './common.js';
import { loadInputs, type LoadResult } from '../input/files.js';
import { writeReport } from './scan-options.js';

/** Which cluster and how strictly: for commands whose -n means something of their own (rbac, netpol). */
export const CLUSTER_SOURCE_OPTIONS = {
  cluster: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'all-contexts': { type: 'boolean' },
  'allow-partial': { type: 'boolean' },
  'no-kubelet-config': { type: 'boolean' },
  'skip-kind': { type: 'string', multiple: true },
} as const;

export const CLUSTER_OPTIONS = {
  ...CLUSTER_SOURCE_OPTIONS,
  namespace: { type: 'string', short: 'n' },
} as const;

/** `scan --cluster` only: write the results back as PolicyReports. */
export const CLUSTER_SCAN_OPTIONS = {
  ...CLUSTER_OPTIONS,
  'apply-reports': { type: 'boolean' },
} as const;

export const CLUSTER_USAGE = `      --cluster         read the live cluster of the current kubeconfig context (in a pod: its service account)
      --kubeconfig FILE kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
      --context A[,B]   context(s) to read (repeatable or comma-separated; implies --cluster)
      --all-contexts    read every context of the kubeconfig (one report per cluster plus a roll-up)
  -n, --namespace NS    with --cluster: read namespaced kinds in NS only
      --allow-partial   kinds that could not be fully read (forbidden, failed) do not fail the run;
                        they are still named in the report
      --no-kubelet-config  do not ask each node's kubelet for its configuration (nodes/proxy)
      --skip-kind KIND  do not read KIND (repeatable, e.g. Secret when the role may not list them);
                        named in the report as not requested, the rules that read it not evaluated`;

export const CLUSTER_SCAN_USAGE = `${CLUSTER_USAGE}
      --apply-reports   write the results into each cluster as wgpolicyk8s.io/v1alpha2 PolicyReports
                        (one per namespace) and a ClusterPolicyReport, by server-side apply; reports
                        from earlier runs that no longer apply are deleted`;

export interface ClusterFlags {
  cluster?: boolean | undefined;
  kubeconfig?: string | undefined;
  context?: string[] | undefined;
  'all-contexts'?: boolean | undefined;
  /** Only a string limits what is read (netpol's repeatable -n filters its output instead). */
  namespace?: string | string[] | undefined;
  'allow-partial'?: boolean | undefined;
  'no-kubelet-config'?: boolean | undefined;
  'skip-kind'?: string[] | undefined;
  'apply-reports'?: boolean | undefined;
}

/** True when run as `kubectl rampart …` (kubectl runs the `kubectl-rampart` binary on PATH). */
export function invokedAsKubectlPlugin(argv1: string | undefined = process.argv[1]): boolean {
  return Boolean(argv1 && path.basename(argv1).startsWith('kubectl-rampart'));
}

/** Whether the command reads a live cluster: --cluster, a cluster flag, or the kubectl plugin with no paths. */
export function wantsCluster(values: ClusterFlags, positionals: string[]): boolean {
  if (values.cluster || values.kubeconfig || values.context?.length || values['all-contexts']) {
    if (positionals.length) throw new UsageError('give either paths or --cluster, not both');
    return true;
  }
  return invokedAsKubectlPlugin() && positionals.length === 0;
}

export interface ClusterLoad extends ClusterInput {
  info: ClusterScanInfo;
  target: ClusterTarget;
}

const FLEET_CONCURRENCY = 3;

function targetsOf(values: ClusterFlags): ClusterTarget[] {
  const contexts = (values.context ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  try {
    return resolveTargets({ ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), contexts, allContexts: Boolean(values['all-contexts']) });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** Reads one cluster; a cluster that cannot be reached is an error in its report, never a crash. */
async function loadOne(target: ClusterTarget, values: ClusterFlags, rules: readonly AnyRule[]): Promise<ClusterLoad> {
  const allowPartial = Boolean(values['allow-partial']);
  const info: ClusterScanInfo = { context: target.context, server: target.server, allowPartial, coverage: [] };
  const namespace = typeof values.namespace === 'string' ? values.namespace : undefined;
  if (namespace) info.namespace = namespace;
  let client: KubeClient | undefined;
  try {
    client = new KubeClient(target);
    const input = await readCluster(client, {
      ...(namespace ? { namespace } : {}),
      kubeletConfig: !values['no-kubelet-config'],
      skipKinds: (values['skip-kind'] ?? []).flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean),
      onProgress: progress,
    });
    info.coverage = input.coverage;
    input.skipped = input.skipped.map((s) => nameRules(s, rules, allowPartial));
    return { ...input, info, target };
  } catch (e) {
    if (!(e instanceof ApiError || e instanceof CredentialError)) throw e;
    const file = `cluster://${encodeURIComponent(target.context)}`;
    return { context: target.context, server: target.server, resources: [], skipped: [], coverage: [], files: 0, errors: [{ file, message: `cluster not read: ${e.message}` }], info, target };
  } finally {
    client?.close();
  }
}

/** Reads the selected clusters, at most FLEET_CONCURRENCY at once, in the order given. */
export async function loadClusters(values: ClusterFlags, rules: readonly AnyRule[]): Promise<ClusterLoad[]> {
  const targets = targetsOf(values);
  const out: ClusterLoad[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await loadOne(targets[i]!, values, rules);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FLEET_CONCURRENCY, targets.length) }, worker));
  progressDone();
  return out;
}

/** One cluster for commands that take one (pss, rbac, netpol): its resources, errors and skipped. */
export async function loadSingleCluster(values: ClusterFlags, rules: readonly AnyRule[]): Promise<ClusterLoad> {
  if (values['all-contexts'] || (values.context ?? []).join(',').includes(',')) throw new UsageError('this command reads one cluster at a time: give one --context');
  return (await loadClusters(values, rules))[0]!;
}

/** The inputs of a command that takes paths or a cluster: the cluster when asked for (or as the kubectl plugin). */
export async function loadPathsOrCluster(values: ClusterFlags, paths: string[], rules: readonly AnyRule[]): Promise<LoadResult & { cluster?: ClusterScanInfo }> {
  if (!wantsCluster(values, paths)) return loadInputs(paths);
  const l = await loadSingleCluster(values, rules);
  return { resources: l.resources, errors: l.errors, skipped: l.skipped, files: 0, bytes: 0, cluster: l.info };
}

/** "Secret … forbidden" becomes "… forbidden; not evaluated: rules a, b, c"; a gap fails closed unless partial is allowed. */
function nameRules(s: Skipped, rules: readonly AnyRule[], allowPartial: boolean): Skipped {
  const kind = s.reason.split(' ')[0] ?? '';
  const readers = rules
    .filter((r) => r.meta.kinds?.includes(kind) || (r.meta.kinds === WORKLOAD_KINDS && WORKLOAD_KINDS.includes(kind)))
    .map((r) => r.meta.id);
  const named = readers.length ? `; not evaluated: ${readers.slice(0, 6).join(', ')}${readers.length > 6 ? ` and ${readers.length - 6} more rules` : ''}` : `; rules that read ${kind} were not evaluated`;
  const accepted = s.failsClosed && allowPartial;
  return { ...s, reason: s.reason + named, failsClosed: s.failsClosed && !allowPartial, ...(accepted ? { hint: 'accepted with --allow-partial' } : {}) };
}

export interface ClusterScanOptions {
  rules: AnyRule[];
  config: Config;
  settings: Record<string, unknown>;
  only?: (id: string) => boolean;
  format: string;
  reporter: Reporter;
  output: string | undefined;
  failOn: Severity | 'never';
}

/** Output file of one cluster in a fleet: `report.json` → `report.<context>.json`. */
export function fleetOutput(output: string, context: string): string {
  const ext = path.extname(output);
  return `${output.slice(0, output.length - ext.length)}.${context.replace(/[^A-Za-z0-9._-]/g, '_')}${ext}`;
}

/** `scan --cluster`: one report per cluster through the same engine and reporters; exit = the worst. */
export async function scanClusters(values: ClusterFlags, o: ClusterScanOptions): Promise<number> {
  const loads = await loadClusters(values, o.rules);
  const reports: ScanReport[] = [];
  for (const l of loads) {
    // A live cluster has its own bootstrap roles: the bundled defaults are not added.
    const rbac = await rbacScanSettings(o.config.settings.rbac, true);
    const report = runEngine(l, { rules: o.rules, config: o.config, settings: { ...o.settings, rbac: rbac.settings }, ...(o.only ? { only: o.only } : {}) });
    report.cluster = l.info;
    if (values['apply-reports'] && l.info.coverage.length) await applyReports(l, report, o.rules);
    reports.push(report);
  }
  if (reports.length === 1) return writeReport(reports[0]!, o.rules, o);
  if (!o.output && o.format !== 'text' && o.format !== 'json') throw new UsageError(`several clusters with -o ${o.format}: give --output FILE (one file per cluster is written)`);
  let code = 0;
  const worst = (c: number) => (code = Math.max(code, c));
  if (o.output) {
    for (const r of reports) worst(writeReport(r, o.rules, { ...o, output: fleetOutput(o.output, r.cluster!.context) }));
    emit(rollupText(reports), undefined);
    return code;
  }
  if (o.format === 'json') {
    // One JSON document on stdout: every report and the roll-up.
    for (const r of reports) worst(exitCodeFor(r.summary, r.findings, o.failOn));
    emit(JSON.stringify({ clusters: reports, rollup: rollup(reports) }, null, 2) + '\n', undefined);
    return code;
  }
  for (const r of reports) {
    emit(`== ${r.cluster!.context} (${r.cluster!.server})\n`, undefined);
    worst(writeReport(r, o.rules, o));
    emit('\n', undefined);
  }
  emit(rollupText(reports), undefined);
  return code;
}

/** --apply-reports: a failure to write is an error of the run (exit 2), named in the report. */
async function applyReports(l: ClusterLoad, report: ScanReport, rules: readonly AnyRule[]): Promise<void> {
  const client = new KubeClient(l.target);
  try {
    const docs = policyReportDocuments(report, { rules: new Map<string, RuleMeta>(rules.map((r) => [r.meta.id, r.meta])), color: false });
    const res = await applyPolicyReports(client, docs, l.info.namespace);
    for (const message of res.errors) {
      report.errors.push({ file: `cluster://${encodeURIComponent(l.context)}`, message: `PolicyReports: ${message}` });
      report.summary.errors++;
      report.summary.notEvaluated++;
    }
    l.info.policyReports = { applied: res.applied, deleted: res.deleted };
  } catch (e) {
    if (!(e instanceof ApiError || e instanceof CredentialError)) throw e;
    report.errors.push({ file: `cluster://${encodeURIComponent(l.context)}`, message: `PolicyReports not written: ${e.message}` });
    report.summary.errors++;
    report.summary.notEvaluated++;
  } finally {
    client.close();
  }
}

export function rollup(reports: ScanReport[]) {
  return reports.map((r) => ({
    context: r.cluster?.context ?? '',
    resources: r.summary.resources,
    findings: r.summary.findings,
    bySeverity: r.summary.bySeverity,
    notEvaluated: r.summary.notEvaluated,
    kindsNotRead: (r.cluster?.coverage ?? []).filter((c) => c.status === 'forbidden' || c.status === 'failed').map((c) => c.kind),
  }));
}

function rollupText(reports: ScanReport[]): string {
  const rows = rollup(reports);
  const w = Math.max(7, ...rows.map((r) => r.context.length));
  const lines = [`${'CLUSTER'.padEnd(w)}  RESOURCES  FINDINGS  CRITICAL  HIGH  NOT-EVALUATED`];
  for (const r of rows) {
    lines.push(`${r.context.padEnd(w)}  ${String(r.resources).padStart(9)}  ${String(r.findings).padStart(8)}  ${String(r.bySeverity.critical).padStart(8)}  ${String(r.bySeverity.high).padStart(4)}  ${r.notEvaluated}${r.kindsNotRead.length ? ` (${r.kindsNotRead.join(', ')})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
