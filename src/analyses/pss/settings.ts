// PSS settings (config `pss:` section, `--pss-level`/`--pss-version`) and exemptions.
import { asArray, asObject } from '../../model/json.js';
import type { CheckLevel, PodInput } from './types.js';
import type { ResolvedVersion } from './version.js';
import { parseVersion } from './version.js';
import { runtimeClassOf } from './resource.js';

export interface Exemptions {
  /** Requesting users PSA does not check (only meaningful where a request has a user: admission). */
  usernames: string[];
  runtimeClasses: string[];
  namespaces: string[];
}

export interface PssSettings {
  level: CheckLevel;
  version: ResolvedVersion;
  exemptions: Exemptions;
}

export class PssSettingsError extends Error {}

/** Reads `settings.pss`; defaults restricted / latest. Throws on values that cannot mean anything (fail closed). */
export function pssSettings(raw: unknown): PssSettings {
  const o = asObject(raw) ?? {};
  const level = o.level ?? 'restricted';
  if (level !== 'baseline' && level !== 'restricted') throw new PssSettingsError(`invalid PSS level ${JSON.stringify(level)}: use baseline or restricted`);
  const version = parseVersion(o.version ?? 'latest');
  if (!version) throw new PssSettingsError(`invalid PSS version ${JSON.stringify(o.version)}: use latest or v1.N`);
  const ex = asObject(o.exemptions) ?? {};
  const list = (k: string) => asArray(ex[k]).flatMap((v) => (typeof v === 'string' ? [v] : []));
  return { level, version, exemptions: { usernames: list('usernames'), runtimeClasses: list('runtimeClasses'), namespaces: list('namespaces') } };
}

/** Why PSA would not evaluate this pod at all, or undefined. */
export function exemptionFor(ex: Exemptions, namespace: string | undefined, pod: PodInput): string | undefined {
  if (namespace !== undefined && ex.namespaces.includes(namespace)) return `namespace "${namespace}" is exempt`;
  const rc = runtimeClassOf(pod);
  if (rc !== undefined && ex.runtimeClasses.includes(rc)) return `runtimeClass "${rc}" is exempt`;
  return undefined;
}

