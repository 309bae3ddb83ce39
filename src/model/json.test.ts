import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePointer, pointer } from './json.js';

test('parsePointer: RFC 6901 unescaping (~1 then ~0), the inverse of pointer', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['/', ['']],
    ['/spec/template/spec/containers/0', ['spec', 'template', 'spec', 'containers', '0']],
    ['/metadata/annotations/a~1b', ['metadata', 'annotations', 'a/b']],
    ['/m/~0', ['m', '~']],
    ['/m/~01', ['m', '~1']],
    ['/m/~10', ['m', '/0']],
    ['/a//b/', ['a', '', 'b', '']],
  ];
  for (const [p, want] of cases) assert.deepEqual(parsePointer(p), want, p);
  for (const segs of [['a/b', '~', 'c~1'], ['x'], ['', '']]) assert.deepEqual(parsePointer(pointer(...segs)), segs);
  assert.throws(() => parsePointer('spec'), /invalid JSON Pointer/);
});
