// exposure rules: what Services, Ingresses and host networking open to the outside.
import type { AnyRule } from '../../engine/rule.js';
import lbSourceRanges from './lb-source-ranges.js';
import nodePort from './node-port.js';
import externalIps from './external-ips.js';
import ingressTls from './ingress-tls.js';
import sensitivePort from './sensitive-port.js';
import hostNetwork from './host-network.js';

export const exposureRules: AnyRule[] = [lbSourceRanges, nodePort, externalIps, ingressTls, sensitivePort, hostNetwork];
