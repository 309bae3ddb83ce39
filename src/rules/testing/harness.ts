// ESLint-style valid/invalid tables for rules. A reader learns a rule from its table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../../engine/rule.js';
import type { Config } from '../../engine/config.js';
import { runEngine } from '../../engine/run.js';
import { loadText } from '../../input/files.js';
import type { Finding } from '../../engine/finding.js';
import { fixText } from '../../fix/fix-text.js';
import { stillPresent } from '../../fix/verify.js';

export interface ExpectedFinding {
  /** Substring (string) or pattern the message must match. */
  message?: string | RegExp;
  /** Exact JSON Pointer of the offending value. */
  path?: string;
  line?: number;
  column?: number;
  severity?: Finding['severity'];
  resource?: string; // Kind/name
}

export interface InvalidCase {
  name?: string;
  yaml: string;
  findings: ExpectedFinding[];
  options?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export interface ValidCase {
  name?: string;
  yaml: string;
  options?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export function scanYaml(rule: AnyRule, yaml: string, options?: Record<string, unknown>, settings?: Record<string, unknown>): Finding[] {
  const load = loadText(yaml, 'test.yaml');
  if (load.errors.length) throw new Error(`test YAML does not parse: ${load.errors[0]!.message}`);
  const config: Config = { rules: options ? { [rule.meta.id]: { options } } : {}, exceptions: [], settings: {} };
  const report = runEngine(load, { rules: [rule], config, settings: settings ?? {} });
  if (report.errors.length) throw new Error(`rule failed: ${report.errors[0]!.message}`);
  return report.findings.filter((f) => f.ruleId === rule.meta.id);
}

/** Registers one node:test per case. */
export function ruleTable(rule: AnyRule, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  const id = rule.meta.id;
  test(`${id}: metadata is complete`, () => {
    const m = rule.meta;
    assert.ok(m.title && m.rationale && m.remediation, 'title, rationale and remediation are required');
    assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, 'a rule needs valid and invalid cases');
  });
  cases.valid.forEach((c, i) => {
    const vc = typeof c === 'string' ? { yaml: c } : c;
    test(`${id}: valid #${i + 1}${vc.name ? ` (${vc.name})` : ''}`, () => {
      const found = scanYaml(rule, vc.yaml, vc.options, vc.settings);
      assert.deepEqual(found.map((f) => `${f.location.path}: ${f.message}`), [], 'expected no findings');
    });
  });
  let fixedSomewhere = 0;
  cases.invalid.forEach((c, i) => {
    test(`${id}: invalid #${i + 1}${c.name ? ` (${c.name})` : ''}`, () => {
      const found = scanYaml(rule, c.yaml, c.options, c.settings);
      // The catalogue and the fixes agree: fix ops only from a rule that states its fix class, and
      // every fix it plans is written and removes its finding (by identity) on this very case.
      if (found.some((f) => f.fix?.length)) assert.ok(rule.meta.fixClass, `${id} attaches fix ops but its metadata states no fixClass`);
      if (rule.meta.fixClass) {
        const fixed = fixText(c.yaml, loadText(c.yaml, 'test.yaml').resources, found, { include: ['safe', 'may-break'], classOf: () => rule.meta.fixClass });
        assert.deepEqual(fixed.failed, [], 'every planned fix is written');
        const after = scanYaml(rule, fixed.text, c.options, c.settings);
        for (const f of fixed.fixed) assert.equal(stillPresent(f, after), undefined, `fix of ${f.location.path} removes the finding`);
        fixedSomewhere += fixed.fixed.length;
      }
      assert.equal(found.length, c.findings.length, `expected ${c.findings.length} findings, got:\n${found.map((f) => `  ${f.location.path}: ${f.message}`).join('\n')}`);
      c.findings.forEach((exp, j) => {
        const f = found[j]!;
        if (exp.path !== undefined) assert.equal(f.location.path, exp.path, `finding ${j} path`);
        if (exp.line !== undefined) assert.equal(f.location.line, exp.line, `finding ${j} line`);
        if (exp.column !== undefined) assert.equal(f.location.column, exp.column, `finding ${j} column`);
        if (exp.severity !== undefined) assert.equal(f.severity, exp.severity, `finding ${j} severity`);
        if (exp.resource !== undefined) assert.equal(`${f.resource.kind}/${f.resource.name}`, exp.resource, `finding ${j} resource`);
        if (typeof exp.message === 'string') assert.ok(f.message.includes(exp.message), `finding ${j} message "${f.message}" should include "${exp.message}"`);
        else if (exp.message) assert.match(f.message, exp.message);
      });
    });
  });
  if (rule.meta.fixClass) {
    test(`${id}: its advertised ${rule.meta.fixClass} fix removes a finding in at least one invalid case`, () => {
      assert.ok(fixedSomewhere > 0, 'no invalid case was fixed: the fix does nothing or the table lacks a fixable case');
    });
  }
}
