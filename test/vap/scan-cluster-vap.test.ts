// `rampart scan --cluster --policies PATH`: file policies evaluated against a live cluster's objects
// (the fake API server), e.g. to see what a new policy would reject before it is applied.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { deploymentWithPods, ns, rampart, startCluster, type ClusterFixture } from '../support/cluster.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/vap/scan-cluster-vap.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');

let fx: ClusterFixture | undefined;
before(async () => {
  if (!built) return;
  fx = await startCluster((s) => {
    s.add(ns('shop'), ns('lab'));
    s.add(...deploymentWithPods('shop', 'web', 2));
  });
});
after(async () => fx?.close());

test('scan --cluster --policies: a live Deployment without the required labels is a vap finding', { skip: !built }, async () => {
  const r = await rampart(['scan', '--cluster', '--kubeconfig', fx!.kubeconfig.token, '-o', 'json', '--fail-on', 'never', '--no-config', '--policies', 'test/vap/fixtures/realistic-policies.yaml']);
  const report = JSON.parse(r.stdout) as { findings: { ruleId: string; resource: { kind: string; name: string } }[]; errors: unknown[] };
  const vap = report.findings.filter((f) => f.ruleId.startsWith('vap/')).map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`);
  console.log(`live cluster: ${vap.length} vap findings: ${vap.join(', ')}`);
  assert.ok(vap.includes('vap/required-labels Deployment/web'), vap.join('\n'));
});
