// Host ports bind the node's network interface. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase, pluralize, sortedSet } from '../format.js';

function hostPorts(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const ports: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    let found = false;
    for (const { item, path } of pod.objects(c.obj, 'ports', c.path)) {
      const hp = pod.get(item, 'hostPort', path, 'integer');
      if (hp !== undefined && hp !== 0) {
        found = true;
        ports.push(String(hp));
        offences.push({ path: `${path}/hostPort`, message: `${c.label} uses hostPort ${hp}` });
      }
    }
    if (found) bad.push(c.name);
  }
  if (!bad.length) return { allowed: true, offences };
  const list = sortedSet(ports);
  return {
    allowed: false,
    forbiddenReason: 'hostPort',
    forbiddenDetail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
    offences,
  };
}

export const hostPortsCheck: CheckDef = { id: 'hostPorts', level: 'baseline', versions: [{ minVersion: 0, check: hostPorts }] };
