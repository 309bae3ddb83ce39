// Windows HostProcess containers run directly on the host. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase } from '../format.js';

function windowsHostProcess(pod: PodReader): CheckResult {
  const setters: string[] = [];
  const offences: Offence[] = [];
  const bad: string[] = [];
  for (const c of pod.containers()) {
    const scPath = c.scPath;
    const wo = pod.get(pod.securityContext(c), 'windowsOptions', scPath, 'object');
    if (pod.get(wo, 'hostProcess', `${scPath}/windowsOptions`, 'boolean') === true) {
      bad.push(c.name);
      offences.push({ path: `${scPath}/windowsOptions/hostProcess`, message: `${c.label} sets securityContext.windowsOptions.hostProcess=true` });
    }
  }
  const psc = pod.podSecurityContextPath;
  const podWo = pod.get(pod.podSecurityContext(), 'windowsOptions', psc, 'object');
  if (pod.get(podWo, 'hostProcess', `${psc}/windowsOptions`, 'boolean') === true) {
    setters.push('pod');
    offences.unshift({ path: `${psc}/windowsOptions/hostProcess`, message: 'pod sets securityContext.windowsOptions.hostProcess=true' });
  }
  if (bad.length) setters.push(containersPhrase(bad));
  if (!setters.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'hostProcess', forbiddenDetail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, offences };
}

export const windowsHostProcessCheck: CheckDef = { id: 'windowsHostProcess', level: 'baseline', versions: [{ minVersion: 0, check: windowsHostProcess }] };
