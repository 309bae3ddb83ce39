// Rampart must judge the object the API server receives, so scalars resolve as kubectl's YAML 1.1 decoder does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../src/input/yaml.js';

const cases: [string, unknown][] = [
  ['privileged: yes', true],
  ['privileged: on', true],
  ['privileged: y', true],
  ['privileged: no', false],
  ['privileged: off', false],
  ['privileged: "yes"', 'yes'],
  ['defaultMode: 0644', 420],
  ['defaultMode: 420', 420],
  ['defaultMode: 0o644', '0o644'],
  ['creationTimestamp: 2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
  ['port: 0x1F', 31],
  ['value: ~', null],
];

for (const [text, expected] of cases) {
  test(`kubectl reads \`${text}\` as ${JSON.stringify(expected)}`, () => {
    const parsed = parseYaml(text + '\n', 't.yaml');
    assert.deepEqual(parsed.errors, []);
    const v = parsed.documents[0]!.value as Record<string, unknown>;
    assert.deepEqual(Object.values(v)[0], expected);
  });
}

test('merge keys are honoured, as kubectl does', () => {
  const parsed = parseYaml('base: &b {a: 1}\nm:\n  <<: *b\n  c: 2\n', 't.yaml');
  assert.deepEqual((parsed.documents[0]!.value as Record<string, unknown>).m, { a: 1, c: 2 });
});
