// Output formats by name.
import type { Reporter } from './types.js';
import { jsonReport } from './json.js';
import { textReport } from './text.js';

export const reporters: Record<string, Reporter> = {
  text: textReport,
  json: jsonReport,
};

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'html', 'policyreport'];
