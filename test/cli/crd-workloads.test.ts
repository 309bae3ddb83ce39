// Custom resources that run pods (Argo Rollouts, Knative, KEDA, OpenKruise): their pod templates
// are evaluated by the workload and PSS rules like a Deployment's, and a pod template of a kind
// Rampart does not know is named as not evaluated (exit 2), never passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../src/input/files.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import { hasPodSpec, podSpecOf, unknownPodTemplate, allContainers } from '../../src/model/workloads.js';
import { pssReport } from '../../src/analyses/pss/report.js';
import { pssSettings } from '../../src/analyses/pss/settings.js';
import { podTemplatesNotEvaluated } from '../../src/cli/scan-options.js';

const POD = `spec:
      hostPID: true
      containers:
      - image: ghcr.io/acme/app:1.0
        securityContext: {privileged: true}`;

/** Each object carries the same privileged, hostPID pod at the place its controller reads it. */
const OBJECTS: Record<string, { yaml: string; path: string }> = {
  'Argo Rollout': { path: '/spec/template/spec', yaml: `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, namespace: shop}\nspec:\n  template:\n    ${POD}\n` },
  'Knative Service': { path: '/spec/template/spec', yaml: `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: kn, namespace: shop}\nspec:\n  template:\n    ${POD}\n` },
  'Knative Configuration': { path: '/spec/template/spec', yaml: `apiVersion: serving.knative.dev/v1\nkind: Configuration\nmetadata: {name: kc, namespace: shop}\nspec:\n  template:\n    ${POD}\n` },
  'KEDA ScaledJob': { path: '/spec/jobTargetRef/template/spec', yaml: `apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: sj, namespace: shop}\nspec:\n  jobTargetRef:\n    template:\n      ${POD.replace(/\n/g, '\n  ')}\n` },
  'OpenKruise CloneSet': { path: '/spec/template/spec', yaml: `apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata: {name: cs, namespace: shop}\nspec:\n  template:\n    ${POD}\n` },
  'OpenKruise Advanced StatefulSet': { path: '/spec/template/spec', yaml: `apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata: {name: ss, namespace: shop}\nspec:\n  template:\n    ${POD}\n` },
};

for (const [name, o] of Object.entries(OBJECTS)) {
  test(`${name}: its pod template is evaluated by the PSS and workload rules`, () => {
    const load = loadText(o.yaml, `${name}.yaml`);
    assert.equal(load.resources.length, 1, JSON.stringify(load.errors));
    const r = load.resources[0]!;
    assert.ok(hasPodSpec(r));
    assert.equal(podSpecOf(r)?.path, o.path);
    assert.equal(unknownPodTemplate(r), undefined);
    assert.equal(allContainers(r)[0]?.name, '#0', 'an unnamed container (allowed by Knative) is named by its index');
    const report = runEngine(load, { rules: builtinRules });
    const ids = new Set(report.findings.map((f) => f.ruleId));
    for (const id of ['pss/privileged', 'pss/hostNamespaces', 'workload/drop-net-raw', 'workload/resource-limits']) assert.ok(ids.has(id), `${name}: ${id}`);
    assert.ok(report.findings.find((f) => f.ruleId === 'pss/privileged')!.location.path.startsWith(o.path));
    const pss = pssReport(load.resources, pssSettings({ level: 'baseline' }));
    assert.equal(pss.summary.denied, 1, `${name}: denied by PSA baseline`);
  });
}

test('a core Service is not a workload, though it shares its kind with Knative\'s', () => {
  const load = loadText('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n', 'svc.yaml');
  assert.equal(hasPodSpec(load.resources[0]!), false);
  const report = runEngine(load, { rules: builtinRules });
  assert.deepEqual(report.findings.filter((f) => f.ruleId.startsWith('workload/') || f.ruleId.startsWith('pss/')), []);
});

test('a pod template of a kind Rampart does not know is named as not evaluated, with file and line', () => {
  const text = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n---\napiVersion: example.com/v1\nkind: Nightly\nmetadata: {name: n}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: nginx}]\n---\napiVersion: example.com/v1\nkind: Plain\nmetadata: {name: p}\nspec: {template: {data: 1}}\n';
  const load = loadText(text, 'crds.yaml');
  assert.deepEqual(load.resources.map(unknownPodTemplate), ['/spec/template/spec', '/spec/jobTemplate/spec/template/spec', undefined]);
  const skipped = podTemplatesNotEvaluated(load.resources);
  assert.equal(skipped.length, 2);
  assert.ok(skipped.every((s) => s.failsClosed && s.file === 'crds.yaml'));
  assert.deepEqual(skipped.map((s) => s.line), [6, 16]);
  assert.match(skipped[0]!.reason, /Widget "w" \(example\.com\/v1\) has a pod template at \/spec\/template\/spec, but Widget is not a kind Rampart evaluates/);
});
