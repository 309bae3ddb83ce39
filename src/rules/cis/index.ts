// cis rules (this family's own index; add each rule module here).
import type { AnyRule } from '../../engine/rule.js';
import { controlPlaneFlagRules } from './control-plane-flags.js';
import { kubeletRules } from './kubelet.js';
import { nodeFileRules } from './node-files.js';
import encryptionSecretsCovered from './encryption-secrets-covered.js';
import encryptionIdentityFirst from './encryption-identity-first.js';
import encryptionProviderStrength from './encryption-provider-strength.js';
import auditPolicyCatchAll from './audit-policy-catch-all.js';
import auditPolicySensitiveBodies from './audit-policy-sensitive-bodies.js';
import auditPolicyDropsImportant from './audit-policy-drops-important.js';
import kubeProxyMetricsBind from './kube-proxy-metrics-bind.js';
import authorizationConfig from './authorization-config.js';
import etcdUniqueCa from './etcd-unique-ca.js';

export const cisRules: AnyRule[] = [
  ...controlPlaneFlagRules,
  ...kubeletRules,
  encryptionSecretsCovered,
  encryptionIdentityFirst,
  encryptionProviderStrength,
  auditPolicyCatchAll,
  auditPolicySensitiveBodies,
  auditPolicyDropsImportant,
  kubeProxyMetricsBind,
  authorizationConfig,
  etcdUniqueCa,
  ...nodeFileRules,
];
