// Disabling seccomp. Baseline: before v1.19 the alpha annotations, from v1.19 the securityContext fields.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase, goQuote, joinQuote, pluralize, sortedSet } from '../format.js';
import { pointer } from '../../../model/json.js';

export const SECCOMP_BASELINE = 'seccompProfile_baseline';
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccompType(t: string): boolean {
  return t === 'Localhost' || t === 'RuntimeDefault';
}

function validAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompAnnotations(pod: PodReader): CheckResult {
  const forbidden: string[] = [];
  const offences: Offence[] = [];
  const annPath = (k: string) => `${pod.input.metadataPath}/annotations${pointer(k)}`;
  const consider = (key: string) => {
    if (!(key in pod.annotations)) return;
    const v = pod.annotations[key]!;
    if (validAnnotationValue(v)) return;
    const entry = `${key}=${goQuote(v)}`;
    if (!forbidden.includes(entry)) offences.push({ path: annPath(key), message: `annotation ${key} sets seccomp profile ${goQuote(v)}` });
    forbidden.push(entry);
  };
  consider(SECCOMP_POD_ANNOTATION);
  for (const c of pod.containers()) consider(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name);
  const list = sortedSet(forbidden);
  if (!list.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'seccompProfile', forbiddenDetail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`, offences };
}

/** Explicitly bad seccompProfile.type values on the pod and containers (shared with the restricted check). */
export function explicitSeccomp(pod: PodReader) {
  const setters: string[] = [];
  const values: string[] = [];
  const offences: Offence[] = [];
  let podValid = false;
  const psc = pod.podSecurityContextPath;
  const podProfile = pod.get(pod.podSecurityContext(), 'seccompProfile', psc, 'object');
  if (podProfile) {
    const t = pod.get(podProfile, 'type', `${psc}/seccompProfile`, 'string') ?? '';
    if (!validSeccompType(t)) {
      setters.push('pod');
      values.push(t);
      offences.push({ path: `${psc}/seccompProfile${t ? '/type' : ''}`, message: `pod sets securityContext.seccompProfile.type ${goQuote(t)}` });
    } else podValid = true;
  }
  const bad: string[] = [];
  const unset: { name: string; label: string; path: string }[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const sc = pod.securityContext(c);
    const prof = pod.get(sc, 'seccompProfile', scPath, 'object');
    if (prof) {
      const t = pod.get(prof, 'type', `${scPath}/seccompProfile`, 'string') ?? '';
      if (!validSeccompType(t)) {
        bad.push(c.name);
        values.push(t);
        offences.push({ path: `${scPath}/seccompProfile${t ? '/type' : ''}`, message: `${c.label} sets securityContext.seccompProfile.type ${goQuote(t)}` });
      }
    } else unset.push({ name: c.name, label: c.label, path: sc ? scPath : c.path });
  }
  if (bad.length) setters.push(containersPhrase(bad));
  return { setters, values: sortedSet(values), offences, podValid, unset };
}

export function explicitSeccompDetail(setters: string[], values: string[]): string {
  return `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(values)}`;
}

function seccompFields(pod: PodReader): CheckResult {
  const { setters, values, offences } = explicitSeccomp(pod);
  if (!setters.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'seccompProfile', forbiddenDetail: explicitSeccompDetail(setters, values), offences };
}

export const seccompProfileBaselineCheck: CheckDef = {
  id: SECCOMP_BASELINE,
  level: 'baseline',
  versions: [
    { minVersion: 0, check: seccompAnnotations },
    { minVersion: 19, check: seccompFields },
  ],
};
