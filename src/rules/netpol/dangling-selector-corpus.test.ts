// netpol/dangling-selector on the real projects where pods come from operators (../shared/corpus/real-world).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import rule from './dangling-selector.js';
import { loadInputs } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { clusterFromResources, isEmptySelector, podCreators } from '../../analyses/netpol/index.js';
import { selectorMatches } from '../../model/index.js';

const ROOT = path.join('..', 'shared', 'corpus', 'real-world');
const PROJECTS = ['kube-prometheus', 'longhorn', 'prometheus-operator', 'rook'];

if (!existsSync(ROOT)) {
  console.warn(`\n!!! SKIPPING: corpus folder ${ROOT} is absent (expected at ../shared/corpus relative to the repo root) !!!\n`);
} else {
  test('dangling-selector on operator projects: selectors matching no pod template are not claimed where an operator may create the pods', async () => {
    let selectors = 0;
    let reported = 0;
    for (const p of PROJECTS) {
      const input = await loadInputs([path.join(ROOT, p)]);
      const cluster = clusterFromResources(input.resources);
      const creatorIn = podCreators(input.resources);
      // Policy pod selectors that match no pod template of the input, per namespace.
      const unmatched = cluster.policies.filter((x) => !x.problems.length && !isEmptySelector(x.podSelector) && !cluster.pods.some((pod) => pod.namespace === x.namespace && selectorMatches(x.podSelector, pod.labels)));
      const findings = runEngine(input, { rules: [rule] }).findings;
      const namespaces = [...new Set(unmatched.map((x) => x.namespace))];
      console.log(`  ${p}: ${unmatched.length} policy selector(s) match no pod template; ${findings.length} finding(s); evidence: ${namespaces.map((ns) => `${ns} ← ${creatorIn(ns)?.evidence ?? 'none'}`).join('; ')}`);
      selectors += unmatched.length;
      reported += findings.length;
      for (const ns of namespaces) assert.ok(creatorIn(ns), `${p}: namespace ${ns} has a pod-creating object`);
    }
    console.log(`dangling-selector on operator projects: ${selectors} policy selectors match no pod template in the input, ${reported} claimed (operators create those pods)`);
    assert.ok(selectors > 0);
    assert.equal(reported, 0);
  });
}
