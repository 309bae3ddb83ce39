// redactText: the shapes in which renderer messages quote secrets (from helm and kubectl kustomize
// output seen on the probes and the corpus), and text that must stay readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText } from './redact.js';

const cases: { name: string; text: string; gone: string[]; kept: string[]; known?: string[] }[] = [
  {
    name: 'kustomize: a last-applied-configuration copy inside a Go struct dump',
    text: `err="missing metadata.name in object {{v1 Secret} {{ shop} map[] map[kubectl.kubernetes.io/last-applied-configuration:{\\"kind\\":\\"Secret\\",\\"stringData\\":{\\"password\\":\\"pw-1\\"}}]}}': must build"`,
    gone: ['pw-1', 'stringData'],
    kept: ['missing metadata.name', 'last-applied-configuration:{[redacted]}', 'must build'],
  },
  {
    name: 'helm: a values-schema error quoting the value',
    text: "- at '/dbPassword': 'pw-helmvalues-0009' does not match pattern '^[a-z]+$'",
    gone: ['pw-helmvalues-0009'],
    kept: ["at '/dbPassword': '[redacted]' does not match pattern '^[a-z]+$'"],
  },
  {
    name: 'credential-named keys in YAML, JSON, env and flag forms',
    text: 'password: hunter22\n"apiKey":"k-123456" DB_PASSWORD=s3cr3t! --client-secret=abcdef token: \'t0k3n\'',
    gone: ['hunter22', 'k-123456', 's3cr3t!', 'abcdef', 't0k3n'],
    kept: ['password: [redacted]', '"apiKey":"[redacted]"', 'DB_PASSWORD=[redacted]', "token: '[redacted]'"],
  },
  {
    name: 'Secret data in a Go map dump and in JSON',
    text: 'map[apiVersion:v1 data:map[tls.key:LS0tLS1CRUdJTg==] kind:Secret] {"data":{"config.json":"eyJhdXRocyI6e319"}}',
    gone: ['LS0tLS1CRUdJTg==', 'eyJhdXRocyI6e319'],
    kept: ['kind:Secret', 'apiVersion:v1'],
  },
  {
    name: 'token shapes anywhere: AWS key id, PEM private key, bearer token',
    text: 'value AKIAHELMVALUES000009 in -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- Authorization: Bearer abcdefghijklmnop',
    gone: ['AKIAHELMVALUES000009', 'MIIEow', 'abcdefghijklmnop'],
    kept: ['value [redacted] in'],
  },
  {
    name: 'values the caller knows (--set) wherever they appear',
    text: 'Error: failed parsing --set data: key "x" has no value (cannot end with ,): hunter2hunter2',
    known: ['hunter2hunter2'],
    gone: ['hunter2hunter2'],
    kept: ['failed parsing --set data'],
  },
  {
    name: 'names about a credential, file paths and plain errors stay readable',
    text: "secretName: db-creds\nsecretKeyRef: {name: x}\nfiles/pw -> /etc/passwd: leaves the chart\naccumulating resources from 'secret.yaml': missing metadata.name",
    gone: [],
    kept: ['secretName: db-creds', '/etc/passwd: leaves the chart', "'secret.yaml': missing metadata.name"],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const out = redactText(c.text, c.known);
    for (const g of c.gone) assert.ok(!out.includes(g), `"${g}" is still in: ${out}`);
    for (const k of c.kept) assert.ok(out.includes(k), `"${k}" is missing from: ${out}`);
  });
}
