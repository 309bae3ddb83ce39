// `scan --cluster`: one report per cluster through the same engine and reporters, a roll-up for
// fleets, and --apply-reports (PolicyReports written back into each cluster).
import path from 'node:path';
import type { AnyRule, RuleMeta } from '../engine/rule.js';
import type { ScanReport } from '../engine/finding.js';
import type { Config } from '../engine/config.js';
import type { Reporter } from '../reports/types.js';
import type { Severity, Skipped } from '../model/types.js';
import { unmatchedReportNotes } from '../analyses/vulns/join.js';
import type { ImageVulns } from '../analyses/vulns/formats.js';
import { exitCodeFor, runEngine } from '../engine/run.js';
import { rbacScanSettings } from '../input/rbac-defaults.js';
import { policyReportDocuments } from '../reports/policyreport.js';
import { ApiError, CredentialError, KubeClient } from '../input/cluster/index.js';
import { applyPolicyReports } from '../input/cluster/apply-reports.js';
import { VAP_KINDS } from '../input/cluster/discovery.js';
import { emit, UsageError } from './common.js';
import { withSeverities, writeReport } from './scan-options.js';
import { forEachCluster, type ClusterFlags, type ClusterLoad } from './cluster-options.js';

export interface ClusterScanOptions {
  rules: AnyRule[];
  config: Config;
  settings: Record<string, unknown>;
  only?: (id: string) => boolean;
  format: string;
  reporter: Reporter;
  output: string | undefined;
  failOn: Severity | 'never';
  /** --severity filter, applied to each cluster's report as to a file scan's. */
  severities?: Set<Severity> | undefined;
  /**
   * Work on each cluster's objects before the engine runs (its own and the `--policies` VAPs are
   * evaluated there); errors go into the load. It may return the rules for this cluster instead of
   * `rules` (plus one rule per policy the cluster holds).
   */
  prepare?: (load: ClusterLoad, settings: Record<string, unknown>) => Promise<AnyRule[] | void>;
  /** `--vulns` reports: joined by the rules; those no workload of a cluster runs are noted in its report. */
  vulnImages?: ImageVulns[];
  /** Notes from reading the `--vulns` reports (resources Trivy could not scan), added to every report. */
  notes?: Skipped[];
}

/** Output file of one cluster in a fleet: `report.json` → `report.<context>.json`. */
export function fleetOutput(output: string, context: string): string {
  const ext = path.extname(output);
  return `${output.slice(0, output.length - ext.length)}.${context.replace(/[^A-Za-z0-9._-]/g, '_')}${ext}`;
}

/** `scan --cluster`: one report per cluster through the same engine and reporters; exit = the worst. */
export async function scanClusters(values: ClusterFlags, o: ClusterScanOptions): Promise<number> {
  // A live cluster has its own bootstrap roles: the bundled defaults are not added.
  const rbac = await rbacScanSettings(o.config.settings.rbac, true);
  const rulesOf = new Map<ScanReport, AnyRule[]>();
  const reports = await forEachCluster(values, o.rules, async (l) => {
    const settings = { ...o.settings, rbac: rbac.settings };
    const rules = (o.prepare ? await o.prepare(l, settings) : undefined) ?? o.rules;
    if (o.notes?.length) l.skipped.push(...o.notes);
    if (o.vulnImages?.length) l.skipped.push(...unmatchedReportNotes(o.vulnImages, l.resources));
    // PolicyReports (printed or applied) list passes too.
    const recordPasses = o.format === 'policyreport' || values['apply-reports'] === true;
    const report = runEngine(l, { rules, config: o.config, settings, recordPasses, ...(o.only ? { only: o.only } : {}) });
    report.cluster = l.info;
    if (values['apply-reports'] && l.info.coverage.length) await applyReports(l, report, rules);
    const out = withSeverities(report, o.severities);
    rulesOf.set(out, rules);
    return out;
  }, VAP_KINDS);
  const write = (r: ScanReport, w: Parameters<typeof writeReport>[2]) => writeReport(r, rulesOf.get(r) ?? o.rules, w);
  if (reports.length === 1) return write(reports[0]!, o);
  if (!o.output && o.format !== 'text' && o.format !== 'json') throw new UsageError(`several clusters with -o ${o.format}: give --output FILE (one file per cluster is written)`);
  let code = 0;
  const worst = (c: number) => (code = Math.max(code, c));
  if (o.output) {
    for (const r of reports) worst(write(r, { ...o, output: fleetOutput(o.output, r.cluster!.context) }));
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
    worst(write(r, o));
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
