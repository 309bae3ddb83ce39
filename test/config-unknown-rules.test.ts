// A typo in a rule id in .rampart.yaml must not silently do nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, unknownRuleReferences } from '../src/engine/config.js';

const known = ['workload/read-only-root-fs', 'workload/probes', 'pss/privileged', 'config/expired-exception'];

test('unknown rule ids and exception rules are named, with a suggestion', () => {
  const cfg = parseConfig(
    'rules:\n  workload/read-only-rootfs: off\n  pss/*: high\n  nothing/*: off\nexceptions:\n  - rule: workload/probe\n    reason: batch jobs have no server\n',
    '.rampart.yaml',
  );
  const u = unknownRuleReferences(cfg, known);
  assert.deepEqual(
    u.map((x) => [x.ref, x.suggestion]),
    [
      ['workload/read-only-rootfs', 'workload/read-only-root-fs'],
      ['nothing/*', undefined],
      ['workload/probe', 'workload/probes'],
    ],
  );
  assert.match(u[2]!.where, /line 6/);
});

test('known ids and matching globs pass', () => {
  const cfg = parseConfig('rules:\n  pss/*: off\n  workload/probes: low\n', '.rampart.yaml');
  assert.deepEqual(unknownRuleReferences(cfg, known), []);
});
