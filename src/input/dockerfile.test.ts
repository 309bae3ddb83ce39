import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerfileResource, isContainerfileName, parseDockerfile } from './dockerfile.js';

test('Dockerfile names found in a tree', () => {
  const yes = ['Dockerfile', 'Containerfile', 'Dockerfile.prod', 'api.Dockerfile', 'build/web.containerfile'];
  const no = ['Dockerfile.dockerignore', 'dockerfile.md', 'Dockerfile.yaml', 'Dockerfiles', 'notes.txt', 'docker-compose.yml'];
  assert.deepEqual(yes.filter((n) => !isContainerfileName(n)), []);
  assert.deepEqual(no.filter(isContainerfileName), []);
});

test('instructions with their first line: continuations, comments inside them, heredocs, stages, the escape directive', () => {
  const text = `# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
RUN apt-get update && \\
# a comment inside the continuation
    apt-get install -y git \\

    && rm -rf /var/lib/apt/lists/*
COPY <<EOF /etc/app.conf
listen 8080
EOF
from gcr.io/distroless/static:nonroot
USER 65532
`;
  assert.deepEqual(
    parseDockerfile(text).map((i) => [i.instruction, i.line, i.stage, i.value]),
    [
      ['FROM', 2, 0, 'golang:1.22 AS build'],
      ['RUN', 3, 0, 'apt-get update &&      apt-get install -y git      && rm -rf /var/lib/apt/lists/*'],
      ['COPY', 8, 0, '<<EOF /etc/app.conf\nlisten 8080'],
      ['FROM', 11, 1, 'gcr.io/distroless/static:nonroot'],
      ['USER', 12, 1, '65532'],
    ],
  );
  const windows = '# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN dir c:\\ `\r\n  && echo done\r\n';
  assert.deepEqual(parseDockerfile(windows).map((i) => [i.instruction, i.line, i.value]), [
    ['FROM', 2, 'mcr.microsoft.com/windows/servercore:ltsc2022'],
    ['RUN', 3, 'dir c:\\    && echo done'],
  ]);
});

test('the resource locates /instructions/N at the instruction\'s line', () => {
  const r = dockerfileResource('FROM alpine:3.19\n\nRUN \\\n  apk add curl\n', 'app/Dockerfile');
  assert.equal(r.kind, 'Dockerfile');
  assert.equal(r.name, 'app/Dockerfile');
  assert.deepEqual(r.locator.locate('/instructions/1'), { file: 'app/Dockerfile', line: 3, column: 1, path: '/instructions/1' });
  assert.equal(r.locator.locate('').line, 1);
});
