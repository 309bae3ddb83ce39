// EncryptionConfiguration analysis: which provider actually protects Secrets at rest.
// Key material in the file is never copied into results.
import type { JsonObject } from '../../model/types.js';
import { asArray, asString, isObject, pointer } from '../../model/json.js';

export const ENCRYPTION_KIND = 'EncryptionConfiguration';
export const PROVIDER_TYPES = ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface ProviderInfo {
  /** Provider type, or undefined when the entry is not one object with exactly one known key. */
  type?: ProviderType;
  /** For kms: `v1` (the default when apiVersion is absent) or `v2`. */
  kmsVersion?: string;
  /** Keys written in the entry (for messages about unknown providers); never values. */
  keys: string[];
  path: string;
}

export interface ResourceEntry {
  index: number;
  path: string;
  resources: string[];
  providers: ProviderInfo[];
}

export interface EncryptionAnalysis {
  entries: ResourceEntry[];
  /** The first entry whose resources match core `secrets` (the one the API server uses). */
  secrets?: ResourceEntry;
}

/** Does a `resources` item cover core-group Secrets? `secrets`, `*.` (all core) and `*.*` (everything) do. */
export function coversSecrets(resource: string): boolean {
  const r = resource.trim();
  return r === 'secrets' || r === '*.' || r === '*.*';
}

function providerInfo(v: unknown, path: string): ProviderInfo {
  if (!isObject(v)) return { keys: [], path };
  const keys = Object.keys(v);
  const info: ProviderInfo = { keys, path };
  if (keys.length === 1 && (PROVIDER_TYPES as readonly string[]).includes(keys[0]!)) {
    info.type = keys[0] as ProviderType;
    if (info.type === 'kms') info.kmsVersion = asString((v.kms as JsonObject | undefined)?.apiVersion) ?? 'v1';
  }
  return info;
}

export function analyseEncryption(obj: JsonObject): EncryptionAnalysis {
  const entries: ResourceEntry[] = asArray(obj.resources).map((e, index) => {
    const path = pointer('resources', index);
    const resources = isObject(e) ? asArray(e.resources).filter((x): x is string => typeof x === 'string') : [];
    const providers = isObject(e) ? asArray(e.providers).map((p, j) => providerInfo(p, `${path}/providers/${j}`)) : [];
    return { index, path, resources, providers };
  });
  const secrets = entries.find((e) => e.resources.some(coversSecrets));
  return secrets ? { entries, secrets } : { entries };
}

/** Why a provider is weaker than KMS v2, or undefined when it is KMS v2. */
export function providerWeakness(p: ProviderInfo): { severity: 'medium' | 'low'; reason: string } | undefined {
  switch (p.type) {
    case 'kms':
      return p.kmsVersion === 'v2' ? undefined : { severity: 'medium', reason: `KMS ${p.kmsVersion} is deprecated (off by default since Kubernetes 1.29) and slow; use kms apiVersion: v2` };
    case 'aescbc':
      return { severity: 'medium', reason: 'aescbc is discouraged: CBC is open to padding-oracle attacks and the key sits in this file on the control-plane disk; prefer KMS v2' };
    case 'aesgcm':
      return { severity: 'low', reason: 'aesgcm needs a new key every 200,000 writes and keeps the key in this file; prefer KMS v2' };
    case 'secretbox':
      return { severity: 'low', reason: 'secretbox keeps the key in this file on the control-plane disk; KMS v2 keeps the key-encryption key outside the node' };
    case 'identity':
      return undefined; // handled as plaintext
    default:
      return { severity: 'medium', reason: `provider entry ${p.keys.length ? `with keys ${p.keys.join(', ')}` : ''} is not one of ${PROVIDER_TYPES.join(', ')}; the API server would refuse this file` };
  }
}
