// JUnit XML for CI test panels (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).
//
// One <testsuite> per rule that produced findings: CI UIs list suites by name, so a reader sees
// "workload/read-only-root-fs: 3 failures" at a glance; each finding is a <testcase> named after
// the resource and field. Suppressed findings are <skipped> with their reason. Inputs that could
// not be evaluated are <error>s in a "rampart/inputs" suite, so the CI run goes red for them too.
// Valid against Jenkins' junit-10.xsd, which has no file/line attributes on <testcase>: the
// location is in each failure, error and skipped text instead.
import type { Reporter } from './types.js';
import type { Finding } from '../engine/finding.js';
import { escapeXml, metaFor, notEvaluated, perKey, resourceName, skippedNotes, where } from './common.js';

interface Case {
  name: string;
  classname: string;
  body: string;
}

/** `remediation` escaped, the rule's text escaped once (escaping works character by character, so the parts of a text can be escaped apart). */
function failureCase(f: Finding, remediation: string): Case {
  const loc = where(f.location.file, f.location.line, f.location.column);
  const text = [`${f.severity.toUpperCase()} ${f.ruleId}: ${f.message}`, `resource: ${resourceName(f)}`, `location: ${loc} (${f.location.path || '/'})`, 'remediation: '].join('\n');
  const body = f.suppressed
    ? `<skipped message="${escapeXml(`suppressed (${f.suppression?.kind ?? 'config'}): ${f.suppression?.reason ?? ''}`)}">${escapeXml(`location: ${loc}`)}</skipped>`
    : `<failure message="${escapeXml(f.message)}" type="${f.severity}">${escapeXml(text)}${remediation}</failure>`;
  return { name: `${resourceName(f)} ${f.location.path || '/'}`, classname: f.ruleId, body };
}

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.body.startsWith('<failure')).length;
  const errors = cases.filter((c) => c.body.startsWith('<error')).length;
  const skipped = cases.filter((c) => c.body.startsWith('<skipped')).length;
  const lines = [`  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">`];
  for (const c of cases) {
    const attrs = [`name="${escapeXml(c.name)}"`, `classname="${escapeXml(c.classname)}"`, 'time="0"'];
    lines.push(c.body ? `    <testcase ${attrs.join(' ')}>${c.body}</testcase>` : `    <testcase ${attrs.join(' ')}/>`);
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The XML suite by suite: one rule's cases are made when its suite is written, not all at once. */
function* pieces(report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]): Generator<string> {
  const byRule = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const fs = byRule.get(f.ruleId);
    if (fs) fs.push(f);
    else byRule.set(f.ruleId, [f]);
  }

  const inputs: Case[] = [
    ...notEvaluated(report).map((n) => ({
      name: `not evaluated: ${where(n.file, n.line, n.column)}`,
      classname: 'rampart/inputs',
      body: `<error message="${escapeXml(n.message)}" type="${n.kind === 'error' ? 'InputError' : 'NotEvaluated'}">${escapeXml(`${where(n.file, n.line, n.column)}: ${n.message}`)}</error>`,
    })),
    ...skippedNotes(report).map((n) => ({
      name: `skipped: ${where(n.file, n.line)}`,
      classname: 'rampart/inputs',
      body: `<skipped message="${escapeXml(n.message)}">${escapeXml(where(n.file, n.line))}</skipped>`,
    })),
  ];
  const s = report.summary;
  // Always one passing case, so a clean scan shows up as a green test rather than an empty report.
  inputs.unshift({ name: `scanned ${s.resources} resources in ${s.files} files`, classname: 'rampart/inputs', body: '' });

  const total = report.findings.length + inputs.length;
  const failures = report.findings.filter((f) => !f.suppressed).length;
  const errors = notEvaluated(report).length;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="rampart ${escapeXml(report.tool.version)}" tests="${total}" failures="${failures}" errors="${errors}" time="0">\n`;
  // A rule's remediation escaped once (a finding of a rule not in the context carries its own).
  const remediation = perKey(escapeXml);
  for (const id of [...byRule.keys()].sort()) yield suite(id, byRule.get(id)!.map((f) => failureCase(f, remediation(metaFor(ctx, f).remediation)))) + '\n';
  yield suite('rampart/inputs', inputs) + '\n';
  yield '</testsuites>\n';
}

export const junitReport: Reporter = Object.assign((report: Parameters<Reporter>[0], ctx: Parameters<Reporter>[1]) => [...pieces(report, ctx)].join(''), { chunks: pieces });
