import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageAllowed, isBuildToolReference, parseImage } from './images.js';

const D = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

test('parseImage: registry, repository, tag and digest as the runtime reads them', () => {
  const cases: [string, Partial<ReturnType<typeof parseImage>> | undefined][] = [
    ['nginx', { repository: 'library/nginx', canonicalName: 'docker.io/library/nginx', tag: undefined, registry: undefined }],
    ['nginx:1.27', { tag: '1.27', canonicalName: 'docker.io/library/nginx' }],
    ['user/app:v1', { repository: 'user/app', canonicalName: 'docker.io/user/app', tag: 'v1' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: undefined, canonicalName: 'localhost:5000/app' }],
    ['registry.local:5000/team/app:2.1', { registry: 'registry.local:5000', repository: 'team/app', tag: '2.1' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['index.docker.io/library/redis:7', { registry: 'index.docker.io', canonicalName: 'docker.io/library/redis', tag: '7' }],
    [`quay.io/org/app:1.2@${D}`, { registry: 'quay.io', tag: '1.2', digest: D }],
    [`nginx@${D}`, { tag: undefined, digest: D }],
    ['Registry.Example.COM/App:1', { registry: 'Registry.Example.COM', canonicalName: 'registry.example.com/App' }],
    ['nginx:', undefined],
    ['', undefined],
    ['has space:1', undefined],
    ['app@sha256:abc', undefined],
    ['/abs/path', undefined],
    ['a//b', undefined],
    ['ko://github.com/x/y', undefined],
  ];
  for (const [raw, want] of cases) {
    const got = parseImage(raw);
    if (want === undefined) {
      assert.equal(got, undefined, `${raw} is invalid`);
      continue;
    }
    assert.ok(got, `${raw} parses`);
    for (const [k, v] of Object.entries(want)) assert.equal((got as unknown as Record<string, unknown>)[k], v, `${raw}: ${k}`);
  }
});

test('imageAllowed: hosts and prefixes on "/" boundaries, Docker Hub aliases folded', () => {
  const allowed = ['registry.k8s.io', 'ghcr.io/acme/', 'docker.io/library', 'index.docker.io/bitnami'];
  const yes = ['registry.k8s.io/pause:3.9', 'ghcr.io/acme/web:1', 'ghcr.io/acme/team/web:1', 'nginx:1', 'redis', 'bitnami/redis:7', 'docker.io/bitnami/redis:7'];
  const no = ['ghcr.io/acme-evil/web:1', 'user/app:1', 'registry.k8s.io.evil.com/x:1', 'quay.io/acme/web:1'];
  for (const i of yes) assert.ok(imageAllowed(parseImage(i)!, allowed), `${i} is allowed`);
  for (const i of no) assert.ok(!imageAllowed(parseImage(i)!, allowed), `${i} is not allowed`);
  assert.ok(!imageAllowed(parseImage('nginx')!, []), 'an empty list allows nothing');
  assert.ok(!imageAllowed(parseImage('nginx')!, ['', '  ']), 'blank entries allow nothing');
});

test('isBuildToolReference: ko:// only', () => {
  assert.ok(isBuildToolReference('ko://github.com/tektoncd/pipeline/cmd/controller'));
  assert.ok(!isBuildToolReference('nginx:1.27'));
});
