import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnsetQuantity } from './compute-resources.js';

test('isUnsetQuantity: absent, mistyped and zero quantities bound nothing', () => {
  for (const v of [undefined, null, '', ' ', '0', '0m', '0Mi', '0.0', '00', 0, -1, [], {}, true]) assert.ok(isUnsetQuantity(v), `${JSON.stringify(v)} is unset`);
  for (const v of ['1', '100m', '0.5', '128Mi', '1Gi', '1e3', '10', 1, 0.25, '+1']) assert.ok(!isUnsetQuantity(v), `${JSON.stringify(v)} is set`);
});
