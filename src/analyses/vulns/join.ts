// Joins scanner reports to the images workloads run, and ranks each (workload, image) by the
// worst CVE and by what the workload can reach.
import type { Severity } from '../../model/types.js';
import { SEVERITIES, severityRank } from '../../model/types.js';
import { parseImage, type ImageRef } from '../../model/images.js';
import type { ImageVulns, Vulnerability } from './formats.js';
import type { Reach } from './reach.js';
import type { Resource, Skipped } from '../../model/types.js';
import { allContainers, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';

function digestOf(ref: string): string | undefined {
  const at = ref.lastIndexOf('@');
  const d = at >= 0 ? ref.slice(at + 1) : ref;
  return /^[a-z0-9]+:[0-9a-f]{32,}$/.test(d) ? d : undefined;
}

/** Tag as the runtime reads it: none means `latest`. */
const tagOf = (img: ImageRef) => img.tag ?? 'latest';

/**
 * The reports about the image a container runs. A pinned image matches by digest only (a report
 * of the same name under another digest is another image); otherwise, or when the report knows no
 * digest, by canonical name and tag (`nginx:1.25` = `docker.io/library/nginx:1.25`).
 */
export function reportsForImage(raw: string, reports: readonly ImageVulns[]): { report: ImageVulns; by: 'digest' | 'name' }[] {
  const img = parseImage(raw);
  if (!img) return [];
  const out: { report: ImageVulns; by: 'digest' | 'name' }[] = [];
  for (const report of reports) {
    const digests = report.digests.map(digestOf).filter((d): d is string => !!d);
    if (img.digest && digests.length) {
      if (digests.includes(img.digest)) out.push({ report, by: 'digest' });
      continue;
    }
    const byName = report.names.some((n) => {
      const r = parseImage(n);
      return !!r && r.canonicalName === img.canonicalName && tagOf(r) === tagOf(img);
    });
    if (byName) out.push({ report, by: 'name' });
  }
  return out;
}

export interface VulnSummary {
  /** Distinct CVE ids by their worst severity. */
  counts: Record<Severity, number>;
  total: number;
  fixable: number;
  worstSeverity: Severity;
  /** Distinct CVEs, worst first, then fixable first, then by id. */
  cves: (Vulnerability & { packages: string[] })[];
}

/** One entry per CVE id (Trivy lists a CVE once per affected package). */
export function summariseVulns(vulns: readonly Vulnerability[]): VulnSummary {
  const byId = new Map<string, Vulnerability & { packages: string[] }>();
  for (const v of vulns) {
    const seen = byId.get(v.id);
    if (!seen) {
      byId.set(v.id, { ...v, packages: [v.pkg] });
      continue;
    }
    if (!seen.packages.includes(v.pkg)) seen.packages.push(v.pkg);
    if (severityRank(v.severity) > severityRank(seen.severity)) seen.severity = v.severity;
    if (!seen.fixedIn && v.fixedIn) seen.fixedIn = v.fixedIn;
  }
  const cves = [...byId.values()].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || Number(!!b.fixedIn) - Number(!!a.fixedIn) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of cves) counts[c.severity]++;
  return { counts, total: cves.length, fixable: cves.filter((c) => c.fixedIn).length, worstSeverity: cves[0]?.severity ?? 'info', cves };
}

export interface Ranked {
  severity: Severity;
  /** Higher is worse; orders findings of equal severity (a critical CVE that is exposed and privileged first). */
  score: number;
  /** Why the severity was raised, in words for the finding. */
  reasons: string[];
}

/**
 * The worst CVE's severity, raised one level per kind of reach (internet, node, API), capped at
 * critical. The score orders findings: 100 per level of the raised severity, then 30 for exposure
 * and 20 each for node and API access (so a capped critical that is exposed and privileged still
 * comes before an isolated one), then 1 per fixable CVE up to 9.
 */
export function rankExposure(summary: VulnSummary, reach: Reach): Ranked {
  const reasons: string[] = [];
  if (reach.exposedBy.length) reasons.push(`is exposed by ${reach.exposedBy.join(' and ')}`);
  if (reach.hostAccess.length) reasons.push(reach.hostAccess.join(' and '));
  if (reach.apiAccess.length) reasons.push(`whose ${reach.apiAccess.join(' and ')}`);
  const base = severityRank(summary.worstSeverity);
  // Only unrated CVEs (unknown, negligible): nothing known to exploit, so reach does not raise it.
  const raised = summary.worstSeverity === 'info' ? base : Math.min(severityRank('critical'), base + reasons.length);
  const severity = SEVERITIES[SEVERITIES.length - raised]!;
  const score = 100 * raised + (reach.exposedBy.length ? 30 : 0) + (reach.hostAccess.length ? 20 : 0) + (reach.apiAccess.length ? 20 : 0) + Math.min(9, summary.fixable);
  return { severity, score, reasons };
}

/**
 * The imported image reports that no container of the scanned workloads runs (init and ephemeral
 * containers included): their CVEs join nothing, which the user should hear about instead of
 * reading silence as "no vulnerable image" (a tag that moved, a report of another release).
 */
export function reportsMatchingNoWorkload(reports: readonly ImageVulns[], resources: readonly Resource[]): ImageVulns[] {
  const images = new Set<string>();
  for (const r of resources) {
    if (!WORKLOAD_KINDS.includes(r.kind) && !r.podSpecPath) continue;
    for (const c of allContainers(r)) {
      const raw = asString(c.container.image);
      if (raw) images.add(raw);
    }
  }
  const matched = new Set<ImageVulns>();
  for (const raw of images) for (const m of reportsForImage(raw, reports)) matched.add(m.report);
  return reports.filter((r) => !matched.has(r));
}

/** One note (not a failure: the scan is complete) per imported image report that no workload runs. */
export function unmatchedReportNotes(reports: readonly ImageVulns[], resources: readonly Resource[]): Skipped[] {
  return reportsMatchingNoWorkload(reports, resources).map((r) => {
    const cves = new Set(r.vulns.map((v) => v.id)).size;
    const seen = r.workloads?.length ? ` (Trivy saw it in ${r.workloads.slice(0, 3).join(', ')}${r.workloads.length > 3 ? ', …' : ''})` : '';
    return {
      file: r.source,
      reason: `image ${r.names[0] ?? r.digests[0] ?? '?'} with ${cves} known CVE${cves === 1 ? '' : 's'} matches no workload in the scanned input${seen}`,
      hint: 'check the image reference and tag, or scan the manifests that run it',
      failsClosed: false,
    };
  });
}
