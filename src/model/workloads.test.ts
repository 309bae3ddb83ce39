import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toResource } from '../input/resources.js';
import { podSpecOf } from './workloads.js';
import type { JsonObject } from './types.js';

const at = (pointer: string) => ({ file: 'w.yaml', line: 1, column: 1, path: pointer });

test('podSpecOf: the spec found is kept per resource and searched again when the object or its learned podSpecPath is replaced', () => {
  const deployment = (image: string): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } } });
  const r = toResource(deployment('a:1'), 'w.yaml', 0, '', { locate: at })!;
  const first = podSpecOf(r)!;
  assert.equal(first.path, '/spec/template/spec');
  assert.deepEqual(first.metadata, { labels: { app: 'web' } });
  // The same spec object, and a new reference each call (callers may keep or spread it).
  const again = podSpecOf(r)!;
  assert.equal(again.spec, first.spec);
  assert.notEqual(again, first);
  assert.equal(again.resource, r);
  // The object replaced (as the engine does for released values): the new one is read.
  r.object = deployment('b:2');
  assert.deepEqual(podSpecOf(r)!.spec, { containers: [{ name: 'c', image: 'b:2' }] });
  r.object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
  assert.equal(podSpecOf(r), undefined);
  r.object = deployment('c:3');
  assert.equal((podSpecOf(r)!.spec.containers as JsonObject[])[0]!.image, 'c:3');

  // A custom kind: no pod spec until the reader learns where its template is.
  const cr = toResource({ apiVersion: 'example.com/v1', kind: 'Runner', metadata: { name: 'r' }, spec: { pod: { spec: { containers: [{ name: 'x', image: 'x:1' }] } } } }, 'w.yaml', 0, '', { locate: at })!;
  assert.equal(podSpecOf(cr), undefined);
  cr.podSpecPath = ['spec', 'pod', 'spec'];
  assert.equal(podSpecOf(cr)?.path, '/spec/pod/spec');
  // Kinds without pods are answered without holding their object.
  const cm = toResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }, 'w.yaml', 0, '', { locate: at })!;
  assert.equal(podSpecOf(cm), undefined);
  assert.equal(podSpecOf(cm), undefined);
});
