// The `netpol:` section of .rampart.yaml: validated by the schema, read by the coverage rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../engine/config.js';
import { netpolSettings, DEFAULT_IGNORED_NAMESPACES } from '../../analyses/netpol/index.js';

test('netpol config: ignoreNamespaces is read', () => {
  const cfg = parseConfig('netpol:\n  ignoreNamespaces: [monitoring]\n', '.rampart.yaml');
  assert.deepEqual(netpolSettings(cfg.settings).ignoreNamespaces, ['monitoring']);
  assert.deepEqual(netpolSettings({}).ignoreNamespaces, DEFAULT_IGNORED_NAMESPACES);
});

for (const [name, text, where, line] of [
  ['unknown key', 'netpol:\n  ignoreNamespace: [a]\n', /at \/netpol: .*additional properties "ignoreNamespace"/, 1],
  ['wrong type', 'netpol:\n  ignoreNamespaces: kube-system\n', /at \/netpol\/ignoreNamespaces: must be array/, 2],
  ['empty name', 'netpol:\n  ignoreNamespaces: [""]\n', /at \/netpol\/ignoreNamespaces\/0:/, 2],
] as const) {
  test(`netpol config: ${name} is rejected with its location`, () => {
    assert.throws(() => parseConfig(text, '.rampart.yaml'), (e: unknown) => e instanceof ConfigError && where.test(e.message) && e.line === line);
  });
}
