// Attack paths on the real-world corpus, per project (not merged): figures printed, invariants checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { loadInputs } from '../../src/input/files.js';
import { rbacScanSettings } from '../../src/input/rbac-defaults.js';
import { ResourceIndex } from '../../src/model/index.js';
import { analysePaths, buildAttackGraph, cutKey } from '../../src/analyses/paths/index.js';

const ROOT = '../shared/corpus/real-world';

test('attack paths per real-world project', { skip: existsSync(ROOT) ? false : `corpus missing at ${ROOT}` }, async () => {
  const projects = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const rows: string[] = [];
  const withPaths = new Set<string>();
  for (const p of projects) {
    const l = await loadInputs([`${ROOT}/${p}`]);
    const rbac = await rbacScanSettings(undefined, false, l.resources);
    const graph = buildAttackGraph(new ResourceIndex(l.resources), { rbac: rbac.settings });
    const a = analysePaths(graph);
    if (a.paths.length) withPaths.add(p);
    const top = a.chokePoints[0];
    rows.push(`${p.padEnd(22)} paths ${String(a.paths.length).padStart(4)}${a.truncated ? '+' : ' '} choke points ${a.chokePoints.length} not evaluated ${graph.notEvaluated.length}${top ? `  top: ${top.action} (${top.rule}) cuts ${top.cuts}/${top.of}` : ''}`);
    for (const path of a.paths) for (const e of path.edges) for (const ev of e.evidence) assert.ok(ev.line > 0, `${p}: ${e.description} has no line`);
    // The choke points are a real cut: without their edges no path is left.
    if (a.paths.length && a.uncuttable.length === 0) {
      const keys = new Set(a.chokePoints.map(cutKey));
      const rest = analysePaths({ ...graph, edges: graph.edges.filter((e) => !(e.cut && keys.has(cutKey(e.cut)))) });
      assert.equal(rest.paths.length, 0, `${p}: paths left after the choke points`);
    }
  }
  console.log(['attack paths on the real-world corpus (per project):', ...rows].join('\n'));
  // Hand-checked (docs/paths.md): the ingress-nginx controller is exposed and its ServiceAccount lists every Secret.
  assert.ok(withPaths.has('ingress-nginx'));
  assert.ok(!withPaths.has('argo-cd'), 'argo-cd exposes nothing outside the cluster');
});

test('the first choke point alone is the first of the full ranking (the whole corpus as one world: many tied choke points)', { skip: existsSync(ROOT) ? false : `corpus missing at ${ROOT}` }, async () => {
  const l = await loadInputs([ROOT]);
  const rbac = await rbacScanSettings(undefined, false, l.resources);
  const graph = buildAttackGraph(new ResourceIndex(l.resources), { rbac: rbac.settings });
  let compared = 0;
  for (const targets of [undefined, ['cluster-admin' as const]]) {
    const full = analysePaths(graph, { targets, maxPaths: 200 });
    const first = analysePaths(graph, { targets, maxPaths: 200, firstChokePointOnly: true });
    assert.ok(full.chokePoints.length > 1, 'several choke points to rank');
    assert.equal(first.chokePoints.length, 1);
    assert.deepEqual({ ...first.chokePoints[0] }, { ...full.chokePoints[0] });
    assert.equal(cutKey(first.chokePoints[0]!), cutKey(full.chokePoints[0]!));
    assert.deepEqual(first.paths, full.paths);
    compared++;
    console.log(`targets ${targets ?? 'all'}: ${full.chokePoints.length} choke points, first cuts ${full.chokePoints[0]!.cuts}/${full.chokePoints[0]!.of}, the same alone`);
  }
  assert.equal(compared, 2);
});

test('the scan rule\'s graph (breakout pre-check, malformed pod fields left to pss/*) has the edges of the full graph', { skip: existsSync(ROOT) ? false : `corpus missing at ${ROOT}` }, async () => {
  const l = await loadInputs([ROOT]);
  const rbac = await rbacScanSettings(undefined, false, l.resources);
  const settings = { rbac: rbac.settings };
  const full = buildAttackGraph(new ResourceIndex(l.resources), settings);
  const scan = buildAttackGraph(new ResourceIndex(l.resources), settings, { podSecurityNotEvaluated: false });
  const edges = (g: typeof full) => g.edges.map((e) => `${e.from} > ${e.to} ${e.kind} ${e.weight} ${e.description} ${e.cut ? cutKey(e.cut) : '-'}`);
  assert.deepEqual(edges(scan), edges(full));
  const breakouts = full.edges.filter((e) => e.kind === 'breakout').length;
  assert.ok(breakouts > 0, 'the corpus has breakouts');
  console.log(`scan rule's graph: ${scan.edges.length}/${full.edges.length} edges the same (${breakouts} breakouts); not evaluated ${scan.notEvaluated.length} (full ${full.notEvaluated.length})`);
});
