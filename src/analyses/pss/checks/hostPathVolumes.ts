// hostPath volumes expose the node's filesystem. Baseline, unchanged since v1.0.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { joinQuote, pluralize } from '../format.js';

export const HOST_PATH_VOLUMES = 'hostPathVolumes';

function hostPathVolumes(pod: PodReader): CheckResult {
  const names: string[] = [];
  const offences: Offence[] = [];
  for (const { item, path } of pod.objects(pod.spec, 'volumes', pod.specPath)) {
    if (pod.get(item, 'hostPath', path, 'object') !== undefined) {
      const name = pod.get(item, 'name', path, 'string') ?? '';
      names.push(name);
      offences.push({ path: `${path}/hostPath`, message: `volume "${name}" is a hostPath volume` });
    }
  }
  if (!names.length) return { allowed: true, offences };
  return { allowed: false, forbiddenReason: 'hostPath volumes', forbiddenDetail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, offences };
}

export const hostPathVolumesCheck: CheckDef = { id: HOST_PATH_VOLUMES, level: 'baseline', versions: [{ minVersion: 0, check: hostPathVolumes }] };
