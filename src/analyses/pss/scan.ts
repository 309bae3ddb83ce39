// What scan rules need: for one resource, the offending fields per check at the configured level
// and version (computed once per resource and shared by all pss/* rules).
import type { Resource } from '../../model/types.js';
import type { Malformed } from './types.js';
import type { AttributedOffence } from './evaluate.js';
import { attributeOffences } from './evaluate.js';
import { podInputOf } from './resource.js';
import { exemptionFor, pssSettings } from './settings.js';

export interface ResourcePssResult {
  offences: AttributedOffence[];
  malformed: Malformed[];
  level: string;
  version: string;
}

const cache = new WeakMap<object, Map<string, ResourcePssResult | null>>();

/** Offences for a resource, or null when it has no pod or is exempt. Throws on invalid settings. */
export function pssResultFor(resource: Resource, rawSettings: unknown): ResourcePssResult | null {
  const settings = pssSettings(rawSettings);
  const key = `${settings.level}:${settings.version.minor}:${settings.exemptions.namespaces.join(',')}:${settings.exemptions.runtimeClasses.join(',')}`;
  let perResource = cache.get(resource.object);
  if (!perResource) cache.set(resource.object, (perResource = new Map()));
  const hit = perResource.get(key);
  if (hit !== undefined) return hit;
  const input = podInputOf(resource);
  let result: ResourcePssResult | null = null;
  if (input && !exemptionFor(settings.exemptions, resource.namespace, input)) {
    const { offences, malformed } = attributeOffences(input, settings.level, settings.version.minor);
    result = { offences, malformed, level: settings.level, version: settings.version.label };
  }
  perResource.set(key, result);
  return result;
}

/** The offences one pss/<check> rule reports. */
export function offencesForCheck(resource: Resource, rawSettings: unknown, check: string): AttributedOffence[] {
  const r = pssResultFor(resource, rawSettings);
  return r ? r.offences.filter((o) => o.check === check) : [];
}
