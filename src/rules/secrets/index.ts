// Secret-handling rules: credentials that end up in plain manifests.
import type { AnyRule } from '../../engine/rule.js';
import envLiteral from './env-literal.js';
import credentialValue from './credential-value.js';
import committedSecret from './committed-secret.js';
import secretType from './secret-type.js';
import envFromSecret from './env-from-secret.js';

export const secretsRules: AnyRule[] = [envLiteral, credentialValue, committedSecret, secretType, envFromSecret];
