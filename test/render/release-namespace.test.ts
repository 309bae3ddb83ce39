// Without --namespace, helm renders the release namespace as "default": that is the install command's
// choice, not the chart's, so such resources must not read as "deployed to the default namespace".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInputs } from '../../src/input/files.js';

let dir = '';
before(() => {
  process.env.RAMPART_CACHE_DIR = mkdtempSync(path.join(os.tmpdir(), 'rampart-ns-cache-'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-ns-chart-'));
  mkdirSync(path.join(dir, 'templates'));
  writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: ns\nversion: 0.1.0\n');
  writeFileSync(path.join(dir, 'templates', 'from-release.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-release\n  namespace: {{ .Release.Namespace }}\ndata: {a: b}\n');
  writeFileSync(path.join(dir, 'templates', 'literal.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: literal\n  namespace: default\ndata: {a: b}\n');
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  if (process.env.RAMPART_CACHE_DIR) rmSync(process.env.RAMPART_CACHE_DIR, { recursive: true, force: true });
});

function namespaces(load: Awaited<ReturnType<typeof loadInputs>>): Record<string, string | undefined> {
  assert.deepEqual(load.errors, []);
  return Object.fromEntries(load.resources.map((r) => [r.name, r.namespace]));
}

test('release namespace without --namespace is unset; a literal default stays default', async () => {
  assert.deepEqual(namespaces(await loadInputs([dir], undefined, {})), { 'from-release': undefined, literal: 'default' });
});

test('an explicit --namespace is kept, even when it is default', async () => {
  assert.deepEqual(namespaces(await loadInputs([dir], undefined, { namespace: 'default' })), { 'from-release': 'default', literal: 'default' });
  assert.deepEqual(namespaces(await loadInputs([dir], undefined, { namespace: 'shop' })), { 'from-release': 'shop', literal: 'default' });
});
