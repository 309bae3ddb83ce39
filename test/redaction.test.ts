// No secret value may appear in any report, whatever rules run and whatever breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText, mergeLoads, emptyLoad } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { builtinRules } from '../src/rules/index.js';
import { reporters } from '../src/reports/index.js';
import { contextFor } from './support/report-helpers.js';
import { runCli } from './support/cli.js';

// Distinctive values, so a leak cannot hide in a common word.
const SECRETS = {
  envLiteral: 'Hunter2-EnvLiteral-9f8e7d',
  envPassword: 'pw-Zq81-literal-k8s',
  stringData: 'stringData-Value-77aa',
  dataPlain: 'data-plain-Value-55bb',
  dataB64: Buffer.from('data-plain-Value-55bb').toString('base64'),
  configMapToken: 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  brokenLine: 'broken-Doc-Secret-31cd',
  annotation: 'annot-Token-0c0c',
  privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
};

const MANIFESTS = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: default
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"${SECRETS.annotation}"}}'
type: Opaque
stringData:
  password: ${SECRETS.stringData}
data:
  token: ${SECRETS.dataB64}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:latest
        env:
        - {name: API_TOKEN, value: "${SECRETS.envLiteral}"}
        - {name: DB_PASSWORD, value: ${SECRETS.envPassword}}
        - name: TLS_KEY
          value: |
            -----BEGIN PRIVATE KEY-----
            ${SECRETS.privateKey}
            -----END PRIVATE KEY-----
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data:
  GITHUB_TOKEN: ${SECRETS.configMapToken}
`;

// A broken Secret: the parse error must not quote the offending line.
const BROKEN = `apiVersion: v1\nkind: Secret\nmetadata: {name: broken}\nstringData:\n  password: "${SECRETS.brokenLine}\n  other: [\n`;

function report() {
  const load = mergeLoads(mergeLoads(emptyLoad(), loadText(MANIFESTS, 'secrets.yaml')), loadText(BROKEN, 'broken.yaml'));
  return runEngine(load, { rules: builtinRules });
}

test('the fixture does produce findings and errors (the redaction check is not vacuous)', () => {
  const r = report();
  assert.ok(r.findings.length > 3, `expected findings, got ${r.findings.length}`);
  assert.ok(r.errors.some((e) => e.file === 'broken.yaml'));
  assert.ok(r.findings.some((f) => /\/env\/\d+/.test(f.location.path)), 'a rule reported the literal env values');
});

for (const format of Object.keys(reporters)) {
  test(`redaction: no secret value appears in ${format} output`, () => {
    const out = reporters[format]!(report(), contextFor(builtinRules));
    for (const [what, value] of Object.entries(SECRETS)) assert.ok(!out.includes(value), `${what} leaked into ${format} output`);
  });
}

test('redaction: the CLI (json and text, with the auto-discovered config off) does not print secret values', () => {
  for (const format of ['json', 'text', 'sarif']) {
    const cli = runCli(['scan', '-', '-o', format, '--no-config', '--fail-on', 'never'], MANIFESTS);
    for (const [what, value] of Object.entries(SECRETS)) {
      assert.ok(!cli.stdout.includes(value), `${what} leaked into CLI ${format} stdout`);
      assert.ok(!cli.stderr.includes(value), `${what} leaked into CLI ${format} stderr`);
    }
  }
});
