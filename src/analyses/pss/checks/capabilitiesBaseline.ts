// Adding capabilities beyond the container runtime's default set. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase, joinQuote, sortedSet } from '../format.js';

export const CAPABILITIES_BASELINE = 'capabilities_baseline';

/** The default capability set of container runtimes; adding any of these changes nothing. */
export const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const caps: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const capObj = pod.get(pod.securityContext(c), 'capabilities', scPath, 'object');
    if (!capObj) continue;
    let found = false;
    for (const { value, path } of pod.strings(capObj, 'add', `${scPath}/capabilities`)) {
      if (!DEFAULT_CAPABILITIES.has(value)) {
        found = true;
        caps.push(value);
        offences.push({ path, message: `${c.label} adds capability ${value}` });
      }
    }
    if (found) bad.push(c.name);
  }
  if (!bad.length) return { allowed: true, offences };
  return {
    allowed: false,
    forbiddenReason: 'non-default capabilities',
    forbiddenDetail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
    offences,
  };
}

export const capabilitiesBaselineCheck: CheckDef = { id: CAPABILITIES_BASELINE, level: 'baseline', versions: [{ minVersion: 0, check: capabilitiesBaseline }] };
