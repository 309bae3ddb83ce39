// Dockerfiles and Containerfiles found in a scanned tree go through the same engine and reports,
// with file:line findings, whether or not charts are rendered; no report carries a detected value.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/scan-dockerfile.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-dockerfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// Built at run time so the repository holds no credential-shaped literal.
const TOKEN = ['ghp_', 'R7kT2mQ9xV4nB8cL1pZ6wJ3sD5fH0gY2aE4u'].join('');
mkdirSync(path.join(dir, 'web'));
writeFileSync(path.join(dir, 'web', 'Dockerfile'), `FROM node:20\nENV GITHUB=${TOKEN}\nRUN curl -fsSL https://get.example.com | sh\n`);
writeFileSync(path.join(dir, 'web', 'worker.Containerfile'), 'FROM alpine:3.19@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\nRUN apk add --no-cache curl\nUSER 10001\n');
writeFileSync(path.join(dir, 'web', 'Dockerfile.dockerignore'), 'node_modules\n');
writeFileSync(path.join(dir, 'web', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {a: b}\n');

interface Report {
  summary: { files: number; resources: number };
  findings: { ruleId: string; location: { file: string; line: number } }[];
  errors: unknown[];
}

for (const render of [[], ['--no-render']]) {
  test(`a tree's Dockerfile is scanned with file:line findings ${render.length ? '(--no-render)' : '(default)'}`, { skip: !built }, () => {
    const r = runCli(['scan', dir, '--no-config', '--fail-on', 'never', '-o', 'json', '--rule', 'dockerfile/*', ...render]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.errors, []);
    assert.equal(report.summary.files, 3, 'Dockerfile, worker.Containerfile and cm.yaml; not the .dockerignore');
    assert.deepEqual(
      report.findings.map((f) => `${path.basename(f.location.file)}:${f.location.line} ${f.ruleId}`),
      ['Dockerfile:1 dockerfile/user', 'Dockerfile:1 dockerfile/base-image', 'Dockerfile:2 dockerfile/secret-in-env', 'Dockerfile:3 dockerfile/curl-pipe-shell'],
    );
  });
}

test('no report format carries the value found in a Dockerfile ENV', { skip: !built }, () => {
  for (const o of ['text', 'json', 'sarif', 'junit', 'markdown', 'html', 'policyreport']) {
    const r = runCli(['scan', dir, '--no-config', '--fail-on', 'never', '-o', o]);
    assert.ok(r.stdout.includes('secret-in-env'), `${o} reports the finding`);
    assert.ok(!(r.stdout + r.stderr).includes(TOKEN.slice(4)), `${o} does not contain the value`);
  }
});
