// `rampart pss` results: every pod and pod template evaluated as Pod Security Admission would,
// plus the migration suggestion. Pure: resources and settings in, plain data out.
import type { Resource } from '../../model/types.js';
import type { CheckLevel, Level, PodInput } from './types.js';
import { LATEST_MINOR } from './types.js';
import { aggregateDetail, evaluatePod, strictestLevel } from './evaluate.js';
import { podInputOf } from './resource.js';
import { exemptionFor, type PssSettings } from './settings.js';
import { namespacePolicy } from './namespace.js';
import { suggestNamespaces, type WorkloadLevel } from './suggest.js';
import { versionLabel } from './version.js';

export interface PssResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface PssViolationOut {
  check: string;
  /** Upstream wording: `forbiddenReason (forbiddenDetail)`. */
  reason: string;
  forbiddenReason: string;
  forbiddenDetail: string;
  level: CheckLevel;
  /** Offending fields (JSON Pointers into the document) with their line and column. */
  fields: { path: string; line: number; column: number; message: string }[];
}

export interface PssResult {
  resource: PssResourceRef;
  location: { file: string; line: number };
  allowed: boolean;
  /** With `fromNamespaces`: the level and version this pod was evaluated at, when they came from its Namespace. */
  policy?: { level: Level; version: string; source: string };
  /** Set when the pod is exempt (configured namespaces / runtime classes) and was not evaluated. */
  exempt?: string;
  /** The message the API server would return (Pod) or warn with (pod templates). */
  message?: string;
  violations: PssViolationOut[];
  /** Fields Kubernetes would refuse to decode: the pod could not be evaluated (fails the run). */
  notEvaluated?: { path: string; line: number; message: string }[];
}

export interface PssReport {
  level: CheckLevel;
  version: string;
  /** The policy version the checks ran at (`latest` resolves to the newest implemented). */
  evaluatedAs: string;
  results: PssResult[];
  summary: { pods: number; allowed: number; denied: number; exempt: number; notEvaluated: number };
}

function refOf(r: Resource): PssResourceRef {
  return { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace ?? '', name: r.name };
}

function locationOf(r: Resource, path = ''): { file: string; line: number; column: number } {
  const l = r.locator.locate(path);
  return { file: l.file, line: l.line, column: l.column };
}

export interface PssReportOptions {
  /**
   * Evaluate each pod at the enforce level and version of its Namespace's
   * pod-security.kubernetes.io labels when that Namespace is in the input (as PSA would on admission);
   * pods whose Namespace is not in the input use the settings' level and version.
   */
  fromNamespaces?: boolean;
  /** With `fromNamespaces`: the Namespaces to read labels from, when the resources are given in parts (default: those among the resources). */
  namespaces?: readonly Resource[];
}

export function pssReport(resources: readonly Resource[], settings: PssSettings, options: PssReportOptions = {}): PssReport {
  const summary = { pods: 0, allowed: 0, denied: 0, exempt: 0, notEvaluated: 0 };
  const results = [...pssResults(resources, settings, options, summary)];
  return { ...pssHeader(settings), results, summary };
}

/** The fields a report has before its results. */
export function pssHeader(settings: PssSettings): Pick<PssReport, 'level' | 'version' | 'evaluatedAs'> {
  return { level: settings.level, version: settings.version.label, evaluatedAs: versionLabel(settings.version.minor) };
}

/**
 * The report's results one at a time, counting them into `summary` as they are made, so a writer
 * can stream a report of 100k pods without holding every result (the summary is complete once the
 * results are consumed).
 */
export function* pssResults(resources: readonly Resource[], settings: PssSettings, options: PssReportOptions, summary: PssReport['summary']): Generator<PssResult> {
  const nsPolicies = new Map(options.fromNamespaces ? (options.namespaces ?? resources).filter((r) => r.kind === 'Namespace').map((r) => [r.name, namespacePolicy(r.labels)]) : []);
  for (const r of resources) {
    const input = podInputOf(r);
    if (!input) continue;
    summary.pods++;
    const loc = locationOf(r);
    const base: PssResult = { resource: refOf(r), location: { file: loc.file, line: loc.line }, allowed: true, violations: [] };
    const exempt = exemptionFor(settings.exemptions, r.namespace, input);
    if (exempt) {
      summary.exempt++;
      yield { ...base, exempt };
      continue;
    }
    const nsPolicy = r.namespace !== undefined ? nsPolicies.get(r.namespace) : undefined;
    const level: Level = nsPolicy ? nsPolicy.enforce.level : settings.level;
    const version = nsPolicy ? nsPolicy.enforce.version : settings.version;
    const lv = `${level}:${version.label}`;
    if (nsPolicy) base.policy = { level, version: version.label, source: `namespace ${r.namespace} labels` };
    const ev = evaluatePod(input, level, version.minor);
    // Several checks often point at the same field (a container without a securityContext): locate each once.
    const located = new Map<string, { line: number; column: number }>();
    const at = (path: string) => {
      let l = located.get(path);
      if (!l) located.set(path, (l = locationOf(r, path)));
      return l;
    };
    const violations = ev.violations.map(
      (v): PssViolationOut => ({
        check: v.check,
        reason: v.forbiddenDetail ? `${v.forbiddenReason} (${v.forbiddenDetail})` : v.forbiddenReason,
        forbiddenReason: v.forbiddenReason,
        forbiddenDetail: v.forbiddenDetail,
        level: v.level,
        fields: v.offences.map((o) => {
          const l = at(o.path);
          return { path: r.basePath + o.path, line: l.line, column: l.column, message: o.message };
        }),
      }),
    );
    const res: PssResult = { ...base, allowed: ev.allowed, violations };
    if (violations.length) {
      const verb = r.kind === 'Pod' ? 'violates' : 'would violate';
      res.message = `${verb} PodSecurity ${JSON.stringify(lv)}: ${aggregateDetail(ev.violations)}`;
    }
    if (!ev.evaluated) {
      const seen = new Set<string>();
      res.notEvaluated = ev.malformed.filter((m) => (seen.has(m.path) ? false : (seen.add(m.path), true))).map((m) => ({ path: r.basePath + m.path, line: at(m.path).line, message: m.message }));
      summary.notEvaluated++;
    } else if (ev.allowed) summary.allowed++;
    else summary.denied++;
    yield res;
  }
}

export interface SuggestWorkload {
  resource: PssResourceRef;
  location: { file: string; line: number };
  /** Strictest level the workload satisfies today at the version. */
  strictest: Level;
  evaluated: boolean;
  exempt?: string;
}

export interface SuggestNamespace {
  namespace: string;
  /** Strongest enforce level that admits every workload in the namespace today. */
  enforce: Level;
  labels: Record<string, string>;
  workloads: number;
  limitedBy: Record<Level, number>;
  notEvaluated: number;
  /** Current labels, when the Namespace object is in the input. */
  current?: { enforce?: string; enforceVersion?: string };
  /** Whether the current enforce level (if any) would deny some workload. */
  currentDenies?: boolean;
}

export interface SuggestReport {
  version: string;
  workloads: SuggestWorkload[];
  namespaces: SuggestNamespace[];
  summary: { workloads: number; restricted: number; baseline: number; privileged: number; notEvaluated: number; exempt: number };
}

/** What the namespace suggestions need from the workloads, gathered as they are evaluated (compact: no pod values). */
export interface SuggestAccumulator {
  levels: WorkloadLevel[];
  /** Namespace objects by name (the last of a name wins, as when all are read at once). */
  nsObjects: Map<string, Resource>;
  /** Per namespace with an enforce label: whether its current enforce level denies some workload. */
  currentDenies: Map<string, boolean>;
  summary: SuggestReport['summary'];
}

/** An accumulator that takes its Namespaces from `namespaces` (all of the input's, read before the workloads). */
export function suggestAccumulator(namespaces: readonly Resource[]): SuggestAccumulator {
  return {
    levels: [],
    nsObjects: new Map(namespaces.filter((r) => r.kind === 'Namespace').map((r) => [r.name, r])),
    currentDenies: new Map(),
    summary: { workloads: 0, restricted: 0, baseline: 0, privileged: 0, notEvaluated: 0, exempt: 0 },
  };
}

/** The workloads of `resources` one at a time, each counted into `acc` for the namespace suggestions. */
export function* suggestWorkloads(resources: readonly Resource[], settings: PssSettings, acc: SuggestAccumulator): Generator<SuggestWorkload> {
  const minor = settings.version.minor;
  const summary = acc.summary;
  for (const r of resources) {
    const input = podInputOf(r);
    if (!input) continue;
    summary.workloads++;
    const loc = locationOf(r);
    const exempt = exemptionFor(settings.exemptions, r.namespace, input);
    if (exempt) {
      summary.exempt++;
      yield { resource: refOf(r), location: { file: loc.file, line: loc.line }, strictest: 'privileged', evaluated: true, exempt };
      continue;
    }
    const s = strictestLevel(input, minor);
    summary[s.level]++;
    if (!s.evaluated) summary.notEvaluated++;
    const namespace = r.namespace ?? '';
    acc.levels.push({ namespace, level: s.level, evaluated: s.evaluated });
    const ns = acc.nsObjects.get(namespace);
    if (ns && !acc.currentDenies.get(namespace)) {
      const p = namespacePolicy(ns.labels);
      // Evaluated at the namespace's own level and version, as PSA would on the next deploy.
      if (p.enforce.levelSet) acc.currentDenies.set(namespace, !evaluatePod(input, p.enforce.level, p.enforce.version.minor).allowed);
    }
    yield { resource: refOf(r), location: { file: loc.file, line: loc.line }, strictest: s.level, evaluated: s.evaluated };
  }
}

/** The per-namespace suggestions, once every workload went through `suggestWorkloads`. */
export function suggestNamespacesOf(acc: SuggestAccumulator, settings: PssSettings): SuggestNamespace[] {
  const pinned = versionLabel(Math.min(settings.version.minor, LATEST_MINOR));
  return suggestNamespaces(acc.levels, [...acc.nsObjects.keys()].filter((n) => !settings.exemptions.namespaces.includes(n))).map((s): SuggestNamespace => {
    const out: SuggestNamespace = {
      namespace: s.namespace,
      enforce: s.enforce,
      labels: { 'pod-security.kubernetes.io/enforce': s.enforce, 'pod-security.kubernetes.io/enforce-version': pinned },
      workloads: s.workloads,
      limitedBy: s.limitedBy,
      notEvaluated: s.notEvaluated,
    };
    const ns = acc.nsObjects.get(s.namespace);
    if (ns) {
      const cur: { enforce?: string; enforceVersion?: string } = {};
      const e = ns.labels['pod-security.kubernetes.io/enforce'];
      const v = ns.labels['pod-security.kubernetes.io/enforce-version'];
      if (e !== undefined) cur.enforce = e;
      if (v !== undefined) cur.enforceVersion = v;
      out.current = cur;
      if (namespacePolicy(ns.labels).enforce.levelSet) out.currentDenies = acc.currentDenies.get(s.namespace) ?? false;
    }
    return out;
  });
}

export function suggestReport(resources: readonly Resource[], settings: PssSettings): SuggestReport {
  const acc = suggestAccumulator(resources);
  const workloads = [...suggestWorkloads(resources, settings, acc)];
  return { version: settings.version.label, workloads, namespaces: suggestNamespacesOf(acc, settings), summary: acc.summary };
}
