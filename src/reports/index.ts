// Output formats by name. Every reporter reads the same ScanReport + rule metadata.
import type { Reporter } from './types.js';
import { jsonReport } from './json.js';
import { textReport } from './text.js';
import { sarifReport } from './sarif.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import { htmlReport } from './html.js';
import { policyReport } from './policyreport.js';

export const reporters: Record<string, Reporter> = {
  text: textReport,
  json: jsonReport,
  sarif: sarifReport,
  junit: junitReport,
  markdown: markdownReport,
  html: htmlReport,
  policyreport: policyReport,
};

export const FORMATS = Object.keys(reporters);
