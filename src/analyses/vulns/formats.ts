// Image vulnerability reports from offline scanners (Trivy `image -f json` and `k8s --format json`,
// Grype `-o json`), read into one shape. Pure: the CLI reads the file and hands the text here.
import type { Severity } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';

export interface Vulnerability {
  id: string;
  pkg: string;
  installed: string;
  /** Versions that fix it, as the scanner wrote them; undefined when no fix is known. */
  fixedIn?: string;
  severity: Severity;
}

/** The vulnerabilities the scanner found in one image, with every name it knew the image by. */
export interface ImageVulns {
  /** Report file and format, for messages. */
  source: string;
  format: 'trivy' | 'grype' | 'trivy-k8s';
  /** References as scanned or tagged (`nginx:1.25.3`, `ghcr.io/acme/web:2`). */
  names: string[];
  /** Repository digests (`nginx@sha256:…`) and bare manifest digests (`sha256:…`). */
  digests: string[];
  vulns: Vulnerability[];
  /** For a Trivy Kubernetes scan: the cluster objects Trivy found running the image (`Deployment shop/web`). */
  workloads?: string[];
}

export class VulnReportError extends Error {}

/** Scanner severities onto ours: UNKNOWN/Negligible carry no rating, so they are `info`. */
export function scannerSeverity(s: unknown): Severity {
  switch (String(s ?? '').toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
      return 'medium';
    case 'low':
      return 'low';
    default:
      return 'info';
  }
}

const strings = (v: unknown): string[] => asArray(v).flatMap((x) => (typeof x === 'string' && x !== '' ? [x] : []));

/** The vulnerabilities of Trivy `Results` (one result per OS-package set or language lock file). */
function trivyResults(results: unknown, where: string): Vulnerability[] {
  const vulns: Vulnerability[] = [];
  asArray(results).forEach((res, i) => {
    if (!isObject(res)) throw new VulnReportError(`${where}Results[${i}] is not an object`);
    asArray(res.Vulnerabilities).forEach((v, j) => {
      const o = asObject(v);
      const id = asString(o?.VulnerabilityID);
      if (!o || !id) throw new VulnReportError(`${where}Results[${i}].Vulnerabilities[${j}] has no VulnerabilityID`);
      const entry: Vulnerability = { id, pkg: asString(o.PkgName) ?? '?', installed: asString(o.InstalledVersion) ?? '?', severity: scannerSeverity(o.Severity) };
      const fixed = asString(o.FixedVersion);
      if (fixed) entry.fixedIn = fixed;
      vulns.push(entry);
    });
  });
  return vulns;
}

function fromTrivy(doc: Record<string, unknown>, source: string): ImageVulns {
  const meta = asObject(doc.Metadata);
  const names = [...new Set([...strings([doc.ArtifactName]), ...strings(meta?.RepoTags)])];
  return { source, format: 'trivy', names, digests: strings(meta?.RepoDigests), vulns: trivyResults(doc.Results, '') };
}

/** What a Trivy Kubernetes scan knew about one resource it could not scan (`Error`), for notes. */
export interface TrivyK8sError {
  resource: string;
  message: string;
}

/**
 * `trivy k8s --format json`: `{ ClusterName, Resources: [{ Namespace, Kind, Name, Metadata, Results, Error }] }`
 * (`Findings` in the consolidated form, `Vulnerabilities` before Trivy 0.37). Each image of each
 * workload is one resource entry; entries of one image are merged, listing the workloads. Entries
 * with only misconfigurations carry no Vulnerabilities and add nothing.
 */
function fromTrivyK8s(doc: Record<string, unknown>, source: string): { images: ImageVulns[]; errors: TrivyK8sError[] } {
  const list = [doc.Resources, doc.Findings, doc.Vulnerabilities].find(Array.isArray) as unknown[];
  const byImage = new Map<string, ImageVulns>();
  const errors: TrivyK8sError[] = [];
  list.forEach((r, i) => {
    const o = asObject(r);
    if (!o) throw new VulnReportError(`Resources[${i}] is not an object`);
    const who = `${asString(o.Kind) ?? '?'} ${asString(o.Namespace) ? `${asString(o.Namespace)}/` : ''}${asString(o.Name) ?? '?'}`;
    const err = asString(o.Error);
    if (err) errors.push({ resource: who, message: err });
    const vulns = trivyResults(o.Results, `Resources[${i}].`);
    if (!vulns.length) return;
    const meta = asObject(o.Metadata);
    // The OS-package result's target names the image ("nginx:1.25.3 (debian 12.4)") when Metadata has no tags.
    const targets = asArray(o.Results).flatMap((x) => (asString(asObject(x)?.Class) === 'os-pkgs' ? strings([asString(asObject(x)?.Target)?.replace(/ \([^)]*\)$/, '')]) : []));
    const names = [...new Set([...strings(meta?.RepoTags), ...targets])];
    const digests = strings(meta?.RepoDigests);
    const key = names[0] ?? digests[0];
    if (!key) throw new VulnReportError(`Resources[${i}] (${who}) has vulnerabilities but no image name (Metadata.RepoTags, RepoDigests or an os-pkgs Target)`);
    const seen = byImage.get(key);
    if (!seen) {
      byImage.set(key, { source, format: 'trivy-k8s', names, digests, vulns, workloads: [who] });
      return;
    }
    if (!seen.workloads!.includes(who)) seen.workloads!.push(who);
    for (const n of names) if (!seen.names.includes(n)) seen.names.push(n);
    for (const d of digests) if (!seen.digests.includes(d)) seen.digests.push(d);
  });
  return { images: [...byImage.values()], errors };
}

/**
 * Every image report in a file: one for `trivy image` and Grype, one per image for `trivy k8s`.
 * `notes` are resources a Trivy Kubernetes scan could not scan (its own `Error` entries).
 */
export function parseVulnReports(text: string, source: string): { images: ImageVulns[]; notes: TrivyK8sError[] } {
  const doc = parseJson(text);
  if ('ClusterName' in doc && [doc.Resources, doc.Findings, doc.Vulnerabilities].some(Array.isArray)) {
    const k8s = fromTrivyK8s(doc, source);
    return { images: k8s.images, notes: k8s.errors };
  }
  return { images: [parseVulnReport(text, source)], notes: [] };
}

function parseJson(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new VulnReportError(`not JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw new VulnReportError('not a Trivy or Grype JSON report (the top level is not an object)');
  return doc;
}

function fromGrype(doc: Record<string, unknown>, source: string): ImageVulns {
  const target = asObject(asObject(doc.source)?.target);
  const names = [...new Set([...strings([target?.userInput]), ...strings(target?.tags)])];
  const digests = [...strings(target?.repoDigests), ...strings([target?.manifestDigest])];
  const vulns = asArray(doc.matches).map((m, i): Vulnerability => {
    const v = asObject(asObject(m)?.vulnerability);
    const a = asObject(asObject(m)?.artifact);
    const id = asString(v?.id);
    if (!v || !id) throw new VulnReportError(`matches[${i}].vulnerability has no id`);
    const entry: Vulnerability = { id, pkg: asString(a?.name) ?? '?', installed: asString(a?.version) ?? '?', severity: scannerSeverity(v.severity) };
    const fix = asObject(v.fix);
    const versions = strings(fix?.versions);
    if (asString(fix?.state) === 'fixed' && versions.length) entry.fixedIn = versions.join(', ');
    return entry;
  });
  return { source, format: 'grype', names, digests, vulns };
}

/**
 * Parses a Trivy or Grype JSON image report. Throws VulnReportError when the text is not JSON or
 * is neither format (a file the user named is never silently ignored).
 */
export function parseVulnReport(text: string, source: string): ImageVulns {
  const doc = parseJson(text);
  if ('SchemaVersion' in doc && ('ArtifactName' in doc || 'Results' in doc)) {
    if (doc.ArtifactType !== undefined && doc.ArtifactType !== 'container_image') throw new VulnReportError(`Trivy report of a ${String(doc.ArtifactType)}, not a container image (run trivy image -f json)`);
    return fromTrivy(doc, source);
  }
  if (Array.isArray(doc.matches) && isObject(doc.source)) {
    if (doc.source.type !== undefined && doc.source.type !== 'image') throw new VulnReportError(`Grype report of a ${String(doc.source.type)} source, not an image (run grype IMAGE -o json)`);
    return fromGrype(doc, source);
  }
  throw new VulnReportError('not a Trivy (trivy image -f json, trivy k8s --format json) or Grype (grype -o json) report: expected SchemaVersion/Results, ClusterName/Resources or matches/source');
}
