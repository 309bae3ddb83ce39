// Migration helper: the strictest level each workload already satisfies, and per namespace the
// strongest enforce label that admits every workload in it today.
import type { Level, PodInput } from './types.js';
import { strictestLevel } from './evaluate.js';
import { compareLevels } from './version.js';

export interface WorkloadLevel {
  namespace: string;
  level: Level;
  evaluated: boolean;
}

export function workloadLevel(pod: PodInput, namespace: string, minor: number): WorkloadLevel {
  const s = strictestLevel(pod, minor);
  return { namespace, level: s.level, evaluated: s.evaluated };
}

export interface NamespaceSuggestion {
  namespace: string;
  /** Strongest enforce level that admits every workload (restricted when there are none). */
  enforce: Level;
  workloads: number;
  /** Workloads that keep the namespace below restricted, per level. */
  limitedBy: Record<Level, number>;
  /** Workloads that could not be evaluated: the suggestion is not safe until they are fixed. */
  notEvaluated: number;
}

export function suggestNamespaces(levels: readonly WorkloadLevel[], namespaces: Iterable<string> = []): NamespaceSuggestion[] {
  const by = new Map<string, NamespaceSuggestion>();
  const get = (ns: string) => {
    let s = by.get(ns);
    if (!s) by.set(ns, (s = { namespace: ns, enforce: 'restricted', workloads: 0, limitedBy: { privileged: 0, baseline: 0, restricted: 0 }, notEvaluated: 0 }));
    return s;
  };
  for (const ns of namespaces) get(ns);
  for (const w of levels) {
    const s = get(w.namespace);
    s.workloads++;
    s.limitedBy[w.level]++;
    if (!w.evaluated) s.notEvaluated++;
    if (compareLevels(w.level, s.enforce) < 0) s.enforce = w.level;
  }
  return [...by.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
}

/** Strongest enforce level admitting every pod-carrying resource given (restricted when none). */
export function strongestAdmitting(pods: readonly PodInput[], minor: number): { level: Level; evaluated: boolean } {
  let level: Level = 'restricted';
  let evaluated = true;
  for (const p of pods) {
    const s = strictestLevel(p, minor);
    if (!s.evaluated) evaluated = false;
    if (compareLevels(s.level, level) < 0) level = s.level;
  }
  return { level, evaluated };
}
