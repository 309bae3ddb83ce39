// pss/namespace-no-enforce takes the pods' restricted evaluations from the scan's (pssResultFor):
// the levels it suggests must be those of strongestAdmitting, which evaluates every pod afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadInputs, loadText } from '../src/input/files.js';
import { ResourceIndex } from '../src/model/index.js';
import type { Resource } from '../src/model/types.js';
import { strongestAdmittingResources } from '../src/analyses/pss/scan.js';
import { strongestAdmitting } from '../src/analyses/pss/suggest.js';
import { podInputOf } from '../src/analyses/pss/resource.js';
import { pssSettings } from '../src/analyses/pss/settings.js';
import type { PodInput } from '../src/analyses/pss/types.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'real-world');

/** Per namespace: [shared, fresh] results, with every setting given. */
function compare(resources: Resource[], settings: unknown[]): { namespaces: number; agree: number } {
  const index = new ResourceIndex(resources);
  const names = new Set(resources.map((r) => r.namespace ?? 'default'));
  let namespaces = 0;
  let agree = 0;
  for (const raw of settings) {
    const minor = pssSettings(raw).version.minor;
    for (const ns of names) {
      const rs = index.inNamespace(ns);
      const pods = rs.flatMap((r): PodInput[] => {
        const p = podInputOf(r);
        return p ? [p] : [];
      });
      const fresh = strongestAdmitting(pods, minor);
      const got = strongestAdmittingResources(rs, raw);
      namespaces++;
      if (got.level === fresh.level && got.evaluated === fresh.evaluated && got.workloads === pods.length) agree++;
    }
  }
  return { namespaces, agree };
}

test('namespace levels from the scan evaluations agree with fresh evaluations (odd pods, every level and an old version)', () => {
  const docs = [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: ok, namespace: a}\nspec: {securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, containers: [{name: c, image: x, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: base, namespace: a}\nspec: {containers: [{name: c, image: x}]}',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: priv, namespace: b}\nspec: {template: {spec: {hostPID: true, containers: [{name: c, image: x, securityContext: {privileged: true}}]}}}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: bad, namespace: c}\nspec: {containers: "x"}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: badsc, namespace: d}\nspec: {securityContext: {runAsNonRoot: "yes"}, containers: [{name: c, image: x}]}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: badvol, namespace: d2}\nspec: {volumes: [{name: v, hostPath: "x"}], containers: [{name: c, image: x}]}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: gvisor, namespace: e}\nspec: {runtimeClassName: gvisor, containers: [{name: c, image: x, securityContext: {privileged: true}}]}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: nospec, namespace: f}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: f}',
  ].join('\n---\n');
  const settings = [undefined, { level: 'baseline' }, { level: 'restricted', version: 'v1.22' }, { exemptions: { runtimeClasses: ['gvisor'] } }];
  const { namespaces, agree } = compare(loadText(docs, 'pods.yaml').resources, settings);
  console.log(`namespace levels, odd pods: ${agree}/${namespaces} agree`);
  assert.equal(agree, namespaces);
});

test('namespace levels from the scan evaluations agree with fresh evaluations (real-world corpus)', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus ${CORPUS} is absent`);
    console.log(`SKIPPED: corpus ${CORPUS} is absent`);
    return;
  }
  const load = await loadInputs([CORPUS], undefined, false);
  const { namespaces, agree } = compare(load.resources, [undefined, { level: 'baseline' }]);
  console.log(`namespace levels, real-world corpus: ${agree}/${namespaces} agree`);
  assert.equal(agree, namespaces);
  assert.ok(namespaces > 50);
});
