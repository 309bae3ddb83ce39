// SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps, IDE viewers).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';
import type { Severity } from '../model/types.js';
import { helpText, metaFor, notEvaluated, referenceTags, resourceName, rulesForReport, skippedNotes } from './common.js';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning reads `security-severity` (0–10) to rank alerts: ≥9 critical, ≥7 high, ≥4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** A URI reference for a display path: relative paths stay relative (resolved against the repository root). */
export function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function ruleHelpMarkdown(m: RuleMeta): string {
  const lines = [`**${m.title}** (\`${m.id}\`, ${m.severity})`, '', m.rationale, '', `**Remediation:** ${m.remediation}`];
  const refs = referenceTags(m);
  if (refs.length) lines.push('', `**References:** ${refs.map((r) => `\`${r}\``).join(', ')}`);
  for (const u of m.references.urls ?? []) lines.push(`- <${u}>`);
  return lines.join('\n');
}

function sarifRule(m: RuleMeta) {
  const rule: Record<string, unknown> = {
    id: m.id,
    name: m.id
      .split(/[/.-]/)
      .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
      .join(''),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: { text: helpText(m), markdown: ruleHelpMarkdown(m) },
    defaultConfiguration: { level: LEVEL[m.severity], enabled: !m.defaultOff },
    properties: {
      tags: ['security', 'kubernetes', ...referenceTags(m)],
      'security-severity': SECURITY_SEVERITY[m.severity],
      severity: m.severity,
      precision: 'high',
    },
  };
  const url = m.references.urls?.[0];
  if (url) rule.helpUri = url;
  return rule;
}

/** Stable across line moves: the rule, the file, the object and the JSON Pointer of the offending field. */
function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.ruleId, f.location.file, f.resource.apiVersion, resourceName(f), f.location.path].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

function physicalLocation(file: string, line?: number, column?: number) {
  const loc: Record<string, unknown> = { artifactLocation: { uri: artifactUri(file) } };
  if (line && line > 0) loc.region = column && column > 0 ? { startLine: line, startColumn: column } : { startLine: line };
  return loc;
}

function result(f: Finding, ruleIndex: number) {
  const location: Record<string, unknown> = {
    logicalLocations: [{ name: f.resource.name, fullyQualifiedName: resourceName(f), kind: 'object' }],
  };
  if (f.location.file) location.physicalLocation = physicalLocation(f.location.file, f.location.line, f.location.column);
  const r: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location],
    partialFingerprints: { 'rampartFinding/v1': fingerprint(f) },
    properties: { severity: f.severity, jsonPointer: f.location.path, resource: f.resource, ...(f.location.mapping ? { sourceMapping: f.location.mapping } : {}) },
  };
  if (f.rendered) {
    r.relatedLocations = [{ id: 1, physicalLocation: physicalLocation(f.rendered.file, f.rendered.line, f.rendered.column), message: { text: 'position in the rendered output' } }];
  }
  if (f.suppressed && f.suppression) {
    const s: Record<string, unknown> = {
      kind: f.suppression.kind === 'annotation' ? 'inSource' : 'external',
      status: 'accepted',
      justification: f.suppression.reason,
    };
    if (f.suppression.source || f.suppression.expires) {
      s.properties = { ...(f.suppression.source ? { source: f.suppression.source } : {}), ...(f.suppression.expires ? { expires: f.suppression.expires } : {}) };
    }
    r.suppressions = [s];
  }
  if (f.fix) (r.properties as Record<string, unknown>).fix = f.fix;
  return r;
}

export const sarifReport: Reporter = (report, ctx) => {
  const rules = rulesForReport(report, ctx);
  const index = new Map(rules.map((m, i) => [m.id, i]));
  const notifications = [
    ...notEvaluated(report).map((n) => ({
      level: 'error',
      message: { text: `not evaluated: ${n.message}` },
      locations: n.file ? [{ physicalLocation: physicalLocation(n.file, n.line, n.column) }] : [],
      descriptor: { id: n.kind === 'error' ? 'rampart/input-error' : 'rampart/not-evaluated' },
    })),
    ...skippedNotes(report).map((n) => ({
      level: 'note',
      message: { text: `skipped: ${n.message}` },
      locations: n.file ? [{ physicalLocation: physicalLocation(n.file, n.line) }] : [],
      descriptor: { id: 'rampart/skipped' },
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rampart',
            semanticVersion: report.tool.version,
            version: report.tool.version,
            rules: rules.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: report.summary.notEvaluated === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => result(f, index.get(metaFor(ctx, f).id) ?? -1)),
        properties: { summary: report.summary },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
};
