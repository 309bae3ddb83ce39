// Honest verification: a fixed finding is one the re-scan no longer has, matched by identity
// (rule, object, field), never by line, since lines move when a file is edited.
import type { Finding } from '../engine/finding.js';
import type { Resource } from '../model/types.js';

/**
 * The object a finding is about: kind, namespace and name, and where it comes from (the rendered
 * output's file, else the manifest), so same-named copies in two files stay apart. Neither moves
 * when a fix is written.
 */
export function objectKey(f: Pick<Finding, 'resource' | 'location' | 'rendered'>): string {
  return `${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}|${f.rendered?.file ?? f.location.file}`;
}

export function findingIdentity(f: Pick<Finding, 'ruleId' | 'resource' | 'location' | 'rendered'>): string {
  return `${f.ruleId}|${objectKey(f)}|${f.location.path}`;
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * The findings of `after` that are still `before`'s: same rule, same object, and a field on the
 * same branch as the finding or one of its fix paths (a finding that moves deeper is not fixed).
 */
export function stillPresent(before: Pick<Finding, 'ruleId' | 'resource' | 'location' | 'rendered' | 'fix'>, after: readonly Finding[]): Finding | undefined {
  const paths = [before.location.path, ...(before.fix ?? []).map((o) => o.path)];
  return after.find((f) => f.ruleId === before.ruleId && objectKey(f) === objectKey(before) && paths.some((p) => related(p, f.location.path)));
}

/** The resource a finding is about; among same-named objects, the one whose locator gives its location. */
export function resourceFor(f: Finding, resources: readonly Resource[]): Resource | undefined {
  const same = resources.filter((r) => r.kind === f.resource.kind && r.name === f.resource.name && (r.namespace ?? '') === (f.resource.namespace ?? '') && r.apiVersion === f.resource.apiVersion);
  if (same.length <= 1) return same[0];
  return same.find((r) => {
    const l = r.locator.locate(f.location.path.slice(r.basePath.length));
    return l.file === f.location.file && l.line === f.location.line;
  });
}
