// Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE. Restricted from
// v1.22 (replacing the baseline capabilities check there); from v1.25 Windows pods are exempt.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import { exceptWindows, type PodReader } from '../pod.js';
import { containersPhrase, joinQuote, sortedSet } from '../format.js';
import { CAPABILITIES_BASELINE } from './capabilitiesBaseline.js';

function capabilitiesRestricted(pod: PodReader): CheckResult {
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const sc = pod.securityContext(c);
    const capObj = pod.get(sc, 'capabilities', scPath, 'object');
    if (!capObj) {
      missingDrop.push(c.name);
      offences.push({ path: sc ? scPath : c.path, message: `${c.label} does not set securityContext.capabilities.drop=["ALL"]`, fix: [{ op: 'set', path: `${scPath}/capabilities/drop`, value: ['ALL'] }] });
      continue;
    }
    const capPath = `${scPath}/capabilities`;
    const drop = pod.strings(capObj, 'drop', capPath);
    if (!drop.some((d) => d.value === 'ALL')) {
      missingDrop.push(c.name);
      offences.push({ path: capObj.drop !== undefined && capObj.drop !== null ? `${capPath}/drop` : capPath, message: `${c.label} does not drop ALL capabilities`, fix: [{ op: 'set', path: `${capPath}/drop`, value: ['ALL'] }] });
    }
    let added = false;
    for (const { value, path } of pod.strings(capObj, 'add', capPath)) {
      if (value !== 'NET_BIND_SERVICE') {
        added = true;
        caps.push(value);
        offences.push({ path, message: `${c.label} adds capability ${value}` });
      }
    }
    if (added) adding.push(c.name);
  }
  const details: string[] = [];
  if (missingDrop.length) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
  if (!details.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'unrestricted capabilities', forbiddenDetail: details.join('; '), offences };
}

export const capabilitiesRestrictedCheck: CheckDef = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minVersion: 22, check: capabilitiesRestricted, overrides: [CAPABILITIES_BASELINE] },
    { minVersion: 25, check: exceptWindows(capabilitiesRestricted), overrides: [CAPABILITIES_BASELINE] },
  ],
};
