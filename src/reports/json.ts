// The stable JSON shape (CONTRACT.md), plus `groups`: findings that share one cause and one place to
// fix, by index into `findings`, and `summary.groups`, the headline count a user works through.
import type { Reporter } from './types.js';
import { groupFindings } from '../engine/groups.js';

export const jsonReport: Reporter = (report) => {
  const groups = groupFindings(report.findings);
  const { tool, summary, findings, ...rest } = report;
  const out = { tool, summary: { ...summary, groups: groups.filter((g) => !g.suppressed).length }, findings, groups, ...rest };
  return JSON.stringify(out, null, 2) + '\n';
};
