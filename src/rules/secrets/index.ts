// Secret-handling rules: credentials that end up in plain manifests.
import type { AnyRule } from '../../engine/rule.js';
import envLiteral from './env-literal.js';

export const secretsRules: AnyRule[] = [envLiteral];
