// Untrusted input: every value of every kind of object the CIS rules read is replaced, one at a
// time, by each wrong type. No rule may throw (a throw would surface as a "could not evaluate" error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { cisRules } from './index.js';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { nodeTreeEntries } from '../../input/testing/node-tree.js';
import type { JsonValue } from '../../model/types.js';
import { parseAllDocuments } from 'yaml';

const WRONG: JsonValue[] = [null, 'x', '', 42, -1, true, [], ['x', 1], {}, { a: { b: 'c' } }];

const EXTRA = [
  'apiVersion: rampart.dev/v1\nkind: KubeletFlags\nmetadata: {name: kubelet}\nargs: [/usr/bin/kubelet, --config=/c.yaml, --read-only-port=0, --feature-gates=A=true]\n',
  'apiVersion: rampart.dev/v1\nkind: NodeFile\nmetadata: {name: /k}\nspec: {path: /k, role: pki-key, type: file, mode: "0600", owner: root, group: root}\n',
  'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: [{type: Node, name: n}, {type: RBAC, name: r}]\n',
  'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetricsBindAddress: 127.0.0.1:10249\n',
];

function objects(): JsonValue[] {
  const texts = [...nodeTreeEntries('hardened'), ...nodeTreeEntries('weak')]
    .filter((e) => e.content && /^apiVersion:/m.test(e.content) && !e.path.endsWith('.conf'))
    .map((e) => e.content!);
  return [...texts, ...EXTRA].flatMap((t) => parseAllDocuments(t).map((d) => d.toJS() as JsonValue));
}

/** Every (path, replacement) mutation of an object: one value replaced by one wrong type. */
function* mutations(v: JsonValue, path: (string | number)[] = []): Generator<(string | number)[]> {
  yield path;
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* mutations(v[i]!, [...path, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'apiVersion' && k !== 'kind') yield* mutations(x, [...path, k]);
}

function replaced(v: JsonValue, path: (string | number)[], w: JsonValue): JsonValue {
  if (path.length === 0) return w;
  const copy = structuredClone(v) as Record<string | number, JsonValue>;
  let cur = copy as Record<string | number, JsonValue>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, JsonValue>;
  cur[path[path.length - 1]!] = w;
  return copy as JsonValue;
}

test('CIS rules never throw on wrong field types', () => {
  let runs = 0;
  for (const obj of objects()) {
    const docs: string[] = [];
    for (const p of mutations(obj)) {
      if (p.length === 0) continue;
      for (const w of WRONG) docs.push(stringify(replaced(obj, p, w)));
    }
    // one multi-document text per object keeps the run fast; each document is evaluated on its own
    const load = loadText(docs.join('---\n'), 'hostile.yaml');
    const rep = runEngine(load, { rules: cisRules });
    assert.deepEqual(rep.errors.filter((e) => /could not evaluate|failed/.test(e.message)), [], `object ${JSON.stringify(obj).slice(0, 80)}`);
    runs += docs.length;
  }
  assert.ok(runs > 5000, `only ${runs} mutations`);
  console.log(`${runs} mutated objects through ${cisRules.length} CIS rules without a throw`);
});
