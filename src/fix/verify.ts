// Honest verification: a fixed finding is one the re-scan no longer has, matched by identity
// (rule, object, field), never by line, since lines move when a file is edited.
import type { Finding } from '../engine/finding.js';

export function objectKey(f: Pick<Finding, 'resource'>): string {
  return `${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}`;
}

export function findingIdentity(f: Pick<Finding, 'ruleId' | 'resource' | 'location'>): string {
  return `${f.ruleId}|${objectKey(f)}|${f.location.path}`;
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * The findings of `after` that are still `before`'s: same rule, same object, and a field on the
 * same branch as the finding or one of its fix paths (a finding that moves deeper is not fixed).
 */
export function stillPresent(before: Pick<Finding, 'ruleId' | 'resource' | 'location' | 'fix'>, after: readonly Finding[]): Finding | undefined {
  const paths = [before.location.path, ...(before.fix ?? []).map((o) => o.path)];
  return after.find((f) => f.ruleId === before.ruleId && objectKey(f) === objectKey(before) && paths.some((p) => related(p, f.location.path)));
}
