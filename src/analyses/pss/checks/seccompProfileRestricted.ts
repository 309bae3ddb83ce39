// A seccomp profile must be set (RuntimeDefault or Localhost). Restricted from v1.19 (replacing the
// baseline seccomp check there); from v1.25 Windows pods are exempt.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptWindows, type PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';
import { explicitSeccomp, explicitSeccompDetail, SECCOMP_BASELINE } from './seccompProfileBaseline.js';

function seccompProfileRestricted(pod: PodReader): CheckResult {
  const { setters, values, offences, podValid, unset } = explicitSeccomp(pod);
  const implicit = podValid ? [] : unset;
  const implicitOffences: Offence[] = implicit.map((c) => ({ path: c.path, message: `${c.label} does not set securityContext.seccompProfile (nor does the pod)`, fix: [{ op: 'set', path: `${pod.podSecurityContextPath}/seccompProfile/type`, value: 'RuntimeDefault' }] }));
  if (setters.length) return { allowed: false, forbiddenReason: 'seccompProfile', forbiddenDetail: explicitSeccompDetail(setters, values), offences: [...offences, ...implicitOffences] };
  if (implicit.length) {
    return {
      allowed: false,
      forbiddenReason: 'seccompProfile',
      forbiddenDetail: `pod or ${containersPhrase(implicit.map((c) => c.name))} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      offences: implicitOffences,
    };
  }
  return { allowed: true, offences: [] };
}

export const seccompProfileRestrictedCheck: CheckDef = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minVersion: 19, check: seccompProfileRestricted, overrides: [SECCOMP_BASELINE] },
    { minVersion: 25, check: exceptWindows(seccompProfileRestricted), overrides: [SECCOMP_BASELINE] },
  ],
};
