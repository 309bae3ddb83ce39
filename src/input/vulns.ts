// Reads `--vulns FILE` reports. A file that cannot be read or is not a known format is an input
// error (the run is incomplete, exit 2), never a silent "no vulnerabilities".
import { readFileSync } from 'node:fs';
import type { InputError, Skipped } from '../model/types.js';
import { redactText } from '../model/redact.js';
import { parseVulnReports, VulnReportError, type ImageVulns } from '../analyses/vulns/formats.js';

/**
 * Reads the reports. `notes` name the resources a Trivy Kubernetes scan reports it could not scan
 * (its `Error` entries): what it says about the cluster, not an error of this run.
 */
export function loadVulnReports(files: readonly string[]): { images: ImageVulns[]; errors: InputError[]; notes: Skipped[] } {
  const images: ImageVulns[] = [];
  const errors: InputError[] = [];
  const notes: Skipped[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      errors.push({ file, message: `vulnerability report could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    try {
      const parsed = parseVulnReports(text, file);
      images.push(...parsed.images);
      for (const n of parsed.notes) notes.push({ file, reason: `Trivy could not scan ${n.resource}: ${redactText(n.message)}`, hint: 'its images have no vulnerability data in this report', failsClosed: false });
    } catch (e) {
      if (!(e instanceof VulnReportError)) throw e;
      errors.push({ file, message: `vulnerability report not imported: ${e.message}` });
    }
  }
  return { images, errors, notes };
}
