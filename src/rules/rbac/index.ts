// rbac rules: risky grants in Roles/ClusterRoles, risky bindings, and escalation chains.
import type { AnyRule } from '../../engine/rule.js';
import wildcardRules from './wildcard-rules.js';
import secretsRead from './secrets-read.js';
import podExec from './pod-exec.js';
import createPods from './create-pods.js';
import escalateBindImpersonate from './escalate-bind-impersonate.js';
import nodesProxy from './nodes-proxy.js';
import csrApproval from './csr-approval.js';
import serviceAccountTokenCreate from './serviceaccount-token-create.js';
import webhookConfigWrite from './webhook-config-write.js';
import persistentVolumeCreate from './persistentvolume-create.js';
import clusterAdminBinding from './cluster-admin-binding.js';
import broadGroupBinding from './broad-group-binding.js';
import systemMastersBinding from './system-masters-binding.js';
import defaultServiceAccountBinding from './default-service-account-binding.js';
import clusterBindingNamespacedRole from './cluster-binding-namespaced-role.js';
import escalationPath from './escalation-path.js';
import bindingWrite from './binding-write.js';
import namespaceWrite from './namespace-write.js';
import nodeWrite from './node-write.js';
import serviceAccountCreate from './serviceaccount-create.js';
import kubeSystemConfigRead from './kube-system-config-read.js';
import operatorCrWrite from './operator-cr-write.js';
import admissionPolicyWrite from './admission-policy-write.js';
import aggregationDrift from './aggregation-drift.js';
import missingRole from './missing-role.js';
import serviceStatusWrite from './service-status-write.js';

export const rbacRules: AnyRule[] = [
  wildcardRules,
  secretsRead,
  podExec,
  createPods,
  escalateBindImpersonate,
  nodesProxy,
  csrApproval,
  serviceAccountTokenCreate,
  webhookConfigWrite,
  persistentVolumeCreate,
  bindingWrite,
  namespaceWrite,
  nodeWrite,
  serviceAccountCreate,
  kubeSystemConfigRead,
  operatorCrWrite,
  admissionPolicyWrite,
  aggregationDrift,
  clusterAdminBinding,
  broadGroupBinding,
  systemMastersBinding,
  defaultServiceAccountBinding,
  clusterBindingNamespacedRole,
  escalationPath,
  missingRole,
  serviceStatusWrite,
];
