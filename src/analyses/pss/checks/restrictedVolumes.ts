// Only ephemeral/projected style volume sources. Restricted since v1.0; replaces hostPathVolumes there.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { HOST_PATH_VOLUMES } from './hostPathVolumes.js';

const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** Restricted sources in the order upstream names them when a volume matches several. */
const RESTRICTED = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

function restrictedVolumes(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  const offences: Offence[] = [];
  for (const { item, path } of pod.objects(pod.spec, 'volumes', pod.specPath)) {
    if (ALLOWED.some((k) => pod.get(item, k, path, 'object') !== undefined)) continue;
    // A volume with no source is defaulted to emptyDir by the API server before admission.
    const type = RESTRICTED.find((k) => pod.get(item, k, path, 'object') !== undefined);
    if (!type) continue;
    const name = pod.get(item, 'name', path, 'string') ?? '';
    bad.push(name);
    types.push(type);
    offences.push({ path: `${path}/${type}`, message: `volume "${name}" uses restricted volume type ${type}` });
  }
  if (!bad.length) return { allowed: true, offences };
  const list = sortedSet(types);
  return {
    allowed: false,
    forbiddenReason: 'restricted volume types',
    forbiddenDetail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
    offences,
  };
}

export const restrictedVolumesCheck: CheckDef = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minVersion: 0, check: restrictedVolumes, overrides: [HOST_PATH_VOLUMES] }],
};
