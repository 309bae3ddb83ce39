// Kubernetes Policy WG reports (wgpolicyk8s.io/v1alpha2): one PolicyReport per namespace and one
// ClusterPolicyReport for cluster-scoped objects, config findings and inputs that were not evaluated.
// Output is multi-document YAML that `kubectl apply -f -` accepts (the CRDs must be installed).
// When the run recorded passes (`recordPasses`), each rule × resource evaluated without a finding is
// a `pass` result, as Kyverno writes them; they are generated while writing, never all held at once.
import { stringify } from 'yaml';
import type { Resource } from '../model/types.js';
import { refOf } from '../model/types.js';
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';
import { metaFor, notEvaluated, perKey } from './common.js';

export const POLICY_REPORT_API = 'wgpolicyk8s.io/v1alpha2';

/** Built-in kinds that are not namespaced (objects of these kinds go to the ClusterPolicyReport). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'PodSecurityPolicy', 'CertificateSigningRequest',
  'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'ClusterIssuer', 'ClusterPolicy', 'ClusterPolicyReport',
  'GatewayClass', 'Config',
]);

type Result = Record<string, unknown>;

interface Bucket {
  namespace?: string;
  results: Result[];
  /** Resources whose passes go in this report (when passes were recorded). */
  passed: Resource[];
}

function category(ruleId: string): string {
  return ruleId.split('/')[0] ?? 'rampart';
}

/** A rule's `cis:` and `mitre:` references joined (made once per rule for one report: see perKey). */
function referencesText(m: RuleMeta): string {
  return [...(m.references.cis ?? []).map((x) => `cis:${x}`), ...(m.references.mitre ?? []).map((x) => `mitre:${x}`)].join(',');
}

function findingResult(f: Finding, ctx: Parameters<Reporter>[1], namespace: string | undefined, referencesOf: (m: RuleMeta) => string): Result {
  const m = metaFor(ctx, f);
  const properties: Record<string, string> = {
    file: f.location.file,
    line: String(f.location.line),
    column: String(f.location.column),
    path: f.location.path,
    remediation: m.remediation,
  };
  if (f.suppressed && f.suppression) properties.suppressed = `${f.suppression.kind}: ${f.suppression.reason}`;
  const refs = referencesOf(m);
  if (refs) properties.references = refs;
  const resource: Record<string, string> = { apiVersion: f.resource.apiVersion, kind: f.resource.kind, name: f.resource.name };
  if (namespace) resource.namespace = namespace;
  // Config findings are about the config file, not a Kubernetes object: no resource reference.
  const isConfig = f.resource.apiVersion === 'rampart.dev/v1';
  return {
    source: 'rampart',
    policy: f.ruleId,
    category: category(f.ruleId),
    severity: f.severity,
    // A suppressed finding is an accepted risk: reported, but not a failure.
    result: f.suppressed ? 'skip' : 'fail',
    scored: true,
    message: f.message,
    ...(isConfig ? {} : { resources: [resource] }),
    properties,
  };
}

function passResult(ruleId: string, r: Resource, ctx: Parameters<Reporter>[1], namespace: string | undefined): Result {
  const ref = refOf(r);
  const resource: Record<string, string> = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
  if (namespace) resource.namespace = namespace;
  const m = ctx.rules.get(ruleId);
  return {
    source: 'rampart',
    policy: ruleId,
    category: category(ruleId),
    ...(m ? { severity: m.severity } : {}),
    result: 'pass',
    scored: true,
    message: `${m?.title ?? ruleId}: passed`,
    resources: [resource],
  };
}

function summaryOf(b: Bucket, report: Parameters<Reporter>[0]) {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of b.results) s[r.result as keyof typeof s]++;
  if (report.passes) for (const r of b.passed) s.pass += report.passes.passesOf(r).length;
  return s;
}

/** Namespace whose report carries findings and passes about this kind (undefined: the cluster report). */
function namespaceFor(kind: string, apiVersion: string, namespace: string | undefined): string | undefined {
  if (CLUSTER_SCOPED.has(kind) || apiVersion === 'rampart.dev/v1') return undefined;
  // Namespaced objects without metadata.namespace land where `kubectl apply` would put them by default.
  return namespace ?? 'default';
}

/** DNS-1123 name for a report. */
function reportName(ns: string | undefined): string {
  const base = ns ? `rampart-${ns}` : 'rampart-cluster';
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
}

function buckets(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  const bucket = (ns: string | undefined) => {
    const key = ns ?? '';
    let b = buckets.get(key);
    if (!b) {
      b = ns === undefined ? { results: [], passed: [] } : { namespace: ns, results: [], passed: [] };
      buckets.set(key, b);
    }
    return b;
  };
  bucket(undefined); // always emit the cluster report: it carries the run's completeness
  const referencesOf = perKey(referencesText);
  for (const f of report.findings) {
    const ns = namespaceFor(f.resource.kind, f.resource.apiVersion, f.resource.namespace);
    bucket(ns).results.push(findingResult(f, ctx, ns, referencesOf));
  }
  if (report.passes) {
    for (const r of report.passes.targets) bucket(namespaceFor(r.kind, r.apiVersion, r.namespace)).passed.push(r);
  }
  for (const n of notEvaluated(report)) {
    bucket(undefined).results.push({
      source: 'rampart',
      policy: n.kind === 'error' ? 'rampart/input-error' : 'rampart/not-evaluated',
      category: 'input',
      result: 'error',
      scored: false,
      message: `not evaluated: ${n.message}`,
      properties: { file: n.file, ...(n.line ? { line: String(n.line) } : {}) },
    });
  }
  return [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, b]) => b);
}

function header(b: Bucket, report: Parameters<Reporter>[0]): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: reportName(b.namespace) };
  if (b.namespace) metadata.namespace = b.namespace;
  metadata.labels = { 'app.kubernetes.io/managed-by': 'rampart', 'app.kubernetes.io/version': report.tool.version };
  return { apiVersion: POLICY_REPORT_API, kind: b.namespace ? 'PolicyReport' : 'ClusterPolicyReport', metadata, summary: summaryOf(b, report) };
}

/** Every result of one report: findings and errors first, then passes in input order. */
function* resultsOf(b: Bucket, report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<Result> {
  yield* b.results;
  if (!report.passes) return;
  for (const r of b.passed) for (const id of report.passes.passesOf(r)) yield passResult(id, r, ctx, b.namespace);
}

/** The PolicyReport objects (one per namespace with results, plus the ClusterPolicyReport), as data. */
export function policyReportDocuments(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Record<string, unknown>[] {
  return buckets(report, ctx).map((b) => ({ ...header(b, report), results: [...resultsOf(b, report, ctx)] }));
}

const YAML_OPTIONS = { lineWidth: 0 };

/** Words YAML 1.1 or 1.2 would read as something other than a string. */
const NOT_PLAIN = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/**
 * Scalars written before: short ones (rule ids, categories, kinds, names repeat in every result), and
 * longer ones the caller knows repeat (a rule's remediation and references, a file name). Bounded.
 */
const knownScalars = new Map<string, string>();

/** A string scalar: plain when it is unambiguous, else double-quoted (a JSON string is valid YAML). */
function scalar(s: string, repeats = false): string {
  const short = repeats || s.length <= 64;
  const known = short ? knownScalars.get(s) : undefined;
  if (known !== undefined) return known;
  const plain = /^[A-Za-z_/](?:[A-Za-z0-9_ ./()=,+"':;~-]*[A-Za-z0-9_./()=,+"';~-])?$/.test(s) && !/: | #/.test(s) && !NOT_PLAIN.test(s);
  const out = plain ? s : JSON.stringify(s);
  if (short) {
    if (knownScalars.size >= 4096) knownScalars.clear();
    knownScalars.set(s, out);
  }
  return out;
}

/**
 * A result as an item of the `results` sequence. Results are flat maps of strings and booleans
 * with a list of resource maps, written directly: the YAML library costs 0.3 ms an item, and a
 * large cluster has a million results. A test reads the output back and compares.
 */
function resultItem(r: Result): string {
  let out = '';
  let first = true;
  // Plain loops over keys: an entries array and a joined map per result cost a third of the writing.
  for (const k of Object.keys(r)) {
    const v = r[k];
    const lead = first ? '  - ' : '    ';
    first = false;
    if (typeof v === 'string') out += `${lead}${k}: ${scalar(v)}\n`;
    else if (typeof v === 'boolean' || typeof v === 'number') out += `${lead}${k}: ${v}\n`;
    else if (Array.isArray(v)) {
      out += `${lead}${k}:\n`;
      for (const item of v as Record<string, string>[]) {
        let i = 0;
        for (const ik of Object.keys(item)) out += `${i++ === 0 ? '      - ' : '        '}${ik}: ${scalar(item[ik]!)}\n`;
      }
    } else {
      const map = v as Record<string, string>;
      const keys = Object.keys(map);
      if (!keys.length) out += `${lead}${k}: {}\n`;
      else {
        out += `${lead}${k}:\n`;
        for (const ik of keys) out += `      ${scalar(ik)}: ${scalar(map[ik]!, REPEATING_PROPERTIES.has(ik))}\n`;
      }
    }
  }
  return out;
}

/** Result properties whose values repeat from result to result however long they are (see scalar). */
const REPEATING_PROPERTIES = new Set(['remediation', 'references', 'file']);

/** Pass results: the rule's part rendered once, the resource's fields written per pass. */
class PassWriter {
  private heads = new Map<string, string>();
  /** The resource written last and its lines (a resource's passes are written one after another). */
  private last: Resource | undefined;
  private lastNamespace: string | undefined;
  private lastLines = '';
  constructor(private readonly ctx: Parameters<Reporter>[1]) {}

  text(ruleId: string, r: Resource, namespace: string | undefined): string {
    let head = this.heads.get(ruleId);
    if (head === undefined) {
      const { resources: _r, ...rest } = passResult(ruleId, r, this.ctx, namespace);
      head = resultItem(rest);
      this.heads.set(ruleId, head);
    }
    if (r !== this.last || namespace !== this.lastNamespace) {
      const ns = namespace ? `        namespace: ${scalar(namespace)}\n` : '';
      this.lastLines = `    resources:\n      - apiVersion: ${scalar(r.apiVersion)}\n        kind: ${scalar(r.kind)}\n        name: ${scalar(r.name)}\n${ns}`;
      this.last = r;
      this.lastNamespace = namespace;
    }
    return head + this.lastLines;
  }
}

/**
 * The documents as YAML, written result by result: a PolicyReport with millions of passes never
 * exists as one object or one string. Parsed, it equals `policyReportDocuments`.
 */
function* pieces(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<string> {
  const passes = new PassWriter(ctx);
  for (const [i, b] of buckets(report, ctx).entries()) {
    if (i > 0) yield '---\n';
    const head = header(b, report);
    const hasPasses = report.passes !== undefined && b.passed.some((r) => report.passes!.passesOf(r).length > 0);
    if (!b.results.length && !hasPasses) {
      yield stringify({ ...head, results: [] }, YAML_OPTIONS);
      continue;
    }
    yield stringify(head, YAML_OPTIONS) + 'results:\n';
    for (const r of b.results) yield resultItem(r);
    if (!report.passes) continue;
    for (const r of b.passed) for (const id of report.passes.passesOf(r)) yield passes.text(id, r, b.namespace);
  }
}

export const policyReport: Reporter = Object.assign((report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => [...pieces(report, ctx)].join(''), { chunks: pieces });
