// Image vulnerability reports from offline scanners (Trivy `-f json`, Grype `-o json`), read into
// one shape. Pure: the CLI reads the file and hands the text here.
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
  format: 'trivy' | 'grype';
  /** References as scanned or tagged (`nginx:1.25.3`, `ghcr.io/acme/web:2`). */
  names: string[];
  /** Repository digests (`nginx@sha256:…`) and bare manifest digests (`sha256:…`). */
  digests: string[];
  vulns: Vulnerability[];
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

function fromTrivy(doc: Record<string, unknown>, source: string): ImageVulns {
  const meta = asObject(doc.Metadata);
  const names = [...new Set([...strings([doc.ArtifactName]), ...strings(meta?.RepoTags)])];
  const vulns: Vulnerability[] = [];
  asArray(doc.Results).forEach((res, i) => {
    if (!isObject(res)) throw new VulnReportError(`Results[${i}] is not an object`);
    asArray(res.Vulnerabilities).forEach((v, j) => {
      const o = asObject(v);
      const id = asString(o?.VulnerabilityID);
      if (!o || !id) throw new VulnReportError(`Results[${i}].Vulnerabilities[${j}] has no VulnerabilityID`);
      const entry: Vulnerability = { id, pkg: asString(o.PkgName) ?? '?', installed: asString(o.InstalledVersion) ?? '?', severity: scannerSeverity(o.Severity) };
      const fixed = asString(o.FixedVersion);
      if (fixed) entry.fixedIn = fixed;
      vulns.push(entry);
    });
  });
  return { source, format: 'trivy', names, digests: strings(meta?.RepoDigests), vulns };
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
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new VulnReportError(`not JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw new VulnReportError('not a Trivy or Grype JSON report (the top level is not an object)');
  if ('SchemaVersion' in doc && ('ArtifactName' in doc || 'Results' in doc)) {
    if (doc.ArtifactType !== undefined && doc.ArtifactType !== 'container_image') throw new VulnReportError(`Trivy report of a ${String(doc.ArtifactType)}, not a container image (run trivy image -f json)`);
    return fromTrivy(doc, source);
  }
  if (Array.isArray(doc.matches) && isObject(doc.source)) {
    if (doc.source.type !== undefined && doc.source.type !== 'image') throw new VulnReportError(`Grype report of a ${String(doc.source.type)} source, not an image (run grype IMAGE -o json)`);
    return fromGrype(doc, source);
  }
  throw new VulnReportError('not a Trivy (trivy image -f json) or Grype (grype -o json) report: expected SchemaVersion/Results or matches/source');
}
