// Shared set-up for report tests: scan the fixed fixtures with the fixture rules and config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { GITHUB_SARIF_LIMITS } from '../../src/reports/sarif.js';
import type { ScanReport } from '../../src/engine/finding.js';
import type { RuleMeta, AnyRule } from '../../src/engine/rule.js';
import { parseConfig } from '../../src/engine/config.js';
import { runEngine } from '../../src/engine/run.js';
import { loadInputs } from '../../src/input/files.js';
import type { ReportContext } from '../../src/reports/types.js';
import { fixtureRules } from './fixture-rules.js';

export const REPORT_FIXTURES = 'test/fixtures/report';
export const GOLDEN_CONFIG = 'test/fixtures/config/golden.rampart.yaml';
/** Fixed clock: one exception in the golden config has expired by then, one has not. */
export const GOLDEN_NOW = new Date('2026-01-01T00:00:00Z');

export function contextFor(rules: AnyRule[], color = false): ReportContext {
  return { rules: new Map<string, RuleMeta>(rules.map((r) => [r.meta.id, r.meta])), color };
}

export async function goldenReport(): Promise<ScanReport> {
  const load = await loadInputs([REPORT_FIXTURES]);
  const config = parseConfig(readFileSync(GOLDEN_CONFIG, 'utf8'), GOLDEN_CONFIG);
  return runEngine(load, { rules: fixtureRules, config, now: GOLDEN_NOW });
}

const require = createRequire(import.meta.url);

/** Validator for the official SARIF 2.1.0 (errata 01) schema, which is JSON Schema draft-04, with format checks. */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync('test/schemas/sarif-schema-2.1.0.json', 'utf8'));
  const Draft04 = require('ajv-draft-04');
  // Schema patterns are plain ECMA-262 regexes (one is not valid with the `u` flag).
  const ajv = new (Draft04.default ?? Draft04)({ allErrors: true, strict: false, unicodeRegExp: false });
  const formats = require('ajv-formats');
  (formats.default ?? formats)(ajv);
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).slice(0, 10).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`));
}

/**
 * GitHub code scanning's documented hard limits for a SARIF upload (runs per file, results and rules
 * per run, tool extensions, locations and thread-flow locations per result, tags per rule, 10 MB
 * gzipped). Each problem found is one line; an empty list means GitHub accepts the file.
 */
export function githubSarifProblems(doc: { runs: Record<string, any>[] }): string[] {
  const L = GITHUB_SARIF_LIMITS;
  const out: string[] = [];
  if (doc.runs.length > L.runsPerFile) out.push(`${doc.runs.length} runs > ${L.runsPerFile}`);
  doc.runs.forEach((run, i) => {
    const results: Record<string, any>[] = run.results ?? [];
    if (results.length > L.resultsPerRun) out.push(`run ${i}: ${results.length} results > ${L.resultsPerRun}`);
    const rules: Record<string, any>[] = run.tool?.driver?.rules ?? [];
    if (rules.length > L.rulesPerRun) out.push(`run ${i}: ${rules.length} rules > ${L.rulesPerRun}`);
    if ((run.tool?.extensions ?? []).length > L.toolExtensionsPerRun) out.push(`run ${i}: too many tool extensions`);
    for (const r of rules) if ((r.properties?.tags ?? []).length > L.tagsPerRule) out.push(`rule ${r.id}: ${r.properties.tags.length} tags > ${L.tagsPerRule}`);
    for (const r of results) {
      if ((r.locations ?? []).length > L.locationsPerResult) out.push(`result ${r.ruleId}: too many locations`);
      const flows = (r.codeFlows ?? []).flatMap((c: any) => (c.threadFlows ?? []).flatMap((t: any) => t.locations ?? []));
      if (flows.length > L.threadFlowLocationsPerResult) out.push(`result ${r.ruleId}: too many thread flow locations`);
    }
  });
  const gz = gzipSync(JSON.stringify(doc)).length;
  if (gz > L.gzipBytes) out.push(`${gz} gzipped bytes > ${L.gzipBytes}`);
  return out;
}

/** `xmllint --schema` errors for an XML text (empty when valid). Requires xmllint. */
export function xmlSchemaErrors(xml: string, xsd: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-xsd-'));
  try {
    const file = path.join(dir, 'report.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
    return r.status === 0 ? [] : r.stderr.split('\n').filter((l) => l && !l.endsWith('fails to validate'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
