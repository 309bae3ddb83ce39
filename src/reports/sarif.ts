// SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps, IDE viewers).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reporter } from './types.js';
import { sha256Hex } from '../model/digest.js';
import type { Finding } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';
import { severityRank, type Severity } from '../model/types.js';
import { jsonWithArray } from './json.js';
import { helpText, metaFor, notEvaluated, perKey, referenceTags, refName, rulesForReport, skippedNotes } from './common.js';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning reads `security-severity` (0–10) to rank alerts: ≥9 critical, ≥7 high, ≥4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/**
 * GitHub code scanning's documented hard limits for one SARIF upload (over them the file is rejected)
 * and the gzip-compressed size cap. Rampart writes one run with one location per result.
 */
export const GITHUB_SARIF_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  toolExtensionsPerRun: 100,
  locationsPerResult: 1_000,
  threadFlowLocationsPerResult: 10_000,
  tagsPerRule: 20,
  gzipBytes: 10 * 1024 * 1024,
} as const;

/** The base every relative artifact URI resolves against: the directory Rampart ran in (the repository root in CI). */
export const SRCROOT = '%SRCROOT%';
/** Artifact URI for standard input: a name, since stdin has no path. */
export const STDIN_URI = 'stdin';

/**
 * Artifact location for a display path. Display paths are relative to the working directory when
 * the file is inside it, so they become `%SRCROOT%`-relative URIs (what GitHub maps onto the
 * repository); files outside it (absolute, or given as ../x) keep an absolute file URI; stdin is a
 * named artifact.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file === '<stdin>') return { uri: STDIN_URI };
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  // A path given as ../x climbs out of the root: GitHub cannot map it onto the repository.
  if (file === '..' || file.startsWith('../')) return { uri: pathToFileURL(path.resolve(file)).href };
  return {
    uri: file
      .split('/')
      .map((seg) => encodeURIComponent(seg))
      .join('/'),
    uriBaseId: SRCROOT,
  };
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
      // Over 20 tags GitHub rejects the upload (and shows only 10): the framework references come first.
      tags: [...new Set(['security', 'kubernetes', ...referenceTags(m)])].slice(0, GITHUB_SARIF_LIMITS.tagsPerRule),
      'security-severity': SECURITY_SEVERITY[m.severity],
      severity: m.severity,
      precision: 'high',
    },
  };
  const url = m.references.urls?.[0];
  if (url) rule.helpUri = url;
  return rule;
}

/** `Kind/namespace/name` of a finding's resource, made once per resource object for one report (each result names it twice). */
type ResourceNames = (r: Finding['resource']) => string;

/** Stable across line moves: the rule, the file, the object and the JSON Pointer of the offending field. */
function fingerprint(f: Finding, names: ResourceNames): string {
  return sha256Hex([f.ruleId, f.location.file, f.resource.apiVersion, names(f.resource), f.location.path].join('\u0000')).slice(0, 32);
}

/**
 * One fingerprint per result, never shared: GitHub keeps only one alert per fingerprint. Findings
 * whose identity is the same (the same object read twice, say) get an ordinal in report order.
 */
function uniqueFingerprints(findings: readonly Finding[], names: ResourceNames): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const fp = fingerprint(f, names);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return n === 1 ? fp : `${fp}:${n}`;
  });
}

type Artifacts = (file: string) => ReturnType<typeof artifactLocation>;

/** artifactLocation once per file for one report (a file URI costs a path resolve and an encode per call); results share the read-only object. */
function artifactsOnce(): Artifacts {
  const seen = new Map<string, ReturnType<typeof artifactLocation>>();
  return (file) => {
    let a = seen.get(file);
    if (!a) seen.set(file, (a = artifactLocation(file)));
    return a;
  };
}

function physicalLocation(artifacts: Artifacts, file: string, line?: number, column?: number) {
  const loc: Record<string, unknown> = { artifactLocation: artifacts(file) };
  if (line && line > 0) loc.region = column && column > 0 ? { startLine: line, startColumn: column } : { startLine: line };
  return loc;
}

function result(f: Finding, ruleIndex: number, fp: string, artifacts: Artifacts, names: ResourceNames) {
  const location: Record<string, unknown> = {
    logicalLocations: [{ name: f.resource.name, fullyQualifiedName: names(f.resource), kind: 'object' }],
  };
  if (f.location.file) location.physicalLocation = physicalLocation(artifacts, f.location.file, f.location.line, f.location.column);
  const r: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location],
    partialFingerprints: { 'rampartFinding/v1': fp },
    properties: { severity: f.severity, jsonPointer: f.location.path, resource: f.resource, ...(f.location.mapping ? { sourceMapping: f.location.mapping } : {}) },
  };
  if (f.rendered) {
    r.relatedLocations = [{ id: 1, physicalLocation: physicalLocation(artifacts, f.rendered.file, f.rendered.line, f.rendered.column), message: { text: 'position in the rendered output' } }];
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

/** The findings GitHub will accept: all of them, or the most severe up to the per-run limit (report order kept). */
function withinResultLimit(findings: readonly Finding[]): Finding[] {
  const max = GITHUB_SARIF_LIMITS.resultsPerRun;
  if (findings.length <= max) return [...findings];
  const keep = new Set(
    findings
      .map((f, i) => ({ f, i }))
      .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
      .slice(0, max)
      .map((x) => x.i),
  );
  return findings.filter((_, i) => keep.has(i));
}

/** Every file a result or notification points at, once: SARIF's list of analysed artifacts. */
function artifactsOf(files: Iterable<string>, artifacts: Artifacts) {
  return [...new Set(files)].sort().map((file) => ({
    location: artifacts(file),
    ...(file === '<stdin>' ? { description: { text: 'standard input' } } : {}),
    roles: ['analysisTarget'],
  }));
}

/** Stands for the results array while the rest of the document is made (see jsonWithArray). */
const RESULTS = '\u0000rampart:results\u0000';

/** The document with its results written one by one, each made as it is written. */
function pieces(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<string> {
  const rules = rulesForReport(report, ctx);
  const artifacts = artifactsOnce();
  const index = new Map(rules.map((m, i) => [m.id, i]));
  const findings = withinResultLimit(report.findings);
  const cut = report.findings.length - findings.length;
  const names = perKey(refName);
  const prints = uniqueFingerprints(findings, names);
  const notes = [...notEvaluated(report), ...skippedNotes(report)];
  const notifications = [
    ...notEvaluated(report).map((n) => ({
      level: 'error',
      message: { text: `not evaluated: ${n.message}` },
      locations: n.file ? [{ physicalLocation: physicalLocation(artifacts, n.file, n.line, n.column) }] : [],
      descriptor: { id: n.kind === 'error' ? 'rampart/input-error' : 'rampart/not-evaluated' },
    })),
    ...skippedNotes(report).map((n) => ({
      level: 'note',
      message: { text: `skipped: ${n.message}` },
      locations: n.file ? [{ physicalLocation: physicalLocation(artifacts, n.file, n.line) }] : [],
      descriptor: { id: 'rampart/skipped' },
    })),
    ...(cut
      ? [{
          level: 'error',
          message: { text: `${cut} lower-severity findings left out: GitHub rejects a run with more than ${GITHUB_SARIF_LIMITS.resultsPerRun} results (the JSON report has them all)` },
          descriptor: { id: 'rampart/results-cut' },
        }]
      : []),
  ];
  const srcroot: Record<string, unknown> = { description: { text: 'the directory rampart ran in (the repository root in CI)' } };
  if (ctx.srcRoot) srcroot.uri = pathToFileURL(ctx.srcRoot.endsWith(path.sep) ? ctx.srcRoot : ctx.srcRoot + path.sep).href;
  const files: string[] = [];
  for (const f of findings) {
    if (f.location.file) files.push(f.location.file);
    if (f.rendered?.file) files.push(f.rendered.file);
  }
  for (const n of notes) if (n.file) files.push(n.file);
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
            executionSuccessful: report.summary.notEvaluated === 0 && cut === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: { [SRCROOT]: srcroot },
        artifacts: artifactsOf(files, artifacts),
        columnKind: 'utf16CodeUnits',
        results: RESULTS,
        properties: { summary: report.summary },
      },
    ],
  };
  function* results() {
    for (let i = 0; i < findings.length; i++) yield result(findings[i]!, index.get(findings[i]!.ruleId) ?? -1, prints[i]!, artifacts, names);
  }
  return jsonWithArray(sarif, RESULTS, results());
}

export const sarifReport: Reporter = Object.assign((report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => [...pieces(report, ctx)].join(''), { chunks: pieces });
