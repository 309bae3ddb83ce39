// Levels and policy versions as the namespace labels and the CLI spell them.
import type { Level } from './types.js';
import { LATEST_MINOR } from './types.js';

export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

export function isLevel(v: unknown): v is Level {
  return v === 'privileged' || v === 'baseline' || v === 'restricted';
}

/** -1, 0, 1 as a is less strict than, as strict as, stricter than b. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

export interface ResolvedVersion {
  /** As given (`latest`, `v1.24`). */
  label: string;
  /** The v1 minor the checks evaluate at (`latest` and newer versions resolve to the newest implemented). */
  minor: number;
  latest: boolean;
}

/** Parses `latest` or `v1.N` (upstream's syntax); undefined when invalid. */
export function parseVersion(v: unknown): ResolvedVersion | undefined {
  if (v === 'latest') return { label: 'latest', minor: LATEST_MINOR, latest: true };
  if (typeof v !== 'string') return undefined;
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return { label: v, minor: Math.min(n, LATEST_MINOR), latest: false };
}

export function versionLabel(minor: number): string {
  return `v1.${minor}`;
}
