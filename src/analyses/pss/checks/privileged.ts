// Privileged containers disable most isolation. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';

function privileged(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    const sc = pod.securityContext(c);
    if (pod.get(sc, 'privileged', c.scPath, 'boolean') === true) {
      bad.push(c.name);
      offences.push({ path: `${c.path}/securityContext/privileged`, message: `${c.label} sets securityContext.privileged=true`, fix: [{ op: 'set', path: `${c.path}/securityContext/privileged`, value: false }] });
    }
  }
  if (!bad.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'privileged', forbiddenDetail: `${containersPhrase(bad)} must not set securityContext.privileged=true`, offences };
}

export const privilegedCheck: CheckDef = { id: 'privileged', level: 'baseline', versions: [{ minVersion: 0, check: privileged }] };
