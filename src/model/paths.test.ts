import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePosixPath } from './paths.js';

const CASES: [string, string][] = [
  ['/', '/'],
  ['', '/'],
  ['/var/run/', '/var/run'],
  ['//var//run/docker.sock', '/var/run/docker.sock'],
  ['/var/./run/../run/docker.sock', '/var/run/docker.sock'],
  ['/../../etc', '/etc'],
  ['/run/..', '/'],
];

for (const [input, want] of CASES) {
  test(`normalisePosixPath(${JSON.stringify(input)}) = ${want}`, () => assert.equal(normalisePosixPath(input), want));
}
