// netpol rules (this family's own index; add each rule module here).
import type { AnyRule } from '../../engine/rule.js';
import namespaceDefaultDenyIngress from './namespace-default-deny-ingress.js';
import namespaceDefaultDenyEgress from './namespace-default-deny-egress.js';
import workloadNotSelected from './workload-not-selected.js';
import peerAllowsAll from './peer-allows-all.js';
import egressCloudMetadata from './egress-cloud-metadata.js';
import ingressFromAnywhere from './ingress-from-anywhere.js';
import invalidPolicy from './invalid-policy.js';
import danglingSelector from './dangling-selector.js';
import otherPolicyNotEvaluated from './other-policy-not-evaluated.js';

export const netpolRules: AnyRule[] = [namespaceDefaultDenyIngress, namespaceDefaultDenyEgress, workloadNotSelected, peerAllowsAll, egressCloudMetadata, ingressFromAnywhere, invalidPolicy, danglingSelector, otherPolicyNotEvaluated];
