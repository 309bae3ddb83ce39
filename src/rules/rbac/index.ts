// rbac rules (this family's own index; add each rule module here).
import type { AnyRule } from '../../engine/rule.js';

export const rbacRules: AnyRule[] = [];
