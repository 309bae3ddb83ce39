// paths rules: attack paths across exposure, NetworkPolicy, breakout and RBAC (analyses/paths).
import type { AnyRule } from '../../engine/rule.js';
import internetToClusterAdmin from './internet-to-cluster-admin.js';

export const pathsRules: AnyRule[] = [internetToClusterAdmin];
