// Reads `--vulns FILE` reports. A file that cannot be read or is not a known format is an input
// error (the run is incomplete, exit 2), never a silent "no vulnerabilities".
import { readFileSync } from 'node:fs';
import type { InputError } from '../model/types.js';
import { parseVulnReport, VulnReportError, type ImageVulns } from '../analyses/vulns/formats.js';

export function loadVulnReports(files: readonly string[]): { images: ImageVulns[]; errors: InputError[] } {
  const images: ImageVulns[] = [];
  const errors: InputError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      errors.push({ file, message: `vulnerability report could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    try {
      images.push(parseVulnReport(text, file));
    } catch (e) {
      if (!(e instanceof VulnReportError)) throw e;
      errors.push({ file, message: `vulnerability report not imported: ${e.message}` });
    }
  }
  return { images, errors };
}
