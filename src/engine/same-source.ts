// One finding per source location: a Kustomize base behind six overlays (or a chart rendered twice)
// yields the same finding six times, each pointing at the same line of the same file. The user
// edits that line once, so it is reported once, listing every rendered object it affects.
import type { Position, ResourceRef } from '../model/types.js';
import { severityRank } from '../model/types.js';
import type { Finding } from './finding.js';

export interface Occurrence {
  resource: ResourceRef;
  rendered?: Position;
}

function sourceKey(f: Finding): string | undefined {
  // Only findings mapped to a source the user edits can share a line across renders; a plain file's
  // line belongs to one object (its List items have distinct paths).
  if (!f.location.mapping || !f.location.file || f.location.line <= 0) return undefined;
  const l = f.location;
  return [f.ruleId, l.file, l.line, l.column, l.path, f.suppressed ? 's' : ''].join('\u0000');
}

/** Merges findings of one rule at one source position; the survivor lists `occurrences`. Keeps order. */
export function mergeSameSource(findings: Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const k = sourceKey(f);
    const kept = k === undefined ? undefined : first.get(k);
    if (!kept) {
      if (k !== undefined) first.set(k, f);
      out.push(f);
      continue;
    }
    kept.occurrences ??= [occurrenceOf(kept)];
    kept.occurrences.push(occurrenceOf(f));
    if (severityRank(f.severity) > severityRank(kept.severity)) kept.severity = f.severity;
  }
  for (const f of out) {
    if (f.occurrences && f.occurrences.length > 1) f.message += ` (in ${f.occurrences.length} rendered objects from this one source line)`;
  }
  return out;
}

function occurrenceOf(f: Finding): Occurrence {
  return { resource: f.resource, ...(f.rendered ? { rendered: f.rendered } : {}) };
}
