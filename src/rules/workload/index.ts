// Workload hardening rules beyond the Pod Security Standards.
import type { AnyRule } from '../../engine/rule.js';
import readOnlyRootFs from './read-only-root-fs.js';
import resourceLimits from './resource-limits.js';
import resourceRequests from './resource-requests.js';
import automountSaToken from './automount-sa-token.js';
import defaultServiceAccount from './default-service-account.js';
import defaultNamespace from './default-namespace.js';
import runtimeSocketMount from './runtime-socket-mount.js';
import dropNetRaw from './drop-net-raw.js';
import rootUid from './root-uid.js';
import probes from './probes.js';
import defaultSaAutomount from './default-sa-automount.js';

export const workloadRules: AnyRule[] = [
  readOnlyRootFs,
  resourceLimits,
  resourceRequests,
  automountSaToken,
  defaultServiceAccount,
  defaultNamespace,
  runtimeSocketMount,
  dropNetRaw,
  rootUid,
  probes,
  defaultSaAutomount,
];
