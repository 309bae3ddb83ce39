// Per-object rules run while files are read (EarlyRules): the report must be the one the engine
// gives without that step, on the real-world corpus and where a rule needs the whole input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadInputs, loadText, type LoadResult } from '../src/input/files.js';
import { defineRule, type AnyRule } from '../src/engine/rule.js';
import { compareFindings, runEngine } from '../src/engine/run.js';
import { EarlyRules } from '../src/engine/early.js';
import { emptyConfig, parseConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { earlyRules, scanLoaded } from '../src/cli/scan-options.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'real-world');

test('a scan with per-object rules run while reading reports exactly what the engine alone reports (real-world corpus)', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus ${CORPUS} is absent`);
    console.log(`SKIPPED: corpus ${CORPUS} is absent`);
    return;
  }
  const config = emptyConfig();
  const plain = await scanLoaded(await loadInputs([CORPUS], undefined, false), builtinRules, { config, settings: {} });
  const early = await earlyRules({ rules: builtinRules, config, settings: {} });
  const load = await loadInputs([CORPUS], undefined, false, undefined, (l) => early.take(l.resources));
  const crds = load.resources.filter((r) => r.kind === 'CustomResourceDefinition' || r.kind === 'ConfigMap');
  const streamed = await scanLoaded(load, builtinRules, { config, settings: {}, early });
  console.log(`${early.released} of ${crds.length} CRDs and ConfigMaps evaluated as read and released; ${streamed.findings.length} findings, ${streamed.errors.length} errors, both runs`);
  assert.ok(early.released > 250);
  assert.equal(crds.filter((r) => r.object.spec !== undefined || r.object.data !== undefined).length, crds.length - early.released);
  assert.equal(JSON.stringify(streamed), JSON.stringify(plain));
  // The engine sorts with numeric keys (file places worked out once): the order compareFindings gives.
  const unsorted = streamed.findings.filter((f, i) => i > 0 && compareFindings(streamed.findings[i - 1]!, f) > 0).length;
  console.log(`${streamed.findings.length} findings, ${unsorted} out of compareFindings order`);
  assert.equal(unsorted, 0);
});

test('suppression by annotation, config exceptions and severity overrides apply to findings made while reading', async () => {
  // A made-up GitHub token shape (not a real credential), in two ConfigMaps: one ignored by annotation, one by exception.
  const token = 'ghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5';
  const text = [
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {ignore.rampart.dev/secrets.credential-value: "known fixture"}}\ndata: {TOKEN: "${token}"}`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {TOKEN: "${token}"}`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {TOKEN: "${token}"}`,
  ].join('\n---\n');
  const config = parseConfig(
    'exceptions:\n  - rule: "secrets/*"\n    resources: [{kind: ConfigMap, name: b}]\n    reason: fixture\nrules:\n  secrets/credential-value: {severity: low}\n',
    'rampart.yaml',
  );
  const plain = await scanLoaded(loadText(text, 'cm.yaml'), builtinRules, { config, settings: {} });
  const early = await earlyRules({ rules: builtinRules, config, settings: {} });
  const load = loadText(text, 'cm.yaml');
  early.take(load.resources);
  const streamed = await scanLoaded(load, builtinRules, { config, settings: {}, early });
  assert.equal(early.released, 3);
  const found = streamed.findings.filter((f) => f.ruleId === 'secrets/credential-value');
  assert.deepEqual(found.map((f) => [f.severity, Boolean(f.suppressed)]), [['low', true], ['low', true], ['low', false]]);
  assert.equal(JSON.stringify(streamed), JSON.stringify(plain));
  assert.ok(!JSON.stringify(streamed).includes(token), 'the token is never printed');
});

const CONFIG_MAPS = ['plain', 'index', 'swallow', 'late', 'bad', 'other']
  .map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ns}\ndata: {key: "${n}"}`)
  .concat('apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}')
  .join('\n---\n');

/** Rules on ConfigMaps: one reads only the object; the others each need something only the engine has. */
const RULES: AnyRule[] = [
  defineRule({
    meta: { id: 't/data', title: 'data', severity: 'low', rationale: '', remediation: '', references: {}, kinds: ['ConfigMap'] },
    check(ctx) {
      const data = ctx.resource.object.data as Record<string, string> | undefined;
      ctx.report({ message: `data ${data?.key}`, path: '/data/key' });
    },
  }),
  defineRule({
    meta: { id: 't/needs', title: 'needs', severity: 'medium', rationale: '', remediation: '', references: {}, kinds: ['ConfigMap'] },
    check(ctx) {
      const r = ctx.resource;
      if (r.name === 'index') ctx.report({ message: `namespaces ${ctx.index.namespaces().join(',')}` });
      if (r.name === 'swallow') {
        let n = -1;
        try {
          n = ctx.index.all.length;
        } catch {
          /* a rule that hides the failure still leaves the object to the engine */
        }
        ctx.report({ message: `objects ${n}` });
      }
      if (r.name === 'late') ctx.report({ message: `rbac setting ${JSON.stringify(ctx.settings.rbac)}` });
      if (r.name === 'bad') throw new Error('cannot read this one');
      if (r.name === 'other') ctx.report({ message: 'about the namespace', resource: { apiVersion: 'v1', kind: 'Namespace', name: 'ns' } });
    },
  }),
];

function run(load: LoadResult, early?: EarlyRules) {
  const settings = { rbac: { defaults: false } };
  return runEngine({ ...load, ...(early ? { early } : {}) }, { rules: RULES, settings, ...(early ? { prepared: early.plan } : {}) });
}

test('an object whose rules need the index, a late setting or another object, or fail, keeps its value and is judged by the engine', () => {
  const plain = run(loadText(CONFIG_MAPS, 'cm.yaml'));
  const early = new EarlyRules({ rules: RULES, settings: {} }, ['rbac']);
  const load = loadText(CONFIG_MAPS, 'cm.yaml');
  early.take(load.resources);
  const kept = load.resources.filter((r) => r.kind === 'ConfigMap' && r.object.data !== undefined).map((r) => r.name);
  assert.deepEqual(kept, ['index', 'swallow', 'late', 'bad', 'other']);
  assert.equal(early.released, 1);
  assert.deepEqual(load.resources[0]!.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'ns' } });
  const streamed = run(load, early);
  assert.equal(JSON.stringify(streamed), JSON.stringify(plain));
  assert.deepEqual(
    streamed.findings.map((f) => `${f.ruleId} ${f.resource.name}:${f.location.line} ${f.message}`),
    [
      't/data plain:4 data plain',
      't/needs index:6 namespaces ns',
      't/data index:9 data index',
      't/needs swallow:11 objects 7',
      't/data swallow:14 data swallow',
      't/needs late:16 rbac setting {"defaults":false}',
      't/data late:19 data late',
      't/data bad:24 data bad',
      't/data other:29 data other',
      't/needs ns:31 about the namespace',
    ],
  );
  assert.deepEqual(
    streamed.errors.map((e) => e.message),
    ['rule t/needs could not evaluate ConfigMap/bad: cannot read this one'],
  );
});

test('the engine refuses early results made with another plan', () => {
  const early = new EarlyRules({ rules: RULES, settings: {} }, []);
  const load = loadText(CONFIG_MAPS, 'cm.yaml');
  early.take(load.resources);
  assert.throws(() => runEngine({ ...load, early }, { rules: RULES }), /another plan/);
});
