// Audit event rules (this family's own index; add each rule module here).
import type { EventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import anonymousAllowed from './anonymous-allowed.js';
import podExec from './pod-exec.js';
import ephemeralContainer from './ephemeral-container.js';
import workloadSecurity from './workload-security.js';
import workloadImage from './workload-image.js';
import systemNamespacePod from './system-namespace-pod.js';
import systemNamespaceWrite from './system-namespace-write.js';
import secretRead from './secret-read.js';
import clusterAdminGranted from './cluster-admin-granted.js';
import roleWidened from './role-widened.js';
import rolePodExec from './role-pod-exec.js';
import roleWritePrivileges from './role-write-privileges.js';
import systemRoleChanged from './system-role-changed.js';
import impersonation from './impersonation.js';
import saTokenRequest from './sa-token-request.js';
import csrApproved from './csr-approved.js';
import csrPrivilegedSubject from './csr-privileged-subject.js';
import staticPodTampering from './static-pod-tampering.js';
import admissionConfigChanged from './admission-config-changed.js';
import exposedService from './exposed-service.js';
import authFailureBurst from './auth-failure-burst.js';
import kubectlInPod from './kubectl-in-pod.js';
import eventsDeleted from './events-deleted.js';
import namespacePsaWeakened from './namespace-psa-weakened.js';
import nodesProxy from './nodes-proxy.js';
import recon from './recon.js';
import massDeletion from './mass-deletion.js';
import cronjobChanged from './cronjob-changed.js';
import configmapCredentials from './configmap-credentials.js';
import userNotAllowed from './user-not-allowed.js';
import namespaceNotAllowed from './namespace-not-allowed.js';
import resourceLifecycle from './resource-lifecycle.js';

export const auditRules: EventRule<AuditEvent>[] = [
  anonymousAllowed,
  podExec,
  ephemeralContainer,
  workloadSecurity,
  workloadImage,
  systemNamespacePod,
  systemNamespaceWrite,
  secretRead,
  clusterAdminGranted,
  roleWidened,
  rolePodExec,
  roleWritePrivileges,
  systemRoleChanged,
  impersonation,
  saTokenRequest,
  csrApproved,
  csrPrivilegedSubject,
  staticPodTampering,
  admissionConfigChanged,
  exposedService,
  authFailureBurst,
  kubectlInPod,
  eventsDeleted,
  namespacePsaWeakened,
  nodesProxy,
  recon,
  massDeletion,
  cronjobChanged,
  configmapCredentials,
  userNotAllowed,
  namespaceNotAllowed,
  resourceLifecycle,
] as EventRule<AuditEvent>[];
