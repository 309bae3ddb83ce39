import rule from './implicit-registry.js';
import { ruleTable, scanYaml } from '../testing/harness.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pod = (...images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${images.map((im, i) => `  - name: c${i}\n    image: "${im}"\n`).join('')}`;

// Off by default (see the rule's metadata); the table runs it switched on.
const on = { ...rule, meta: { ...rule.meta, defaultOff: false } };

test('image/implicit-registry is off until enabled', () => {
  assert.equal(rule.meta.defaultOff, true);
  assert.deepEqual(scanYaml(rule, pod('nginx:1.27')), []);
});

ruleTable(on, {
  valid: [
    { name: 'a registry host (dot, port or localhost) is explicit, Docker Hub included', yaml: pod('docker.io/library/nginx:1.27', 'registry.k8s.io/pause:3.9', 'registry.example.com:5000/app:1', 'localhost/dev:1', 'index.docker.io/bitnami/redis:7') },
    { name: 'ko:// build references are resolved before deploy', yaml: pod('ko://github.com/acme/cmd/server') },
    { name: 'a placeholder is not an image reference', yaml: pod('<YOUR-CONTAINER>', 'MyImage:1') },
    { name: 'a missing or invalid image is image/latest-tag\'s finding', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a}\n  - {name: b, image: "bad image"}\n' },
    { name: 'not a workload', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n' },
  ],
  invalid: [
    {
      name: 'official image, organisation image, digest-pinned short name',
      yaml: pod('nginx:1.27', 'bitnami/redis:7', 'busybox@sha256:' + 'a'.repeat(64)),
      findings: [
        { path: '/spec/containers/0/image', line: 7, column: 5, message: 'container "c0" image nginx:1.27 names no registry: containerd and Docker pull docker.io/library/nginx (Docker Hub)' },
        { path: '/spec/containers/1/image', message: 'image bitnami/redis:7 names no registry: containerd and Docker pull docker.io/bitnami/redis' },
        { path: '/spec/containers/2/image', message: 'docker.io/library/busybox' },
      ],
    },
    {
      name: 'init and ephemeral containers and pod templates count',
      yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      initContainers: [{name: init, image: alpine:3.20}]\n      containers: [{name: app, image: ghcr.io/acme/app:1}]\n      ephemeralContainers: [{name: dbg, image: busybox:1.36}]\n',
      findings: [
        { path: '/spec/template/spec/initContainers/0/image', message: 'alpine:3.20' },
        { path: '/spec/template/spec/ephemeralContainers/0/image', message: 'busybox:1.36' },
      ],
    },
  ],
});
