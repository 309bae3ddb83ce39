// The library API (`import { scanFiles } from 'rampart'`): the same engine, rules and reports as the
// CLI behind a few documented functions (docs/library.md). Anything not exported here is internal
// and may change between versions; the report shapes are those of docs/json-output.md.
import { stringify } from 'yaml';
import { builtinRules } from './rules/index.js';
import { emptyConfig, loadConfigFile, type Config } from './engine/config.js';
import { exitCodeFor } from './engine/run.js';
import { loadInputs, loadText, emptyLoad, mergeLoads, type LoadResult } from './input/files.js';
import { sourceReader } from './cli/source-reader.js';
import { ruleSelection, scanLoaded, withSeverities, renderOptions } from './cli/scan-options.js';
import { reporters } from './reports/index.js';
import { evaluatePod, type Evaluation } from './analyses/pss/evaluate.js';
import { podInputOf } from './analyses/pss/resource.js';
import { parseVersion } from './analyses/pss/version.js';
import type { ScanReport } from './engine/finding.js';
import type { InputError, Severity } from './model/types.js';
import type { Request } from './analyses/rbac/match.js';
import type { WhoCanSubject } from './analyses/rbac/authorizer.js';
import type { ReachAnswer } from './analyses/netpol/query.js';

export type { ScanReport, Finding, Summary, Suppression } from './engine/finding.js';
export type { Severity, ResourceRef, Location, InputError, Skipped } from './model/types.js';
export type { Evaluation, Violation } from './analyses/pss/evaluate.js';
export type { Request, ResourceRequest, NonResourceRequest } from './analyses/rbac/match.js';
export type { WhoCanSubject, Via } from './analyses/rbac/authorizer.js';
export type { ReachAnswer } from './analyses/netpol/query.js';
export { VERSION } from './version.js';

export interface ScanOptions {
  /** A `.rampart.yaml` to use. Unlike the CLI, none is discovered: without one, every rule runs with its defaults. */
  configFile?: string;
  /** Only these rule ids or globs (`--rule`). */
  rules?: string[];
  /** Leave out these rule ids or globs (`--skip-rule`). */
  skipRules?: string[];
  /** Keep only findings of these severities (`--severity`). */
  severities?: Severity[];
  /** Render Helm charts and Kustomize overlays found among the paths (default true; needs helm/kubectl). */
  render?: boolean;
  /** Helm values files and `--set` pairs for charts, as on the command line. */
  values?: string[];
  set?: string[];
  /** Leave out Kubernetes' built-in RBAC objects (`--no-rbac-defaults`). */
  noRbacDefaults?: boolean;
  /** Record each rule × resource that passed, so `formatReport(report, 'policyreport')` lists `pass` results (as `-o policyreport` does). */
  recordPasses?: boolean;
  /** Treat every path as one install (`--one-cluster`); by default unrelated roots are kept apart (docs/configuration.md). */
  oneCluster?: boolean;
}

/** The config a scan runs with and its rule filter, checked as the CLI checks them (unknown ids throw). */
function selection(opts: ScanOptions): { config: Config; only?: (id: string) => boolean } {
  const config = opts.configFile ? loadConfigFile(opts.configFile) : emptyConfig();
  return ruleSelection({ ...(opts.rules ? { rule: opts.rules } : {}), ...(opts.skipRules ? { 'skip-rule': opts.skipRules } : {}) }, builtinRules, config);
}

async function scanLoad(load: LoadResult, opts: ScanOptions): Promise<ScanReport> {
  const { config, only } = selection(opts);
  const report = await scanLoaded(load, builtinRules, { config, noRbacDefaults: opts.noRbacDefaults, recordPasses: opts.recordPasses === true, ...(opts.oneCluster ? { settings: { oneCluster: true } } : {}), ...(only ? { only } : {}) });
  return withSeverities(report, opts.severities ? new Set(opts.severities) : undefined);
}

/**
 * Scans files and directories (manifests, Helm charts, Kustomize overlays) exactly as
 * `rampart scan PATH... --no-config` does, and returns the report `-o json` prints.
 * Inputs that cannot be read are in `report.errors` and `summary.notEvaluated`; nothing throws for them.
 */
export async function scanFiles(paths: string[], opts: ScanOptions = {}): Promise<ScanReport> {
  const render = opts.render === false ? false : renderOptions({ ...(opts.values ? { values: opts.values } : {}), ...(opts.set ? { set: opts.set } : {}) });
  return scanLoad(await loadInputs(paths, undefined, render), opts);
}

/**
 * Scans Kubernetes objects already in memory (parsed YAML/JSON, or a YAML text). Findings point at
 * lines of the YAML the objects are written as, under the name `source` (default `<objects>`).
 */
export async function scanObjects(objects: unknown[] | string, opts: ScanOptions & { source?: string } = {}): Promise<ScanReport> {
  const text = typeof objects === 'string' ? objects : objects.map((o) => stringify(o)).join('---\n');
  const load = mergeLoads(emptyLoad(), loadText(text, opts.source ?? '<objects>'));
  load.files = 1;
  return scanLoad(load, opts);
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'html' | 'policyreport';

/** A report in one of the CLI's output formats (`-o FORMAT`), without colour. */
export function formatReport(report: ScanReport, format: ReportFormat): string {
  const reporter = reporters[format];
  if (!reporter) throw new Error(`unknown format "${format}": use ${Object.keys(reporters).join(', ')}`);
  const rules = new Map(builtinRules.map((r) => [r.meta.id, r.meta]));
  return reporter(report, { rules, color: false, srcRoot: process.cwd(), ...(format === 'html' ? { source: sourceReader() } : {}) });
}

/** The CLI's exit code for a report: 2 when something was not evaluated, 1 when a finding is at or above `failOn`, else 0. */
export function exitCode(report: ScanReport, failOn: Severity | 'never' = 'high'): number {
  return exitCodeFor(report.summary, report.findings, failOn);
}

/**
 * Pod Security Standards: evaluates one Pod, or any workload with a pod template, exactly as Pod
 * Security Admission does at `level` and `version` ('latest' or 'v1.N'). Throws for an object
 * without pods or a version that is not one.
 */
export function evaluatePodSecurity(object: unknown, level: 'baseline' | 'restricted' = 'restricted', version = 'latest'): Evaluation {
  const v = parseVersion(version);
  if (!v) throw new Error(`invalid PSS version "${version}": use latest or v1.N`);
  const r = loadText(stringify(object), '<object>');
  const resource = r.resources[0];
  if (r.errors.length || !resource) throw new Error(`cannot read the object: ${r.errors[0]?.message ?? 'not a Kubernetes object'}`);
  const pod = podInputOf(resource);
  if (!pod) throw new Error(`${resource.kind} has no pod template: Pod Security Standards apply to pods and workloads`);
  return evaluatePod(pod, level, v.minor);
}

/**
 * RBAC: who can do `request` according to the Roles and bindings in `paths` (plus Kubernetes'
 * built-in ones unless `noDefaults`), as `rampart rbac who-can -o json` answers it.
 */
export async function whoCan(paths: string[], request: Request, opts: { allNamespaces?: boolean; noDefaults?: boolean } = {}): Promise<{ subjects: WhoCanSubject[]; errors: InputError[] }> {
  const { loadPolicy } = await import('./cli/commands/rbac.js');
  const { index, errors } = await loadPolicy(paths, opts.noDefaults);
  return { subjects: index.whoCan(request, { allNamespaces: !!opts.allNamespaces }), errors };
}

/**
 * NetworkPolicy: can `from` open a connection to `to` (`NS/NAME`, `NS/label=value` or a CIDR) on
 * `port` (`PORT/PROTO`), according to the manifests in `paths`; as `rampart netpol reach -o json`.
 */
export async function reach(paths: string[], from: string, to: string, port?: string): Promise<ReachAnswer & { errors: InputError[] }> {
  const { load } = await import('./cli/commands/netpol.js');
  const { reach: ask } = await import('./analyses/netpol/query.js');
  const { engine, errors } = await load(paths);
  return { ...ask(engine, from, to, port), errors };
}
