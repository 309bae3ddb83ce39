// Every built-in rule, by family. Each family owns its own index file.
import type { AnyRule, EventRule, RuleMeta } from '../engine/rule.js';
import { Registry } from '../engine/registry.js';
import { workloadRules } from './workload/index.js';
import { pssRules } from './pss/index.js';
import { rbacRules } from './rbac/index.js';
import { netpolRules } from './netpol/index.js';
import { exposureRules } from './exposure/index.js';
import { cisRules } from './cis/index.js';
import { imageRules } from './image/index.js';
import { secretsRules } from './secrets/index.js';
import { dockerfileRules } from './dockerfile/index.js';
import { pathsRules } from './paths/index.js';
import { auditRules } from './audit/index.js';
import { ANOMALY_METAS } from '../analyses/audit/baseline.js';

export const builtinRules: AnyRule[] = [...workloadRules, ...pssRules, ...rbacRules, ...netpolRules, ...exposureRules, ...cisRules, ...imageRules, ...secretsRules, ...dockerfileRules, ...pathsRules];

/** Rules that judge API-server audit events (run by `rampart audit`, never by the scanner). */
export const eventRules: EventRule[] = auditRules;

/** Every rule's metadata, for listings and config validation: scanner rules, event rules, and the anomaly alerts of `audit --baseline`. */
export const allRuleMetas: RuleMeta[] = [...builtinRules.map((r) => r.meta), ...eventRules.map((r) => r.meta), ...ANOMALY_METAS];

// The registry rejects malformed and duplicate ids; building it here makes such a mistake fail at startup and in every test.
new Registry([...builtinRules, ...eventRules.map((r) => ({ meta: r.meta, check: () => undefined }))]);
