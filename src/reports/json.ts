import type { Reporter } from './types.js';

export const jsonReport: Reporter = (report) => JSON.stringify(report, null, 2) + '\n';
