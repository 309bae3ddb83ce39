// Expectations on a setting (a flag value as text, or a typed config-file value) and their evaluation.
// One evaluator serves flags and KubeletConfiguration fields so both speak the same language.
import { parseBool, parseDuration, parseFeatureGates, parseList } from './flags.js';

export type Expectation =
  /** Must be present and non-empty. */
  | { op: 'set' }
  /** Must not be present. */
  | { op: 'unset' }
  | { op: 'bool'; value: boolean }
  /** Comma list (or YAML list) must contain the item. */
  | { op: 'listHas'; value: string }
  /** Comma list (or YAML list) must not contain the item. */
  | { op: 'listLacks'; value: string }
  | { op: 'gte'; value: number }
  | { op: 'equals'; value: string }
  /** Every listed item must be one of `values`. */
  | { op: 'subset'; values: readonly string[] }
  /** `--feature-gates` / `featureGates` must not set `gate` to `value`. */
  | { op: 'gateNot'; gate: string; value: boolean }
  | { op: 'nonZeroDuration' }
  | { op: 'zero' };

/** What the checked value is called in messages, e.g. `--profiling` or `readOnlyPort`. */
export interface Outcome {
  ok: boolean;
  /** Why it fails (without the setting's name), e.g. `is set to true; it must be false`. */
  reason?: string;
}

const pass: Outcome = { ok: true };
const fail = (reason: string): Outcome => ({ ok: false, reason });

function show(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

export function describeExpectation(e: Expectation): string {
  switch (e.op) {
    case 'set':
      return 'must be set';
    case 'unset':
      return 'must not be set';
    case 'bool':
      return `must be ${e.value}`;
    case 'listHas':
      return `must include ${e.value}`;
    case 'listLacks':
      return `must not include ${e.value}`;
    case 'gte':
      return `must be at least ${e.value}`;
    case 'equals':
      return `must be ${e.value}`;
    case 'subset':
      return 'must list only strong cipher suites';
    case 'gateNot':
      return `must not set ${e.gate}=${e.value}`;
    case 'nonZeroDuration':
      return 'must not be 0 (0 disables the timeout)';
    case 'zero':
      return 'must be 0 (disabled)';
  }
}

/**
 * Evaluates `value` against `e`. `present` says whether the value was written (false means
 * `value` is the component's default, or undefined when there is none).
 */
export function evaluate(e: Expectation, value: unknown, present: boolean): Outcome {
  const prefix = present ? `is set to ${show(value)}` : value === undefined ? 'is not set' : `is not set (defaults to ${show(value)})`;
  if (e.op === 'unset') return present ? fail(`is set; it ${describeExpectation(e)}`) : pass;
  if (value === undefined) return e.op === 'listLacks' || e.op === 'gateNot' ? pass : fail(e.op === 'set' ? 'is not set' : `is not set; it ${describeExpectation(e)}`);
  const bad = (extra = '') => fail(`${prefix}; it ${describeExpectation(e)}${extra}`);
  const unreadable = () => fail(`${prefix}, which is not a valid value; it ${describeExpectation(e)}`);
  switch (e.op) {
    case 'set':
      return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? pass : fail(`is empty; it ${describeExpectation(e)}`);
    case 'bool': {
      const b = parseBool(value);
      if (b === undefined) return unreadable();
      return b === e.value ? pass : bad();
    }
    case 'listHas':
    case 'listLacks': {
      const list = parseList(value);
      if (!list) return unreadable();
      const has = list.includes(e.value);
      return has === (e.op === 'listHas') ? pass : bad();
    }
    case 'gte': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
      if (n === undefined) return unreadable();
      return n >= e.value ? pass : bad();
    }
    case 'equals':
      return typeof value === 'string' && value.trim() === e.value ? pass : bad();
    case 'subset': {
      const list = parseList(value);
      if (!list) return unreadable();
      if (list.length === 0) return fail(`${prefix}; it must list strong cipher suites (an empty list means the Go defaults, which include CBC suites)`);
      const weak = list.filter((s) => !e.values.includes(s));
      return weak.length === 0 ? pass : fail(`${prefix}; ${weak.join(', ')} ${weak.length === 1 ? 'is' : 'are'} not on the strong list`);
    }
    case 'gateNot': {
      const gates = parseFeatureGates(value);
      if (!gates) return unreadable();
      return gates.get(e.gate) === e.value ? fail(`sets ${e.gate}=${e.value}; it ${describeExpectation(e)}`) : pass;
    }
    case 'nonZeroDuration': {
      const d = parseDuration(value);
      if (d === undefined) return unreadable();
      return d !== 0 ? pass : bad();
    }
    case 'zero': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
      if (n === undefined) return unreadable();
      return n === 0 ? pass : bad();
    }
  }
}
