// Overriding or disabling the default AppArmor profile. Baseline, unchanged since v1.0; reads both
// the securityContext fields and the older per-container beta annotations.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase, goQuote, joinQuote, pluralize, sortedSet } from '../format.js';
import { pointer } from '../../../model/json.js';

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

function allowedAnnotation(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function appArmorProfile(pod: PodReader): CheckResult {
  const setters: string[] = [];
  const values: string[] = [];
  const offences: Offence[] = [];
  const psc = pod.podSecurityContextPath;
  const podProfile = pod.get(pod.podSecurityContext(), 'appArmorProfile', psc, 'object');
  if (podProfile) {
    const t = pod.get(podProfile, 'type', `${psc}/appArmorProfile`, 'string') ?? '';
    if (!ALLOWED_TYPES.has(t)) {
      setters.push('pod');
      values.push(t);
      offences.push({ path: `${psc}/appArmorProfile${t ? '/type' : ''}`, message: `pod sets AppArmor profile type ${goQuote(t)}` });
    }
  }
  const bad: string[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const prof = pod.get(pod.securityContext(c), 'appArmorProfile', scPath, 'object');
    if (!prof) continue;
    const t = pod.get(prof, 'type', `${scPath}/appArmorProfile`, 'string') ?? '';
    if (!ALLOWED_TYPES.has(t)) {
      bad.push(c.name);
      values.push(t);
      offences.push({ path: `${scPath}/appArmorProfile${t ? '/type' : ''}`, message: `${c.label} sets AppArmor profile type ${goQuote(t)}` });
    }
  }
  if (bad.length) setters.push(containersPhrase(bad));
  const annotations: string[] = [];
  for (const [k, v] of Object.entries(pod.annotations)) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAnnotation(v)) {
      annotations.push(`${k}=${goQuote(v)}`);
      offences.push({ path: `${pod.input.metadataPath}/annotations${pointer(k)}`, message: `annotation ${k} sets AppArmor profile ${goQuote(v)}` });
    }
  }
  const valueList = sortedSet(values);
  if (annotations.length) {
    valueList.push(...annotations.sort());
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (!setters.length) return { allowed: true, offences };
  return {
    allowed: false,
    forbiddenReason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length),
    forbiddenDetail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}`,
    offences,
  };
}

export const appArmorProfileCheck: CheckDef = { id: 'appArmorProfile', level: 'baseline', versions: [{ minVersion: 0, check: appArmorProfile }] };
