// The watch-fed cache (for the admission webhook): list, then watch; reconnect after a dropped
// watch; list again when the history expired (410), without losing or duplicating objects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient, resolveTargets } from '../../src/input/cluster/index.js';
import { ClusterCache } from '../../src/input/cluster/cache.js';
import { startCluster, ns, pod, type ClusterFixture } from '../support/cluster.js';

let fx: ClusterFixture;
before(async () => {
  fx = await startCluster((s) => s.add(ns('a'), pod('a', 'one'), pod('a', 'two')));
});
after(async () => fx?.close());

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('list, watch, reconnect and relist after 410 keep the cache equal to the server', async () => {
  const client = new KubeClient(resolveTargets({ kubeconfig: fx.kubeconfig.token })[0]!);
  const changes: string[] = [];
  const cache = new ClusterCache(client, { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, { maxBackoffMs: 50, onChange: (t, r) => changes.push(`${t} ${r.name}`) });
  await cache.start();
  try {
    assert.equal(cache.synced, true);
    assert.deepEqual(cache.all().map((r) => r.name).sort(), ['one', 'two']);
    assert.equal(cache.get('one', 'a')!.locator.locate('/spec').file, 'cluster://test/a/Pod/one');

    fx.server.add(pod('a', 'three'));
    await until('ADDED three', () => cache.get('three', 'a') !== undefined);
    fx.server.remove('pods', 'one', 'a');
    await until('DELETED one', () => cache.get('one', 'a') === undefined);
    assert.deepEqual(changes, ['ADDED three', 'DELETED one']);

    // The API server drops the watch: the cache watches again from where it was and misses nothing.
    fx.server.dropWatches();
    fx.server.add(pod('a', 'four'));
    await until('four after a reconnect', () => cache.get('four', 'a') !== undefined);
    assert.equal(cache.lists, 1, 'a reconnect does not list again');

    // History compacted while disconnected: the server answers 410, the cache lists again.
    fx.server.compact();
    fx.server.dropWatches();
    fx.server.remove('pods', 'two', 'a');
    await until('relist after 410', () => cache.lists === 2 && cache.get('two', 'a') === undefined);
    assert.deepEqual(cache.all().map((r) => r.name).sort(), ['four', 'three']);
    assert.ok(fx.server.requests.some((q) => q.path.includes('watch=1')));
  } finally {
    await cache.stop();
    client.close();
  }
});
