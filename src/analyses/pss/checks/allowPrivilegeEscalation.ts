// setuid binaries and file capabilities must not raise privileges. Restricted from v1.8 (when the
// field appeared); from v1.25 Windows pods (spec.os.name: windows) are exempt.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptWindows, type PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';

function allowPrivilegeEscalation(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const sc = pod.securityContext(c);
    const v = pod.get(sc, 'allowPrivilegeEscalation', scPath, 'boolean');
    if (v === false) continue;
    bad.push(c.name);
    const fix = [{ op: 'set' as const, path: `${scPath}/allowPrivilegeEscalation`, value: false }];
    offences.push(
      v === true
        ? { path: `${scPath}/allowPrivilegeEscalation`, message: `${c.label} sets securityContext.allowPrivilegeEscalation=true`, fix }
        : { path: sc ? scPath : c.path, message: `${c.label} does not set securityContext.allowPrivilegeEscalation=false`, fix },
    );
  }
  if (!bad.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'allowPrivilegeEscalation != false', forbiddenDetail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`, offences };
}

export const allowPrivilegeEscalationCheck: CheckDef = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minVersion: 8, check: allowPrivilegeEscalation },
    { minVersion: 25, check: exceptWindows(allowPrivilegeEscalation) },
  ],
};
