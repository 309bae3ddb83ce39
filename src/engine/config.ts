// `.rampart.yaml`: rule settings, exceptions with reasons and expiry, analysis settings.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import type { Location, Severity } from '../model/types.js';
import { isSeverity } from '../model/types.js';
import { parseYaml } from '../input/yaml.js';
import { isObject, pointer } from '../model/json.js';
import { editDistance } from './edit-distance.js';

export const CONFIG_FILE_NAMES = ['.rampart.yaml', '.rampart.yml'];

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface ResourceMatcher {
  kind?: string;
  namespace?: string;
  name?: string;
  file?: string;
}

export interface ExceptionEntry {
  rules: string[];
  resources?: ResourceMatcher[];
  reason: string;
  expires?: string;
  owner?: string;
  ticket?: string;
  /** Where the exception is written, for messages and the expired-exception finding. */
  location?: Location;
}

export interface Config {
  file?: string;
  failOn?: Severity | 'never';
  rules: Record<string, RuleSetting>;
  exceptions: ExceptionEntry[];
  /** Analysis settings by family (`pss`, `rbac`, `netpol`, `node`, `render`). */
  settings: Record<string, Record<string, unknown>>;
  /** Line of each `rules:` entry in the config file, for error messages. */
  ruleLines?: Record<string, number>;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export function emptyConfig(): Config {
  return { rules: {}, exceptions: [], settings: {} };
}

const requireHere = createRequire(import.meta.url);
let validator: ReturnType<Ajv['compile']> | undefined;
function validate(v: unknown) {
  if (!validator) {
    // ajv is required here, not imported at the top: only runs that have a config file pay its load.
    const { Ajv: AjvClass } = requireHere('ajv') as typeof import('ajv');
    const schema = requireHere('../../schema/rampart-config.schema.json');
    validator = new AjvClass({ allErrors: true, strict: false }).compile(schema);
  }
  return { ok: validator(v) as boolean, errors: validator.errors ?? [] };
}

/** Finds `.rampart.yaml` in `dir` or its parents (stopping at a repository root). */
export function discoverConfig(dir: string = process.cwd()): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    for (const n of CONFIG_FILE_NAMES) {
      const p = path.join(cur, n);
      if (existsSync(p)) return p;
    }
    if (existsSync(path.join(cur, '.git'))) return undefined;
    const parent = path.dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config: ${(e as Error).message}`, file);
  }
  return parseConfig(text, file);
}

/** Display form of a config path: relative to the working directory when inside it. */
function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** A real calendar date (rejects 2025-02-30, which Date.parse would roll over). */
function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function parseConfig(text: string, file: string): Config {
  file = shownPath(file);
  const parsed = parseYaml(text, file);
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    throw new ConfigError(e.message, file, e.line);
  }
  const nonEmpty = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (nonEmpty.length > 1) throw new ConfigError('config must be a single YAML document', file, nonEmpty[1]!.line);
  const doc = nonEmpty[0];
  const raw = doc?.value ?? {};
  const { ok, errors } = validate(raw);
  if (!ok) {
    // With oneOf/anyOf, the deepest error names the field that is actually wrong.
    const e = [...errors].filter((x) => x.keyword !== 'oneOf' && x.keyword !== 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0]!;
    const loc = doc ? doc.locate(e.instancePath) : undefined;
    const where = e.instancePath || '(top level)';
    const extra = e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : '';
    throw new ConfigError(`invalid config at ${where}: ${e.message}${extra}`, file, loc?.line);
  }
  const obj = raw as Record<string, unknown>;
  const cfg = emptyConfig();
  cfg.file = file;
  if (typeof obj.failOn === 'string') cfg.failOn = obj.failOn as Severity | 'never';
  cfg.ruleLines = {};
  for (const [id, v] of Object.entries((obj.rules as Record<string, unknown>) ?? {})) {
    cfg.rules[id] = normaliseRuleSetting(v);
    if (doc) cfg.ruleLines[id] = doc.locate(pointer('rules', id)).line;
  }
  ((obj.exceptions as Record<string, unknown>[]) ?? []).forEach((e, i) => {
    const rules = Array.isArray(e.rules) ? (e.rules as string[]) : [e.rule as string];
    // The schema counts characters; spaces, tabs and newlines say nothing about why a risk is accepted.
    const reason = String(e.reason).trim();
    if (reason.length < 3) throw new ConfigError(`invalid config at /exceptions/${i}/reason: must NOT have fewer than 3 characters (besides blanks): say why the risk is accepted`, file, doc?.locate(`/exceptions/${i}/reason`).line);
    const entry: ExceptionEntry = { rules, reason };
    if (Array.isArray(e.resources)) entry.resources = e.resources as ResourceMatcher[];
    if (typeof e.expires === 'string') {
      if (!isCalendarDate(e.expires)) throw new ConfigError(`invalid config at /exceptions/${i}/expires: not a date`, file, doc?.locate(`/exceptions/${i}/expires`).line);
      entry.expires = e.expires;
    }
    if (typeof e.owner === 'string') entry.owner = e.owner;
    if (typeof e.ticket === 'string') entry.ticket = e.ticket;
    if (doc) entry.location = doc.locate(`/exceptions/${i}`);
    cfg.exceptions.push(entry);
  });
  for (const fam of ['pss', 'rbac', 'netpol', 'node', 'render', 'webhook']) if (isObject(obj[fam])) cfg.settings[fam] = obj[fam] as Record<string, unknown>;
  return cfg;
}

function normaliseRuleSetting(v: unknown): RuleSetting {
  if (v === false || v === 'off') return { enabled: false };
  if (v === true || v === 'on') return { enabled: true };
  if (isSeverity(v)) return { enabled: true, severity: v };
  return v as RuleSetting;
}

/** `*` glob match (the only wildcard), anchored. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(value);
}

/** The most specific setting for a rule: exact id beats family globs. */
export function ruleSettingFor(cfg: Config, id: string): RuleSetting {
  const exact = cfg.rules[id];
  const merged: RuleSetting = {};
  // Globs apply from least to most specific (fewest literal characters first), so `pss/*` beats `*`
  // whatever order the file lists them in.
  const globs = Object.entries(cfg.rules)
    .filter(([k]) => k !== id && globMatch(k, id))
    .sort(([a], [b]) => a.replace(/\*/g, '').length - b.replace(/\*/g, '').length);
  for (const [, v] of [...globs, ...(exact ? [['', exact] as const] : [])]) {
    const options = v.options || merged.options ? { ...(merged.options ?? {}), ...(v.options ?? {}) } : undefined;
    Object.assign(merged, v);
    // Options merge key by key; a rule nobody configured options for gets none (not `{}`), so its
    // defaults apply and a required option is only demanded once someone sets options.
    if (options) merged.options = options;
  }
  return merged;
}

/** Rule ids or globs in the config that match no known rule: almost always a typo that would silently do nothing. */
export function unknownRuleReferences(cfg: Config, knownIds: string[]): { ref: string; where: string; suggestion?: string }[] {
  const out: { ref: string; where: string; suggestion?: string }[] = [];
  const check = (ref: string, where: string) => {
    if (knownIds.some((id) => globMatch(ref, id))) return;
    const suggestion = closest(ref, knownIds);
    out.push(suggestion ? { ref, where, suggestion } : { ref, where });
  };
  for (const id of Object.keys(cfg.rules)) check(id, 'rules');
  cfg.exceptions.forEach((e, i) => e.rules.forEach((r) => check(r, e.location ? `exceptions (line ${e.location.line})` : `exceptions[${i}]`)));
  return out;
}

function closest(s: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(s, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(s.length / 4)) ? best : undefined;
}
