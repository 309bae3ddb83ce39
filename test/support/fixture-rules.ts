// Small rules used only by report tests, so golden files do not change whenever a real rule is added.
// They exercise what reporters must handle: per-resource and global rules, several severities, references.
import { defineGlobalRule, defineRule, type AnyRule } from '../../src/engine/rule.js';
import { pointer } from '../../src/model/json.js';
import readOnlyRootFs from '../../src/rules/workload/read-only-root-fs.js';
import { WORKLOAD_KINDS } from '../../src/model/workloads.js';

export const noOwnerLabel = defineRule({
  meta: {
    id: 'fixture/no-owner-label',
    title: 'Workload without an owner label',
    severity: 'low',
    rationale: 'Without an owner nobody is paged when the workload misbehaves.',
    remediation: 'Add metadata.labels.owner with the owning team.',
    references: { urls: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/'] },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    if (ctx.resource.labels.owner) return;
    ctx.report({ message: `${ctx.resource.kind} "${ctx.resource.name}" has no owner label`, path: '/metadata' });
  },
});

export const namespaceWithoutPolicy = defineGlobalRule({
  meta: {
    id: 'fixture/namespace-without-netpol',
    title: 'Namespace without a NetworkPolicy',
    severity: 'high',
    scope: 'global',
    rationale: 'Pods in a namespace without NetworkPolicies accept traffic from everywhere in the cluster.',
    remediation: 'Add a default-deny NetworkPolicy to the namespace.',
    references: { cis: ['5.3.2'], nsa: ['Network separation and hardening'], mitre: ['T1046'] },
  },
  check(ctx) {
    for (const ns of ctx.index.ofKind('Namespace')) {
      if (ctx.index.inNamespace(ns.name).some((r) => r.kind === 'NetworkPolicy')) continue;
      ctx.report({ message: `namespace "${ns.name}" has no NetworkPolicy`, path: pointer('metadata', 'name'), resource: ns });
    }
  },
});

export const fixtureRules: AnyRule[] = [readOnlyRootFs, noOwnerLabel, namespaceWithoutPolicy];
