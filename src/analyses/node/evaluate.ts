// Evaluates the flag and kubelet check catalogues against parsed objects. Pure: data in, violations out.
import type { JsonObject, JsonValue } from '../../model/types.js';
import { getIn, isObject, pointer } from '../../model/json.js';
import type { FlagSet } from './flags.js';
import type { FlagCheck } from './control-plane-checks.js';
import type { KubeletCheck } from './kubelet-checks.js';
import { evaluate } from './expect.js';

export interface Violation {
  message: string;
  /** JSON Pointer (relative to the object) of the offending value, or of where it is missing. */
  path: string;
  /** A replacement for the value at `fixPath`, when one is safe to suggest. */
  fix?: { path: string; value: JsonValue };
}

/** All failing tests of a check, merged into one violation (one finding per check and component). */
export function evaluateFlagCheck(check: FlagCheck, flags: FlagSet): Violation | undefined {
  const failures: Violation[] = [];
  for (const t of check.tests) {
    // A structured config file replaces the flag; the file's own rule judges it.
    if (t.supersededBy && flags.flags.has(t.supersededBy) && !flags.flags.has(t.flag)) continue;
    const occ = flags.flags.get(t.flag);
    if (occ) {
      const out = evaluate(t.expect, occ.value, true);
      if (out.ok) continue;
      const v: Violation = { message: `--${t.flag} ${out.reason}`, path: occ.path };
      if (t.fix !== undefined && occ.source === 'arg' && !occ.noFix) v.fix = { path: occ.path, value: occ.inline ? `--${t.flag}=${t.fix}` : t.fix };
      failures.push(v);
    } else {
      const out = evaluate(t.expect, t.default, false);
      if (!out.ok) failures.push({ message: `--${t.flag} ${out.reason}`, path: flags.anchor });
    }
  }
  if (failures.length === 0) return undefined;
  const first = failures[0]!;
  const v: Violation = { message: `${flags.label}: ${failures.map((f) => f.message).join('; ')}`, path: first.path };
  if (failures.length === 1 && first.fix) v.fix = first.fix;
  return v;
}

/** The deepest existing ancestor of a field path, so a missing field points at where it belongs. */
function existingAncestor(obj: JsonObject, field: string[]): string {
  let cur: unknown = obj;
  const found: string[] = [];
  for (const k of field) {
    if (!isObject(cur) || !(k in cur)) break;
    cur = cur[k];
    found.push(k);
  }
  return found.length ? pointer(...found) : '';
}

/**
 * A KubeletConfiguration field. `flags` are the kubelet's command-line flags when known (node
 * mode): a flag overrides the file, so the check is then reported on the flags instead.
 */
export function evaluateKubeletField(check: KubeletCheck, config: JsonObject, flags?: FlagSet): Violation | undefined {
  if (flags?.flags.has(check.flag)) return undefined;
  const value = getIn(config, ...check.field);
  const name = check.field.join('.');
  if (value !== undefined) {
    const out = evaluate(check.expect, value, true);
    if (out.ok) return undefined;
    const v: Violation = { message: `${name} ${out.reason}`, path: pointer(...check.field) };
    if (check.fix !== undefined) v.fix = { path: pointer(...check.field), value: check.fix };
    return v;
  }
  if (check.absentPasses) return undefined;
  const out = evaluate(check.expect, check.fieldDefault, false);
  if (out.ok) return undefined;
  const v: Violation = { message: `${name} ${out.reason}`, path: existingAncestor(config, check.field) };
  if (check.fix !== undefined) v.fix = { path: pointer(...check.field), value: check.fix };
  return v;
}

/** The kubelet's flags. Without a flag, the config file decides (when there is one), else the flag default. */
export function evaluateKubeletFlag(check: KubeletCheck, flags: FlagSet, hasConfigFile: boolean): Violation | undefined {
  const occ = flags.flags.get(check.flag);
  if (occ) {
    const out = evaluate(check.expect, occ.value, true);
    if (out.ok) return undefined;
    const v: Violation = { message: `kubelet flag --${check.flag} ${out.reason}`, path: occ.path };
    if (check.fix !== undefined && occ.source === 'arg' && !occ.noFix) v.fix = { path: occ.path, value: occ.inline ? `--${check.flag}=${String(check.fix)}` : String(check.fix) };
    return v;
  }
  if (hasConfigFile || check.absentPasses) return undefined;
  const out = evaluate(check.expect, check.flagDefault, false);
  if (out.ok) return undefined;
  return { message: `kubelet runs without a config file and --${check.flag} ${out.reason}`, path: flags.anchor };
}

/**
 * With a kubelet config file plus drop-ins (`--config-dir`), later files override earlier ones field
 * by field. Returns the index of the config that decides `field`: the last one that sets it, or the
 * first (the base file, whose defaults then apply) when none does.
 */
export function decidingConfig(configs: JsonObject[], field: string[]): number {
  for (let i = configs.length - 1; i >= 0; i--) if (getIn(configs[i], ...field) !== undefined) return i;
  return 0;
}
