// Suppression by annotation and by config exception. Suppressed findings stay in the report.
import type { Resource } from '../model/types.js';
import type { Config, ExceptionEntry } from './config.js';
import { globMatch } from './config.js';
import type { Finding, Suppression } from './finding.js';

/** `ignore.rampart.dev/<family>.<name>: "<reason>"`, or `ignore.rampart.dev/all`. */
export const IGNORE_ANNOTATION_PREFIX = 'ignore.rampart.dev/';

export function annotationKeyFor(ruleId: string): string {
  return IGNORE_ANNOTATION_PREFIX + ruleId.replace('/', '.');
}

export interface AnnotationSuppression {
  suppression?: Suppression;
  /** Annotation found but without a reason: not honoured. */
  missingReason?: string;
}

/** Whether an object has any ignore annotation, worked out once per annotation map (asked per finding). */
const hasIgnore = new WeakMap<Record<string, string>, boolean>();

function mayIgnore(annotations: Record<string, string>): boolean {
  let has = hasIgnore.get(annotations);
  if (has === undefined) {
    has = false;
    for (const k in annotations) if (k.startsWith(IGNORE_ANNOTATION_PREFIX)) has = true;
    hasIgnore.set(annotations, has);
  }
  return has;
}

export function annotationSuppression(ruleId: string, r: Resource | undefined): AnnotationSuppression {
  if (!r || !mayIgnore(r.annotations)) return {};
  const family = ruleId.split('/')[0];
  for (const key of [annotationKeyFor(ruleId), `${IGNORE_ANNOTATION_PREFIX}${family}.all`, `${IGNORE_ANNOTATION_PREFIX}all`]) {
    const v = r.annotations[key];
    if (v === undefined) continue;
    if (v.trim().length === 0) return { missingReason: key };
    return { suppression: { kind: 'annotation', reason: v.trim(), source: key } };
  }
  return {};
}

// Most objects carry no ignore annotation: one pass over their keys spares building the three names.
export function isExpired(e: ExceptionEntry, now: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires + 'T00:00:00Z') <= now.getTime();
}

export function exceptionMatches(e: ExceptionEntry, f: Finding): boolean {
  if (!e.rules.some((p) => globMatch(p, f.ruleId))) return false;
  if (!e.resources || e.resources.length === 0) return true;
  return e.resources.some(
    (m) =>
      (m.kind === undefined || globMatch(m.kind, f.resource.kind)) &&
      (m.namespace === undefined || globMatch(m.namespace, f.resource.namespace ?? '')) &&
      (m.name === undefined || globMatch(m.name, f.resource.name)) &&
      (m.file === undefined || globMatch(m.file, f.location.file)),
  );
}

export function configSuppression(cfg: Config, f: Finding, now: Date): Suppression | undefined {
  for (const e of cfg.exceptions) {
    if (isExpired(e, now) || !exceptionMatches(e, f)) continue;
    const s: Suppression = { kind: 'config', reason: e.reason };
    if (e.expires) s.expires = e.expires;
    if (e.location) s.source = `${e.location.file}:${e.location.line}`;
    return s;
  }
  return undefined;
}
