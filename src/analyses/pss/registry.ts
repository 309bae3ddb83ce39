// Which checks run at each level and policy version, in upstream's order (baseline ids sorted,
// then restricted ids sorted), with restricted revisions replacing the baseline checks they override.
import type { CheckDef, CheckLevel, VersionedCheck } from './types.js';
import { LATEST_MINOR } from './types.js';
import { byteOrder } from './format.js';
import { privilegedCheck } from './checks/privileged.js';
import { hostNamespacesCheck } from './checks/hostNamespaces.js';
import { hostPortsCheck } from './checks/hostPorts.js';
import { hostPathVolumesCheck } from './checks/hostPathVolumes.js';
import { capabilitiesBaselineCheck } from './checks/capabilitiesBaseline.js';
import { appArmorProfileCheck } from './checks/appArmorProfile.js';
import { windowsHostProcessCheck } from './checks/windowsHostProcess.js';
import { seLinuxOptionsCheck } from './checks/seLinuxOptions.js';
import { seccompProfileBaselineCheck } from './checks/seccompProfileBaseline.js';
import { procMountCheck } from './checks/procMount.js';
import { sysctlsCheck } from './checks/sysctls.js';
import { hostProbesAndHostLifecycleCheck } from './checks/hostProbesAndHostLifecycle.js';
import { restrictedVolumesCheck } from './checks/restrictedVolumes.js';
import { runAsNonRootCheck } from './checks/runAsNonRoot.js';
import { runAsUserCheck } from './checks/runAsUser.js';
import { allowPrivilegeEscalationCheck } from './checks/allowPrivilegeEscalation.js';
import { seccompProfileRestrictedCheck } from './checks/seccompProfileRestricted.js';
import { capabilitiesRestrictedCheck } from './checks/capabilitiesRestricted.js';
import { procMountRestrictedCheck } from './checks/procMountRestricted.js';

export const CHECKS: readonly CheckDef[] = [
  privilegedCheck,
  hostNamespacesCheck,
  hostPortsCheck,
  hostPathVolumesCheck,
  capabilitiesBaselineCheck,
  appArmorProfileCheck,
  windowsHostProcessCheck,
  seLinuxOptionsCheck,
  seccompProfileBaselineCheck,
  procMountCheck,
  sysctlsCheck,
  hostProbesAndHostLifecycleCheck,
  restrictedVolumesCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  allowPrivilegeEscalationCheck,
  seccompProfileRestrictedCheck,
  capabilitiesRestrictedCheck,
  procMountRestrictedCheck,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export function checkById(id: string): CheckDef | undefined {
  return CHECKS.find((c) => c.id === id);
}

export interface ActiveCheck {
  id: string;
  level: CheckLevel;
  revision: VersionedCheck;
}

/** The revision of a check in force at `minor`, if the check exists yet. */
export function revisionAt(check: CheckDef, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.minVersion <= minor) found = v;
  return found;
}

const ORDERED = [...CHECKS.filter((c) => c.level === 'baseline').sort((a, b) => byteOrder(a.id, b.id)), ...CHECKS.filter((c) => c.level === 'restricted').sort((a, b) => byteOrder(a.id, b.id))];

function build(level: CheckLevel, minor: number): ActiveCheck[] {
  const active: ActiveCheck[] = [];
  for (const c of ORDERED) {
    if (level === 'baseline' && c.level === 'restricted') continue;
    const revision = revisionAt(c, minor);
    if (revision) active.push({ id: c.id, level: c.level, revision });
  }
  if (level === 'baseline') return active;
  const overridden = new Set(active.flatMap((a) => (a.level === 'restricted' ? (a.revision.overrides ?? []) : [])));
  return active.filter((a) => a.level === 'restricted' || !overridden.has(a.id));
}

const TABLE: Record<CheckLevel, ActiveCheck[][]> = { baseline: [], restricted: [] };
for (let m = 0; m <= LATEST_MINOR; m++) {
  TABLE.baseline.push(build('baseline', m));
  TABLE.restricted.push(build('restricted', m));
}

/** Checks PSA runs at a level and (already resolved) minor version. */
export function activeChecks(level: CheckLevel, minor: number): readonly ActiveCheck[] {
  return TABLE[level][Math.min(Math.max(minor, 0), LATEST_MINOR)]!;
}

/** Per minor: the baseline checks (revisions in force) that each restricted check replaces. */
const OVERRIDDEN: Map<string, ActiveCheck[]>[] = [];
for (let m = 0; m <= LATEST_MINOR; m++) {
  const byCheck = new Map<string, ActiveCheck[]>();
  for (const c of CHECKS) {
    const replaced: ActiveCheck[] = [];
    for (const id of revisionAt(c, m)?.overrides ?? []) {
      const base = checkById(id)!;
      const revision = revisionAt(base, m);
      if (revision) replaced.push({ id, level: base.level, revision });
    }
    if (replaced.length) byCheck.set(c.id, replaced);
  }
  OVERRIDDEN.push(byCheck);
}

const NONE: readonly ActiveCheck[] = [];

/** The baseline checks a restricted check replaces at a minor version (none for most). */
export function overriddenBy(id: string, minor: number): readonly ActiveCheck[] {
  return OVERRIDDEN[Math.min(Math.max(minor, 0), LATEST_MINOR)]!.get(id) ?? NONE;
}

/** Minor versions at which some check's behaviour changes (for "pinned to an old version" advice). */
export function behaviourChangesAfter(minor: number): { id: string; minor: number }[] {
  const out: { id: string; minor: number }[] = [];
  for (const c of CHECKS) for (const v of c.versions) if (v.minVersion > minor) out.push({ id: c.id, minor: v.minVersion });
  return out.sort((a, b) => a.minor - b.minor || byteOrder(a.id, b.id));
}
