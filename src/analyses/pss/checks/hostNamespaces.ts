// Sharing the host's network, PID or IPC namespace. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function hostNamespaces(pod: PodReader): CheckResult {
  const set: string[] = [];
  const offences: Offence[] = [];
  for (const f of FIELDS) {
    if (pod.get(pod.spec, f, pod.specPath, 'boolean') === true) {
      set.push(`${f}=true`);
      offences.push({ path: `${pod.specPath}/${f}`, message: `pod sets ${f}=true`, fix: [{ op: 'set', path: `${pod.specPath}/${f}`, value: false }] });
    }
  }
  if (!set.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'host namespaces', forbiddenDetail: set.join(', '), offences };
}

export const hostNamespacesCheck: CheckDef = { id: 'hostNamespaces', level: 'baseline', versions: [{ minVersion: 0, check: hostNamespaces }] };
