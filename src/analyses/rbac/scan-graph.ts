// The escalation graph `rampart scan` builds once per run and shares between the escalation-path rule,
// the vulnerability reach and the attack-path graph (each used to build its own).
import type { ResourceIndex } from '../../model/index.js';
import { EscalationGraph } from './escalation.js';
import { clusterFactsFrom } from './facts.js';
import { scanPolicy, type ScanPolicy } from './scan-policy.js';

const graphs = new WeakMap<ResourceIndex, { policy: ScanPolicy; graph: EscalationGraph }>();

/**
 * The escalation graph of a scan, one per run (keyed by the run's index and its policy): the escalation-path
 * rule, the vulnerability reach and the attack-path graph share it and the edges each one walked.
 */
export function scanEscalationGraph(resources: ResourceIndex, settings: Readonly<Record<string, unknown>>): EscalationGraph {
  const sp = scanPolicy(resources, settings);
  const hit = graphs.get(resources);
  if (hit && hit.policy === sp) return hit.graph;
  const graph = new EscalationGraph(sp.index, clusterFactsFrom(resources.all, sp.policy), { keepWalk: true });
  graphs.set(resources, { policy: sp, graph });
  return graph;
}
