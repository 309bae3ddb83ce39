// The stable JSON shape (CONTRACT.md), plus `groups`: findings that share one cause and one place to
// fix, by index into `findings`, and `summary.groups`, the headline count a user works through.
import type { Reporter } from './types.js';
import type { ScanReport } from '../engine/finding.js';
import { groupFindings } from '../engine/groups.js';

function shape(report: ScanReport): Record<string, unknown> {
  const groups = groupFindings(report.findings);
  // Passes (recorded for PolicyReports) are not part of the JSON shape.
  const { tool, summary, findings, passes: _passes, ...rest } = report;
  return { tool, summary: { ...summary, groups: groups.filter((g) => !g.suppressed).length }, findings, groups, ...rest };
}

/**
 * Exactly `JSON.stringify(shape, null, 2)`, written value by value: every top-level field, and each
 * element of the long arrays on its own, so no single string holds the whole report.
 */
function* pieces(report: ScanReport): Generator<string> {
  const out = shape(report);
  const keys = Object.keys(out).filter((k) => out[k] !== undefined);
  const indent = (text: string, pad: string) => text.replace(/\n/g, `\n${pad}`);
  yield '{\n';
  for (const [i, k] of keys.entries()) {
    const v = out[k];
    const tail = i < keys.length - 1 ? ',\n' : '\n';
    if (Array.isArray(v) && v.length > 0) {
      yield `  ${JSON.stringify(k)}: [\n`;
      for (const [j, item] of v.entries()) yield `    ${indent(JSON.stringify(item, null, 2), '    ')}${j < v.length - 1 ? ',\n' : '\n'}`;
      yield `  ]${tail}`;
    } else yield `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')}${tail}`;
  }
  yield '}\n';
}

export const jsonReport: Reporter = Object.assign((report: ScanReport) => [...pieces(report)].join(''), { chunks: pieces });
