// The webhook's watch-fed context: one snapshot for requests, rebuilt after changes; age and readiness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchedContext, type WatchedCollection } from '../../src/fronts/webhook/watched-context.js';
import { loadText } from '../../src/input/files.js';
import type { Resource } from '../../src/model/types.js';

const ns = (name: string) => loadText(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`, 'ns.yaml').resources;

class FakeCollection implements WatchedCollection {
  items: Resource[] = [];
  down: number | undefined;
  async start() {}
  async stop() {}
  all() {
    return this.items;
  }
  brokenSince() {
    return this.down;
  }
}

test('snapshot after start; changes appear after rebuild; age 0 while watches are up, grows while one is down', async () => {
  let clock = 10_000;
  const a = new FakeCollection();
  a.items = ns('a');
  const ctx = new WatchedContext({ collections: [a], maxAgeMs: 60_000, now: () => clock, rebuildMs: 10_000 });
  assert.equal(ctx.ageSeconds(), -1);
  assert.equal(ctx.ready(), false);
  await ctx.start();
  assert.ok(ctx.current().index.find('Namespace', 'a'));
  assert.equal(ctx.ageSeconds(), 0);
  assert.equal(ctx.ready(), true);
  a.items = [...a.items, ...ns('b')];
  ctx.changed();
  assert.equal(ctx.current().index.find('Namespace', 'b'), undefined, 'requests keep the snapshot until the rebuild');
  ctx.rebuild();
  assert.ok(ctx.current().index.find('Namespace', 'b'));
  a.down = clock;
  clock += 30_000;
  assert.equal(ctx.ageSeconds(), 30);
  assert.equal(ctx.ready(), true);
  clock += 60_000;
  assert.equal(ctx.ready(), false, 'a watch down longer than maxAge: not ready');
  a.down = undefined;
  assert.equal(ctx.ready(), true);
  await ctx.stop();
});
