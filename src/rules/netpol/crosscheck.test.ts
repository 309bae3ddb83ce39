// Cross-check against other scanners' fixtures (../shared/corpus/checks): Polaris missingNetworkPolicy,
// hostNetworkSet and hostPortSet; kube-linter dangling-networkpolicy(-peer-podselector), exposed-services
// and host-network. Prints agreement counts; every disagreement kept is listed with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import type { AnyRule } from '../../engine/rule.js';
import { clusterFromResources, NetpolEngine } from '../../analyses/netpol/index.js';
import workloadNotSelected from './workload-not-selected.js';
import danglingSelector from './dangling-selector.js';
import nodePort from '../exposure/node-port.js';
import hostNetwork from '../exposure/host-network.js';

const ROOT = path.join('..', 'shared', 'corpus', 'checks');

interface Entry {
  tool: string;
  check: string;
  file: string;
  expect: 'pass' | 'fail' | 'findings';
  objects?: string[];
}

function findingsOf(rule: AnyRule, file: string): string[] {
  const load = loadText(readFileSync(path.join(ROOT, file), 'utf8'), file);
  const report = runEngine(load, { rules: [rule] });
  return report.findings.filter((f) => f.ruleId === rule.meta.id).map((f) => `${f.resource.kind}/${f.resource.name}`);
}

/** Polaris missingNetworkPolicy fails a pod template unless a policy isolates it in both directions. */
function isolatedBothWays(file: string): boolean {
  const load = loadText(readFileSync(path.join(ROOT, file), 'utf8'), file);
  const engine = new NetpolEngine(clusterFromResources(load.resources));
  return engine.pods.every((p) => engine.selecting(p, 'ingress').length > 0 && engine.selecting(p, 'egress').length > 0);
}

// Where we knowingly differ, and why.
const EXPLAINED: Record<string, string> = {
  'polaris/test/checks/missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml':
    'Polaris requires at least one egress rule; under the API a policy with policyTypes [Egress] and no egress rules isolates the pod (deny all egress), which is stricter, not missing',
  'polaris/test/checks/missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml':
    'Polaris requires at least one ingress rule; policyTypes [Ingress] with no rules is a deny-all ingress, so the pod is isolated',
};

if (!existsSync(ROOT)) {
  console.warn(`\n!!! SKIPPING: corpus folder ${ROOT} is absent (expected at ../shared/corpus relative to the repo root) !!!\n`);
} else {
  const index = JSON.parse(readFileSync(path.join(ROOT, 'index.json'), 'utf8')) as Entry[];
  const pick = (tool: string, check: string) => index.filter((e) => e.tool === tool && e.check === check);
  let agree = 0;
  let total = 0;
  const differ: string[] = [];
  const record = (file: string, ok: boolean, detail: string) => {
    total++;
    if (ok) agree++;
    else differ.push(`${file}: ${detail} — ${EXPLAINED[file] ?? 'UNEXPLAINED'}`);
    if (EXPLAINED[file]) assert.equal(ok, false, `${file} is listed as explained but agrees now`);
    else assert.ok(ok, `${file}: ${detail}`);
  };

  for (const e of pick('polaris', 'missingNetworkPolicy')) {
    test(`polaris missingNetworkPolicy ${path.basename(e.file)}`, () => {
      const isolated = isolatedBothWays(e.file);
      const notSelected = findingsOf(workloadNotSelected, e.file).length > 0;
      // Our view: fail when not isolated in both directions (workload-not-selected is the "in neither" case).
      record(e.file, (e.expect === 'fail') === !isolated, `polaris ${e.expect}, ours isolated-both-ways=${isolated}, workload-not-selected=${notSelected}`);
    });
  }
  for (const check of ['hostNetworkSet', 'hostPortSet']) {
    for (const e of pick('polaris', check)) {
      test(`polaris ${check} ${path.basename(e.file)}`, () => {
        const ours = findingsOf(hostNetwork, e.file).length > 0;
        record(e.file, (e.expect === 'fail') === ours, `polaris ${e.expect}, exposure/host-network ${ours ? 'fires' : 'silent'}`);
      });
    }
  }
  const kl: [string, AnyRule][] = [
    ['dangling-networkpolicy', danglingSelector],
    ['dangling-networkpolicypeer-podselector', danglingSelector],
    ['exposed-services', nodePort],
    ['host-network', hostNetwork],
  ];
  for (const [check, rule] of kl) {
    for (const e of pick('kube-linter', check)) {
      test(`kube-linter ${check}`, () => {
        const ours = [...new Set(findingsOf(rule, e.file))].sort();
        const theirs = [...new Set(e.objects ?? [])].sort();
        record(e.file, JSON.stringify(ours) === JSON.stringify(theirs), `kube-linter ${theirs.join(',')}, ${rule.meta.id} ${ours.join(',') || 'nothing'}`);
      });
    }
  }
  test('cross-check agreement summary', () => {
    console.log(`cross-check (polaris, kube-linter): ${agree}/${total} fixtures agree`);
    for (const d of differ) console.log(`  differs: ${d}`);
    assert.ok(total > 0);
  });
}
