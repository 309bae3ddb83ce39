// `rampart pss` evaluates its inputs in parts (file by file) with the Namespaces read first: on the
// real-world corpus, the parts' results must equal one evaluation of everything at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadInputs } from '../src/input/files.js';
import type { Resource } from '../src/model/types.js';
import { pssReport, pssResults, suggestAccumulator, suggestNamespacesOf, suggestReport, suggestWorkloads, type PssReport } from '../src/analyses/pss/report.js';
import { pssSettings } from '../src/analyses/pss/settings.js';

const CORPUS = '../shared/corpus/real-world';
const present = existsSync(CORPUS);
if (!present) console.error(`\n*** test/pss-streaming.test.ts: ${CORPUS} is missing. Skipping. ***\n`);

/** The corpus cut into parts of 37 objects, as files would cut it (a Namespace need not come before its pods). */
function parts(resources: readonly Resource[]): Resource[][] {
  const out: Resource[][] = [];
  for (let i = 0; i < resources.length; i += 37) out.push(resources.slice(i, i + 37));
  return out;
}

test('pss in parts with the Namespaces first equals pss at once (real-world corpus, --from-namespaces and --suggest)', { skip: !present }, async () => {
  const all = (await loadInputs([CORPUS], undefined, false)).resources;
  const namespaces = all.filter((r) => r.kind === 'Namespace');
  assert.ok(namespaces.length > 0, 'the corpus has Namespace objects');
  for (const settings of [pssSettings({}), pssSettings({ level: 'baseline', version: 'v1.24' })]) {
    const whole = pssReport(all, settings, { fromNamespaces: true });
    const summary: PssReport['summary'] = { pods: 0, allowed: 0, denied: 0, exempt: 0, notEvaluated: 0 };
    const streamed = parts(all).flatMap((p) => [...pssResults(p, settings, { fromNamespaces: true, namespaces }, summary)]);
    assert.deepEqual(streamed, whole.results);
    assert.deepEqual(summary, whole.summary);
    console.log(`pss in parts: ${streamed.length}/${whole.results.length} results equal at ${settings.level}:${settings.version.label} (${whole.results.filter((r) => r.policy).length} from Namespace labels)`);

    const acc = suggestAccumulator(namespaces);
    const workloads = parts(all).flatMap((p) => [...suggestWorkloads(p, settings, acc)]);
    const once = suggestReport(all, settings);
    assert.deepEqual({ version: settings.version.label, workloads, namespaces: suggestNamespacesOf(acc, settings), summary: acc.summary }, once);
    console.log(`pss --suggest in parts: ${workloads.length} workloads and ${once.namespaces.length} namespaces equal (${once.namespaces.filter((n) => n.currentDenies).length} whose enforce label denies some workload)`);
  }
});
