// Unmasked /proc. Baseline since v1.0; from v1.35 any procMount is allowed for pods in a user
// namespace (hostUsers: false). The restricted level keeps the unconditional form from v1.35.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptUserNamespace, type PodReader } from '../pod.js';
import { containersPhrase, goQuote, joinQuote, sortedSet } from '../format.js';

export const PROC_MOUNT = 'procMount';

export function procMountUnconditional(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const pm = pod.get(pod.securityContext(c), 'procMount', scPath, 'string');
    if (pm !== undefined && pm !== 'Default') {
      bad.push(c.name);
      types.push(pm);
      offences.push({ path: `${scPath}/procMount`, message: `${c.label} sets securityContext.procMount=${goQuote(pm)}`, fix: [{ op: 'set', path: `${scPath}/procMount`, value: 'Default' }] });
    }
  }
  if (!bad.length) return { allowed: true, offences };
  return {
    allowed: false,
    forbiddenReason: 'procMount',
    forbiddenDetail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
    offences,
  };
}

export const procMountCheck: CheckDef = {
  id: PROC_MOUNT,
  level: 'baseline',
  versions: [
    { minVersion: 0, check: procMountUnconditional },
    { minVersion: 35, check: exceptUserNamespace(procMountUnconditional) },
  ],
};
