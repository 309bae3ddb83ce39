// Small rules used only by report tests, so golden files do not change whenever a real rule is added.
// They exercise what reporters must handle: per-resource and global rules, several severities, references.
import { defineGlobalRule, defineRule, type AnyRule } from '../../src/engine/rule.js';
import { pointer } from '../../src/model/json.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../src/model/workloads.js';
import { asObject, getIn } from '../../src/model/json.js';

/** Same shape as a real container rule (it points at the deepest existing field), with frozen metadata. */
export const writableRoot = defineRule({
  meta: {
    id: 'fixture/writable-root',
    title: 'Writable root filesystem (fixture)',
    severity: 'medium',
    rationale: 'A writable root filesystem lets an intruder drop tools and persist.',
    remediation: 'Set securityContext.readOnlyRootFilesystem: true.',
    references: { cis: ['5.6.3'], nsa: ['Pod security: immutable container file systems'], mitre: ['T1525'] },
    kinds: WORKLOAD_KINDS,
    fixClass: 'may-break',
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      const sc = asObject(c.container.securityContext);
      const value = getIn(c.container, 'securityContext', 'readOnlyRootFilesystem');
      if (value === true) continue;
      const path = sc && value !== undefined ? `${c.path}/securityContext/readOnlyRootFilesystem` : sc ? `${c.path}/securityContext` : c.path;
      ctx.report({
        message: `${describeContainer(c)} ${value === false ? 'sets readOnlyRootFilesystem=false' : 'does not set readOnlyRootFilesystem=true'}`,
        path,
        fix: [{ op: 'set', path: `${c.path}/securityContext/readOnlyRootFilesystem`, value: true }],
      });
    }
  },
});

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

export const fixtureRules: AnyRule[] = [writableRoot, noOwnerLabel, namespaceWithoutPolicy];
