// pss rules (this family's own index; add each rule module here).
import type { AnyRule } from '../../engine/rule.js';
import privileged from './privileged.js';
import hostNamespaces from './host-namespaces.js';
import hostPorts from './host-ports.js';
import hostPathVolumes from './host-path-volumes.js';
import capabilitiesBaseline from './capabilities-baseline.js';
import apparmorProfile from './apparmor-profile.js';
import windowsHostProcess from './windows-host-process.js';
import selinuxOptions from './selinux-options.js';
import seccompProfileBaseline from './seccomp-profile-baseline.js';
import procMount from './proc-mount.js';
import sysctls from './sysctls.js';
import hostProbesAndLifecycle from './host-probes-and-lifecycle.js';
import restrictedVolumes from './restricted-volumes.js';
import runAsNonRoot from './run-as-non-root.js';
import runAsUser from './run-as-user.js';
import allowPrivilegeEscalation from './allow-privilege-escalation.js';
import seccompProfileRestricted from './seccomp-profile-restricted.js';
import capabilitiesRestricted from './capabilities-restricted.js';
import procMountRestricted from './proc-mount-restricted.js';
import podNotEvaluable from './pod-not-evaluable.js';
import namespaceNoEnforce from './namespace-no-enforce.js';
import namespacePrivileged from './namespace-privileged.js';
import namespaceInvalidLabel from './namespace-invalid-label.js';
import namespaceOldVersion from './namespace-old-version.js';
import namespaceWarnAuditWeaker from './namespace-warn-audit-weaker.js';

/** One rule per upstream Pod Security Admission check, plus pod evaluability and namespace posture. */
export const pssRules: AnyRule[] = [
  privileged,
  hostNamespaces,
  hostPorts,
  hostPathVolumes,
  capabilitiesBaseline,
  apparmorProfile,
  windowsHostProcess,
  selinuxOptions,
  seccompProfileBaseline,
  procMount,
  sysctls,
  hostProbesAndLifecycle,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  allowPrivilegeEscalation,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
  podNotEvaluable,
  namespaceNoEnforce,
  namespacePrivileged,
  namespaceInvalidLabel,
  namespaceOldVersion,
  namespaceWarnAuditWeaker,
];
