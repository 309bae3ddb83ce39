// What scan rules need: for one resource, the offending fields per check at the configured level
// and version (computed once per resource and shared by all pss/* rules).
import type { Resource } from '../../model/types.js';
import type { Malformed } from './types.js';
import type { AttributedOffence } from './evaluate.js';
import { attributeOffences, strictestLevel } from './evaluate.js';
import { compareLevels } from './version.js';
import type { Level } from './types.js';
import { podInputOf } from './resource.js';
import { exemptionFor, pssSettings, type PssSettings } from './settings.js';

export interface ResourcePssResult {
  offences: AttributedOffence[];
  malformed: Malformed[];
  level: string;
  version: string;
  /** The evaluation's verdict at `level`, and whether every field it read could be decoded. */
  allowed: boolean;
  evaluated: boolean;
}

const cache = new WeakMap<object, Map<string, ResourcePssResult | null>>();
/** Offences per check, made when a rule first asks (19 rules ask per resource). */
const byCheck = Symbol('offences by check');
type CachedResult = ResourcePssResult & { [byCheck]?: Map<string, AttributedOffence[]> };

/**
 * Drops the results kept for one object. A server judging one object per request calls it when done:
 * V8's young-generation GC keeps a WeakMap entry alive when its value leads back to its key, so a
 * judged pod and its results would otherwise be promoted and wait for a full GC (the webhook promoted
 * 2.4-2.5 KB per decision with the entries kept, 2.1 after releasing them).
 */
export function releasePssResults(object: object): void {
  cache.delete(object);
}

interface ParsedSettings {
  settings: PssSettings;
  /** What the result cache is keyed by. */
  key: string;
  /** The raw fields the parse read, to see that the same object still says the same. */
  level: unknown;
  version: unknown;
  exemptions: unknown;
  lists: unknown[];
}

const LIST_KEYS = ['usernames', 'runtimeClasses', 'namespaces'] as const;

/** The exemption lists and their lengths: a list replaced or edited in place is seen. */
function listsOf(exemptions: unknown): unknown[] {
  if (typeof exemptions !== 'object' || exemptions === null) return [];
  const ex = exemptions as Record<string, unknown>;
  return LIST_KEYS.flatMap((k) => [ex[k], Array.isArray(ex[k]) ? (ex[k] as unknown[]).length : -1]);
}

/** Whether `o` still holds what `p` was parsed from (checked per call, without allocating). */
function unchanged(p: ParsedSettings, o: Record<string, unknown>): boolean {
  if (p.level !== o.level || p.version !== o.version || p.exemptions !== o.exemptions) return false;
  if (typeof o.exemptions !== 'object' || o.exemptions === null) return true;
  const ex = o.exemptions as Record<string, unknown>;
  for (let i = 0; i < LIST_KEYS.length; i++) {
    const list = ex[LIST_KEYS[i]!];
    if (p.lists[2 * i] !== list || p.lists[2 * i + 1] !== (Array.isArray(list) ? list.length : -1)) return false;
  }
  return true;
}

/** Parsed settings by the raw settings object: every pss rule passes the same one for every resource. */
const parsed = new WeakMap<object, ParsedSettings>();
let parsedDefault: ParsedSettings | undefined;

function parse(raw: unknown): ParsedSettings {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
  const hit = o ? parsed.get(o) : raw === undefined ? parsedDefault : undefined;
  if (hit && (!o || unchanged(hit, o))) return hit;
  const settings = pssSettings(raw);
  const key = `${settings.level}:${settings.version.minor}:${settings.exemptions.namespaces.join(',')}:${settings.exemptions.runtimeClasses.join(',')}`;
  const p: ParsedSettings = { settings, key, level: o?.level, version: o?.version, exemptions: o?.exemptions, lists: listsOf(o?.exemptions) };
  if (o) parsed.set(o, p);
  else if (raw === undefined) parsedDefault = p;
  return p;
}

/** Offences for a resource, or null when it has no pod or is exempt. Throws on invalid settings. */
export function pssResultFor(resource: Resource, rawSettings: unknown): ResourcePssResult | null {
  const { settings, key } = parse(rawSettings);
  let perResource = cache.get(resource.object);
  if (!perResource) cache.set(resource.object, (perResource = new Map()));
  const hit = perResource.get(key);
  if (hit !== undefined) return hit;
  const input = podInputOf(resource);
  let result: ResourcePssResult | null = null;
  if (input && !exemptionFor(settings.exemptions, resource.namespace, input)) {
    const { offences, malformed, allowed, evaluated } = attributeOffences(input, settings.level, settings.version.minor);
    result = { offences, malformed, level: settings.level, version: settings.version.label, allowed, evaluated };
  }
  perResource.set(key, result);
  return result;
}

const NONE: AttributedOffence[] = [];

/** The offences one pss/<check> rule reports. */
export function offencesForCheck(resource: Resource, rawSettings: unknown, check: string): AttributedOffence[] {
  const r = pssResultFor(resource, rawSettings);
  if (!r || r.offences.length === 0) return NONE;
  // Kept on the result (made here) rather than in a WeakMap keyed by it: see releasePssResults.
  const cached = r as CachedResult;
  let groups = cached[byCheck];
  if (!groups) {
    groups = new Map();
    for (const o of r.offences) {
      const list = groups.get(o.check);
      if (list) list.push(o);
      else groups.set(o.check, [o]);
    }
    cached[byCheck] = groups;
  }
  return groups.get(check) ?? NONE;
}

/**
 * The strongest enforce level admitting the pods of every resource given (restricted when none;
 * `strongestAdmitting` of their pod inputs), and how many carry pods. A pod the scan evaluated at
 * restricted and the same version (the default) is not evaluated at restricted again.
 */
export function strongestAdmittingResources(resources: readonly Resource[], rawSettings: unknown): { level: Level; evaluated: boolean; workloads: number } {
  const { settings } = parse(rawSettings);
  const minor = settings.version.minor;
  const shared = settings.level === 'restricted';
  let level: Level = 'restricted';
  let evaluated = true;
  let workloads = 0;
  for (const r of resources) {
    const input = podInputOf(r);
    if (!input) continue;
    workloads++;
    const s = strictestLevel(input, minor, (shared && pssResultFor(r, rawSettings)) || undefined);
    if (!s.evaluated) evaluated = false;
    if (compareLevels(s.level, level) < 0) level = s.level;
  }
  return { level, evaluated, workloads };
}
