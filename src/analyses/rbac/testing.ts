// Test helpers: build an RBAC index from YAML text (optionally with the bundled bootstrap policy).
import { loadText } from '../../input/files.js';
import type { Resource } from '../../model/types.js';
import { RbacIndex } from './authorizer.js';
import { mergePolicies, policyFromResources, type Policy } from './policy.js';
import { clusterFactsFrom } from './facts.js';
import { EscalationGraph, type Goal, type Identity } from './escalation.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

export function resourcesOf(yaml: string): Resource[] {
  const l = loadText(yaml, 'test.yaml');
  if (l.errors.length) throw new Error(`test YAML does not parse: ${l.errors[0]!.message}`);
  return l.resources;
}

export function indexOf(yaml: string, defaults: Resource[] = []): { index: RbacIndex; policy: Policy; resources: Resource[] } {
  const resources = resourcesOf(yaml);
  const policy = mergePolicies(policyFromResources(defaults), policyFromResources(resources));
  return { index: new RbacIndex(policy), policy, resources };
}

export function graphOf(yaml: string, defaults: Resource[] = []): EscalationGraph {
  const { index, policy, resources } = indexOf(yaml, defaults);
  return new EscalationGraph(index, clusterFactsFrom(resources, policy));
}

/** A Role/ClusterRole `r` with the given rules, bound to `User subject` (ClusterRoleBinding when ns is empty). */
export function grantTo(rules: string, ns = '', subject = 'mallory'): string {
  const role = ns ? `kind: Role\nmetadata: {name: r, namespace: ${ns}}` : 'kind: ClusterRole\nmetadata: {name: r}';
  const binding = ns ? `kind: RoleBinding\nmetadata: {name: b, namespace: ${ns}}` : 'kind: ClusterRoleBinding\nmetadata: {name: b}';
  return `apiVersion: rbac.authorization.k8s.io/v1
${role}
rules:
${rules}
---
apiVersion: rbac.authorization.k8s.io/v1
${binding}
subjects: [{kind: User, name: ${subject}}]
roleRef: {kind: ${ns ? 'Role' : 'ClusterRole'}, name: r, apiGroup: rbac.authorization.k8s.io}
`;
}

export interface EscalationCase {
  name: string;
  yaml: string;
  goal: Goal;
  /** Default: User mallory. */
  subject?: Identity;
  /** Facts of the path's steps in order, or null when no path may exist. */
  facts: number[] | null;
  /** Substring of the first step's action. */
  action?: string;
}

/** One node:test per case: the shortest path's facts, and every RBAC step names the binding and role that grant it. */
export function escalationTable(cases: EscalationCase[], defaults: () => Resource[]): void {
  for (const c of cases) {
    test(`escalation: ${c.name}`, () => {
      const g = graphOf(c.yaml, defaults());
      const p = g.shortestPath(c.subject ?? { kind: 'User', name: 'mallory' }, c.goal);
      if (c.facts === null) {
        assert.equal(p, undefined, `unexpected path: ${p?.steps.map((s) => `${s.fact}: ${s.action}`).join(' -> ')}`);
        return;
      }
      assert.ok(p, 'expected a path');
      assert.deepEqual(p.steps.map((s) => s.fact), c.facts, p.steps.map((s) => s.action).join(' -> '));
      if (c.action) assert.ok(p.steps[0]!.action.includes(c.action), p.steps[0]!.action);
      for (const s of p.steps) if (s.fact !== 0 && s.fact !== 7) assert.ok(s.via.length > 0 && s.via.every((v) => v.binding && v.role), `step "${s.action}" names no grant`);
    });
  }
}
