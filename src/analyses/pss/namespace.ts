// Namespace posture: what the pod-security.kubernetes.io labels enforce, and where that is weak.
import type { Level } from './types.js';
import { LATEST_MINOR } from './types.js';
import { compareLevels, isLevel, parseVersion, type ResolvedVersion } from './version.js';
import { activeChecks, behaviourChangesAfter } from './registry.js';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export type Mode = 'enforce' | 'audit' | 'warn';
export const MODES: readonly Mode[] = ['enforce', 'audit', 'warn'];

export interface ModePolicy {
  level: Level;
  version: ResolvedVersion;
  /** Whether the level / version label is present (else the admission defaults apply). */
  levelSet: boolean;
  versionSet: boolean;
}

export interface LabelProblem {
  label: string;
  value: string;
  message: string;
}

export interface NamespacePolicy {
  enforce: ModePolicy;
  audit: ModePolicy;
  warn: ModePolicy;
  problems: LabelProblem[];
}

const LATEST = parseVersion('latest')!;

/**
 * Resolves the labels as the admission plugin does with its default configuration
 * (privileged/latest for every mode): an invalid enforce level fails closed to restricted, an
 * invalid audit or warn level fails open to privileged, an invalid version means latest, and warn
 * follows a stricter enforce level when warn is not set.
 */
export function namespacePolicy(labels: Record<string, string>): NamespacePolicy {
  const problems: LabelProblem[] = [];
  const mode = (m: Mode): ModePolicy => {
    const lk = `${LABEL_PREFIX}${m}`;
    const vk = `${LABEL_PREFIX}${m}-version`;
    const p: ModePolicy = { level: 'privileged', version: LATEST, levelSet: lk in labels, versionSet: vk in labels };
    if (p.levelSet) {
      const v = labels[lk]!;
      if (isLevel(v)) p.level = v;
      else {
        p.level = m === 'enforce' ? 'restricted' : 'privileged';
        problems.push({ label: lk, value: v, message: `must be one of privileged, baseline, restricted; PSA treats it as ${p.level}` });
      }
    }
    if (p.versionSet) {
      const v = labels[vk]!;
      const parsed = parseVersion(v);
      if (parsed) p.version = parsed;
      else problems.push({ label: vk, value: v, message: 'must be "latest" or "v1.x"; PSA treats it as latest' });
    }
    return p;
  };
  const enforce = mode('enforce');
  const audit = mode('audit');
  const warn = mode('warn');
  const enforceValid = enforce.levelSet && !problems.some((p) => p.label === `${LABEL_PREFIX}enforce`);
  if (!warn.levelSet && enforceValid && compareLevels(enforce.level, warn.level) > 0) {
    warn.level = enforce.level;
    if (!warn.versionSet) warn.version = enforce.version;
  }
  return { enforce, audit, warn, problems };
}

/** Checks whose behaviour at `level` changed after the pinned version (what pinning misses). */
export function changesSincePinned(level: Level, minor: number): { id: string; minor: number }[] {
  if (level === 'privileged' || minor >= LATEST_MINOR) return [];
  const relevant = new Set([...activeChecks(level, LATEST_MINOR)].map((c) => c.id));
  return behaviourChangesAfter(minor).filter((c) => relevant.has(c.id));
}

/** A mode that checks less than enforce: a weaker level, or the same level pinned to an older version. */
export function weakerThanEnforce(p: NamespacePolicy, m: 'audit' | 'warn'): string | undefined {
  const e = p.enforce;
  const o = p[m];
  if (!o.levelSet && !o.versionSet) return undefined;
  if (e.level === 'privileged') return undefined;
  if (compareLevels(o.level, e.level) < 0) return `${m} level ${o.level} is weaker than enforce level ${e.level}`;
  if (compareLevels(o.level, e.level) === 0 && o.version.minor < e.version.minor) return `${m} version ${o.version.label} is older than enforce version ${e.version.label}`;
  return undefined;
}
