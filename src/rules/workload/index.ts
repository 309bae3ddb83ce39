// Workload hardening rules beyond the Pod Security Standards.
import type { AnyRule } from '../../engine/rule.js';
import readOnlyRootFs from './read-only-root-fs.js';

export const workloadRules: AnyRule[] = [readOnlyRootFs];
