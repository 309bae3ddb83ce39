// Container image rules: tags, digests, registries, known vulnerabilities.
import type { AnyRule } from '../../engine/rule.js';
import latestTag from './latest-tag.js';
import digest from './digest.js';
import registryAllowlist from './registry-allowlist.js';
import knownVulnerability from './known-vulnerability.js';
import pullPolicy from './pull-policy.js';
import implicitRegistry from './implicit-registry.js';

export const imageRules: AnyRule[] = [latestTag, digest, registryAllowlist, knownVulnerability, pullPolicy, implicitRegistry];
