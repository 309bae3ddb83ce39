// Lateral movement is added only where it can lie on a path, and decided per NetworkPolicy class
// pair. Checked against a reference without either: every pair (workload reached from the
// internet) × (any workload) judged by the NetworkPolicy engine pod by pod. The (entry, target)
// pairs reached must be equal per real-world project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { loadInputs } from '../../src/input/files.js';
import { rbacScanSettings } from '../../src/input/rbac-defaults.js';
import { ResourceIndex } from '../../src/model/index.js';
import { podSpecOf, WORKLOAD_KINDS } from '../../src/model/workloads.js';
import { buildAttackGraph, INTERNET, TARGETS, targetId, workloadId, type Edge } from '../../src/analyses/paths/index.js';
import { clusterFromResources, isEmpty, NetpolEngine, type PodInfo } from '../../src/analyses/netpol/index.js';

const ROOT = '../shared/corpus/real-world';

function adjacency(edges: readonly Edge[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of edges) (m.get(e.from) ?? (m.set(e.from, []), m.get(e.from)!)).push(e.to);
  return m;
}

function reach(adj: Map<string, string[]>, start: string, more: (n: string) => string[] = () => []): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length) {
    const n = stack.pop()!;
    for (const t of [...(adj.get(n) ?? []), ...more(n)]) if (!seen.has(t)) (seen.add(t), stack.push(t));
  }
  return seen;
}

/** (entry, target) pairs: an exposure step (its Service or Ingress line and workload) from which the target is reachable. */
function entryTargets(edges: readonly Edge[], more?: (n: string) => string[]): Set<string> {
  const adj = adjacency(edges);
  const out = new Set<string>();
  for (const e of edges) {
    if (e.from !== INTERNET) continue;
    const r = reach(adj, e.to, more);
    for (const t of TARGETS) if (r.has(targetId(t))) out.add(`${e.evidence[0]!.file}:${e.evidence[0]!.line} ${e.to} → ${t}`);
  }
  return out;
}

test('lateral pruning and NetworkPolicy classes lose no (entry, target) pair on the real-world corpus', { skip: existsSync(ROOT) ? false : `corpus missing at ${ROOT}` }, async () => {
  const rows: string[] = [];
  let pairsTotal = 0;
  for (const p of readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const l = await loadInputs([`${ROOT}/${p}`]);
    const settings = { rbac: (await rbacScanSettings(undefined, false, l.resources)).settings };
    const index = new ResourceIndex(l.resources);
    const pruned = entryTargets(buildAttackGraph(index, settings).edges);
    // Reference: no lateral edges in the graph; each workload reached gets its hops from the engine, pod by pod.
    const plain = buildAttackGraph(index, settings, { lateral: false });
    const cluster = clusterFromResources(index.all);
    const engine = new NetpolEngine(cluster);
    const podsOf = new Map<string, PodInfo[]>();
    const workloads = new Set(index.ofKind(...WORKLOAD_KINDS).filter((r) => podSpecOf(r)).map(workloadId));
    for (const pod of cluster.pods) if (pod.resource && workloads.has(workloadId(pod.resource))) (podsOf.get(workloadId(pod.resource)) ?? (podsOf.set(workloadId(pod.resource), []), podsOf.get(workloadId(pod.resource))!)).push(pod);
    const hops = new Map<string, string[]>();
    let verdicts = 0;
    const lateral = (a: string): string[] => {
      if (!podsOf.has(a)) return [];
      let h = hops.get(a);
      if (!h) {
        h = [];
        for (const [b, pbs] of podsOf) {
          if (b === a) continue;
          const ok = podsOf.get(a)!.some((pa) => pbs.some((pb) => (verdicts++, !isEmpty(engine.connection({ kind: 'pod', pod: pa }, { kind: 'pod', pod: pb }).allowed))));
          if (ok) h.push(b);
        }
        hops.set(a, h);
      }
      return h;
    };
    const reference = entryTargets(plain.edges, lateral);
    pairsTotal += reference.size;
    rows.push(`${p.padEnd(22)} (entry, target) pairs: reference ${String(reference.size).padStart(3)}, pruned classes ${String(pruned.size).padStart(3)}  (${verdicts} pod verdicts)`);
    assert.deepEqual([...pruned].sort(), [...reference].sort(), p);
  }
  console.log(['(entry, target) pairs reached, reference (engine, every pair from reached workloads) vs the graph (class pairs, pruned):', ...rows].join('\n'));
  assert.ok(pairsTotal > 0, 'the corpus has attack paths to compare');
});
