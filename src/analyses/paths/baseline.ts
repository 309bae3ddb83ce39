// Paths already known (a previous `rampart paths -o json`, or keys in the scan rule's options):
// report only the new ones. A path's key is its target and the nodes it passes, so it survives
// edits that move lines but not a change of route.
import type { AttackPath, PathAnalysis } from './choke.js';
import { cutKey, withFixKey } from './graph.js';

/** `target: internet > workload:Deployment/shop/web > serviceaccount:shop/web > target:cluster-admin`. */
export function pathKey(p: Pick<AttackPath, 'target' | 'edges'>): string {
  return `${p.target}: ${[p.edges[0]?.from ?? 'internet', ...p.edges.map((e) => e.to)].join(' > ')}`;
}

export class BaselineError extends Error {}

/** The path keys of a previous `-o json` report; throws BaselineError when it is not one. */
export function baselineKeys(report: unknown): Set<string> {
  const paths = (report as { paths?: unknown } | null)?.paths;
  if (!Array.isArray(paths)) throw new BaselineError('not a `rampart paths -o json` report (no "paths" list)');
  const keys = new Set<string>();
  paths.forEach((p: unknown, i) => {
    const o = p as { target?: unknown; steps?: unknown };
    if (typeof o?.target !== 'string' || !Array.isArray(o.steps) || o.steps.some((s: unknown) => typeof (s as { from?: unknown })?.from !== 'string' || typeof (s as { to?: unknown })?.to !== 'string'))
      throw new BaselineError(`paths[${i}] has no target or steps with from/to`);
    keys.add(pathKey({ target: o.target as AttackPath['target'], edges: o.steps as AttackPath['edges'] }));
  });
  return keys;
}

/** The analysis limited to paths whose key is not known; choke points recounted on them (those that cut none dropped). */
export function onlyNewPaths(a: PathAnalysis, known: ReadonlySet<string>): PathAnalysis & { known: number } {
  const paths = a.paths.filter((p) => !known.has(pathKey(p)));
  const chokePoints = a.chokePoints
    .map((c) => withFixKey(c, { ...c, cuts: paths.filter((p) => p.edges.some((e) => e.cut && cutKey(e.cut) === cutKey(c))).length, of: paths.length }))
    .filter((c) => c.cuts > 0);
  return { ...a, paths, chokePoints, uncuttable: a.uncuttable.filter((t) => paths.some((p) => p.target === t)), known: a.paths.length - paths.length };
}
