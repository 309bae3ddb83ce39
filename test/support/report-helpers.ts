// Shared set-up for report tests: scan the fixed fixtures with the fixture rules and config.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
