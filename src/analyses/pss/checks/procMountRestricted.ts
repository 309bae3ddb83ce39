// Unmasked /proc stays forbidden at restricted even in a user namespace. Restricted from v1.35,
// replacing the (now user-namespace-aware) baseline procMount check there.
import type { CheckDef } from '../types.js';
import { PROC_MOUNT, procMountUnconditional } from './procMount.js';

export const procMountRestrictedCheck: CheckDef = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minVersion: 35, check: procMountUnconditional, overrides: [PROC_MOUNT] }],
};
