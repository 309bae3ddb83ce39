// Containers must run as non-root. Restricted since v1.0; from v1.35 pods in a user namespace
// (hostUsers: false) are exempt.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptUserNamespace, type PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';

function runAsNonRoot(pod: PodReader): CheckResult {
  const setters: string[] = [];
  const offences: Offence[] = [];
  const psc = pod.podSecurityContextPath;
  const podSc = pod.podSecurityContext();
  const podValue = pod.get(podSc, 'runAsNonRoot', psc, 'boolean');
  if (podValue === false) {
    setters.push('pod');
    offences.push({ path: `${psc}/runAsNonRoot`, message: 'pod sets securityContext.runAsNonRoot=false', fix: [{ op: 'set', path: `${psc}/runAsNonRoot`, value: true }] });
  }
  const podTrue = podValue === true;
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitOffences: Offence[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const sc = pod.securityContext(c);
    const v = pod.get(sc, 'runAsNonRoot', scPath, 'boolean');
    if (v !== undefined) {
      if (!v) {
        explicit.push(c.name);
        offences.push({ path: `${scPath}/runAsNonRoot`, message: `${c.label} sets securityContext.runAsNonRoot=false`, fix: [{ op: 'set', path: `${scPath}/runAsNonRoot`, value: true }] });
      }
    } else if (!podTrue) {
      implicit.push(c.name);
      implicitOffences.push({ path: sc ? scPath : c.path, message: `${c.label} does not set securityContext.runAsNonRoot=true (nor does the pod)`, fix: [{ op: 'set', path: `${scPath}/runAsNonRoot`, value: true }] });
    }
  }
  if (explicit.length) setters.push(containersPhrase(explicit));
  if (setters.length) {
    return { allowed: false, forbiddenReason: 'runAsNonRoot != true', forbiddenDetail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`, offences: [...offences, ...implicitOffences] };
  }
  if (implicit.length) {
    return { allowed: false, forbiddenReason: 'runAsNonRoot != true', forbiddenDetail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`, offences: implicitOffences };
  }
  return { allowed: true, offences: [] };
}

export const runAsNonRootCheck: CheckDef = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minVersion: 0, check: runAsNonRoot },
    { minVersion: 35, check: exceptUserNamespace(runAsNonRoot) },
  ],
};
