// Test helpers: build an RBAC index from YAML text (optionally with the bundled bootstrap policy).
import { loadText } from '../../input/files.js';
import type { Resource } from '../../model/types.js';
import { RbacIndex } from './authorizer.js';
import { mergePolicies, policyFromResources, type Policy } from './policy.js';
import { clusterFactsFrom } from './facts.js';
import { EscalationGraph } from './escalation.js';

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
