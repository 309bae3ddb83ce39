// Kubernetes Policy WG reports (wgpolicyk8s.io/v1alpha2): one PolicyReport per namespace and one
// ClusterPolicyReport for cluster-scoped objects, config findings and inputs that were not evaluated.
// Output is multi-document YAML that `kubectl apply -f -` accepts (the CRDs must be installed).
import { stringify } from 'yaml';
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import { metaFor, notEvaluated } from './common.js';

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
}

function category(ruleId: string): string {
  return ruleId.split('/')[0] ?? 'rampart';
}

function findingResult(f: Finding, ctx: Parameters<Reporter>[1], namespace: string | undefined): Result {
  const m = metaFor(ctx, f);
  const properties: Record<string, string> = {
    file: f.location.file,
    line: String(f.location.line),
    column: String(f.location.column),
    path: f.location.path,
    remediation: m.remediation,
  };
  if (f.suppressed && f.suppression) properties.suppressed = `${f.suppression.kind}: ${f.suppression.reason}`;
  const refs = [...(m.references.cis ?? []).map((x) => `cis:${x}`), ...(m.references.mitre ?? []).map((x) => `mitre:${x}`)];
  if (refs.length) properties.references = refs.join(',');
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

function summaryOf(results: Result[]) {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result as keyof typeof s]++;
  return s;
}

/** DNS-1123 name for a report. */
function reportName(ns: string | undefined): string {
  const base = ns ? `rampart-${ns}` : 'rampart-cluster';
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
}

/** The PolicyReport objects (one per namespace with results, plus the ClusterPolicyReport), as data. */
export function policyReportDocuments(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Record<string, unknown>[] {
  const buckets = new Map<string, Bucket>();
  const bucket = (ns: string | undefined) => {
    const key = ns ?? '';
    let b = buckets.get(key);
    if (!b) {
      b = ns === undefined ? { results: [] } : { namespace: ns, results: [] };
      buckets.set(key, b);
    }
    return b;
  };
  bucket(undefined); // always emit the cluster report: it carries the run's completeness
  for (const f of report.findings) {
    const clusterScoped = CLUSTER_SCOPED.has(f.resource.kind) || f.resource.apiVersion === 'rampart.dev/v1';
    // Namespaced objects without metadata.namespace land where `kubectl apply` would put them by default.
    const ns = clusterScoped ? undefined : (f.resource.namespace ?? 'default');
    bucket(ns).results.push(findingResult(f, ctx, ns));
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
  return [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, b]) => {
      const metadata: Record<string, unknown> = { name: reportName(b.namespace) };
      if (b.namespace) metadata.namespace = b.namespace;
      metadata.labels = { 'app.kubernetes.io/managed-by': 'rampart', 'app.kubernetes.io/version': report.tool.version };
      return {
        apiVersion: POLICY_REPORT_API,
        kind: b.namespace ? 'PolicyReport' : 'ClusterPolicyReport',
        metadata,
        summary: summaryOf(b.results),
        results: b.results,
      };
    });
}

export const policyReport: Reporter = (report, ctx) =>
  policyReportDocuments(report, ctx)
    .map((d) => stringify(d, { lineWidth: 0 }))
    .join('---\n');
