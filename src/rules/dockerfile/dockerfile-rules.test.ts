// Valid/invalid tables for the dockerfile/* rules: Dockerfile text in, findings (line, message) out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../../engine/rule.js';
import { runEngine } from '../../engine/run.js';
import { loadText } from '../../input/files.js';
import user from './user.js';
import baseImage from './base-image.js';
import addUrl from './add-url.js';
import curlPipeShell from './curl-pipe-shell.js';
import secretInEnv from './secret-in-env.js';
import packageCache from './package-cache.js';

function scanDockerfile(rule: AnyRule, text: string) {
  const report = runEngine(loadText(text, 'app/Dockerfile'), { rules: [rule] });
  assert.deepEqual(report.errors, []);
  return report.findings.map((f) => ({ line: f.location.line, severity: f.severity, message: f.message, file: f.location.file }));
}

function table(rule: AnyRule, cases: { valid: string[]; invalid: { text: string; findings: { line: number; message: string; severity?: string }[] }[] }) {
  cases.valid.forEach((text, i) => test(`${rule.meta.id}: valid #${i + 1}`, () => assert.deepEqual(scanDockerfile(rule, text), [])));
  cases.invalid.forEach((c, i) =>
    test(`${rule.meta.id}: invalid #${i + 1}`, () => {
      const found = scanDockerfile(rule, c.text);
      assert.equal(found.length, c.findings.length, JSON.stringify(found));
      c.findings.forEach((e, j) => {
        assert.equal(found[j]!.file, 'app/Dockerfile');
        assert.equal(found[j]!.line, e.line);
        assert.ok(found[j]!.message.includes(e.message), `"${found[j]!.message}" should include "${e.message}"`);
        if (e.severity) assert.equal(found[j]!.severity, e.severity);
      });
    }),
  );
}

table(user, {
  valid: [
    'FROM node:20\nUSER node\n',
    'FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static:nonroot\nUSER 65532:65532\n',
    'FROM alpine:3.19 AS base\nUSER 1000\nFROM base\nRUN echo inherits USER from the stage it is built from\n',
  ],
  invalid: [
    { text: 'FROM golang:1.22 AS build\nUSER 1000\nFROM debian:12\nCOPY --from=build /app /app\n', findings: [{ line: 3, message: 'the final stage (FROM debian:12) sets no USER' }] },
    { text: 'FROM node:20\nUSER node\nRUN id\nUSER root\n', findings: [{ line: 4, message: "last USER is root" }] },
  ],
});

table(baseImage, {
  valid: ['FROM debian:12.5@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31 AS build\nFROM build\nFROM scratch\n'],
  invalid: [
    {
      text: 'ARG BASE=node:20\nARG TAG\nFROM ubuntu\nFROM --platform=$BUILDPLATFORM python:latest AS py\nFROM ${BASE}\nFROM alpine:$TAG\n',
      findings: [
        { line: 3, severity: 'medium', message: 'FROM ubuntu has no tag (:latest)' },
        { line: 4, severity: 'medium', message: 'FROM python:latest uses :latest' },
        { line: 5, severity: 'info', message: 'FROM ${BASE} (= node:20) is not pinned by digest' },
        { line: 6, severity: 'info', message: 'depends on a build argument without a default' },
      ],
    },
  ],
});

table(addUrl, {
  valid: ['FROM alpine:3.19\nADD app.tar.gz /opt/\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /tmp/\nCOPY https.txt /\n'],
  invalid: [{ text: 'FROM alpine:3.19\nADD https://example.com/tool.tgz /tmp/\nADD ["http://example.com/a b", "/x"]\n', findings: [{ line: 2, message: 'ADD fetches https://example.com/tool.tgz without --checksum' }, { line: 3, message: 'http://example.com/a b' }] }],
});

table(curlPipeShell, {
  valid: ['FROM alpine:3.19\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh && echo "abc  /tmp/i.sh" | sha256sum -c && sh /tmp/i.sh\nRUN echo hi | sh\n'],
  invalid: [
    {
      text: 'FROM alpine:3.19\nRUN curl -fsSL https://get.example.com \\\n  | sudo bash -s -- --yes\nRUN wget -qO- https://example.com/x.py | python3\nRUN sh -c "$(curl -fsSL https://example.com/install.sh)"\n',
      findings: [{ line: 2, message: 'curl download unverified in a shell' }, { line: 4, message: 'wget download unverified in python3' }, { line: 5, message: 'curl download unverified in a shell' }],
    },
  ],
});

// Built at run time so the repository holds no credential-shaped literal.
const GH_TOKEN = ['ghp_', 'R7kT2mQ9xV4nB8cL1pZ6wJ3sD5fH0gY2aE4u'].join('');
table(secretInEnv, {
  valid: ['FROM alpine:3.19\nENV PATH=/usr/local/bin:$PATH NODE_ENV=production\nARG VERSION=1.2\nENV DB_PASSWORD_FILE=/run/secrets/db\nENV API_TOKEN=${API_TOKEN}\nENV DB_PASSWORD=changeme\n'],
  invalid: [
    {
      text: `FROM alpine:3.19\nENV GITHUB=${GH_TOKEN}\nENV DB_PASSWORD hunter2-Very-Secret-9\nARG NPM_TOKEN\nARG MODE=fast API_KEY="Zq8xK2mV9pL4rT7w"\n`,
      findings: [
        { line: 2, severity: 'high', message: 'ENV GITHUB holds' },
        { line: 3, severity: 'high', message: 'ENV DB_PASSWORD sets a literal credential (value not shown)' },
        { line: 4, severity: 'medium', message: 'ARG NPM_TOKEN passes a credential as a build argument' },
        { line: 5, severity: 'high', message: 'ARG API_KEY sets a literal credential' },
      ],
    },
  ],
});

test('dockerfile/secret-in-env: no finding carries the value', () => {
  const found = scanDockerfile(secretInEnv, `FROM alpine:3.19\nENV GITHUB=${GH_TOKEN}\nENV DB_PASSWORD hunter2-Very-Secret-9\n`);
  assert.equal(found.length, 2);
  for (const f of found) assert.ok(!f.message.includes(GH_TOKEN) && !f.message.includes('hunter2'), f.message);
});

table(packageCache, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\nRUN apk add --no-cache curl\nRUN dnf install -y git && dnf clean all\nRUN pip install --no-cache-dir flask\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y gcc\n',
    'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n',
  ],
  invalid: [
    {
      text: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\nRUN apk add curl && pip3 install requests\nRUN yum install -y git\n',
      findings: [{ line: 2, message: 'installs with apt-get and leaves' }, { line: 4, message: 'installs with apk, pip' }, { line: 5, message: 'yum/dnf' }],
    },
  ],
});
