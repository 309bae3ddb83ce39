// runAsUser: 0 runs as root. Restricted from v1.23; from v1.35 pods in a user namespace are exempt.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptUserNamespace, type PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';

function runAsUser(pod: PodReader): CheckResult {
  const setters: string[] = [];
  const offences: Offence[] = [];
  const psc = pod.podSecurityContextPath;
  if (pod.get(pod.podSecurityContext(), 'runAsUser', psc, 'integer') === 0) {
    setters.push('pod');
    offences.push({ path: `${psc}/runAsUser`, message: 'pod sets securityContext.runAsUser=0' });
  }
  const bad: string[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    if (pod.get(pod.securityContext(c), 'runAsUser', scPath, 'integer') === 0) {
      bad.push(c.name);
      offences.push({ path: `${scPath}/runAsUser`, message: `${c.label} sets securityContext.runAsUser=0` });
    }
  }
  if (bad.length) setters.push(containersPhrase(bad));
  if (!setters.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'runAsUser=0', forbiddenDetail: `${setters.join(' and ')} must not set runAsUser=0`, offences };
}

export const runAsUserCheck: CheckDef = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minVersion: 23, check: runAsUser },
    { minVersion: 35, check: exceptUserNamespace(runAsUser) },
  ],
};
