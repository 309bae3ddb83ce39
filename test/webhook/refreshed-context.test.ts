// The webhook's cluster context: complete snapshots only, age exported, not ready when too old.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefreshedContext, type ContextRead } from '../../src/fronts/webhook/refreshed-context.js';
import { loadText } from '../../src/input/files.js';

const ns = (name: string) => loadText(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`, 'ns.yaml').resources;

test('first read makes it ready; an incomplete or failed read keeps the previous snapshot; age grows until the next good read', async () => {
  let clock = 1_000_000;
  const reads: (ContextRead | Error)[] = [{ resources: ns('a'), gaps: [] }, { resources: [], gaps: ['RoleBinding: forbidden'] }, new Error('connection refused'), { resources: ns('b'), gaps: [] }];
  const logs: Record<string, unknown>[] = [];
  const ctx = new RefreshedContext({
    read: async () => {
      const r = reads.shift()!;
      if (r instanceof Error) throw r;
      return r;
    },
    intervalMs: 60_000,
    maxAgeMs: 120_000,
    now: () => clock,
    log: (e) => logs.push(e),
  });
  assert.equal(ctx.ready(), false, 'not ready before the first read');
  assert.equal(ctx.ageSeconds(), -1);
  await ctx.start();
  ctx.stop();
  assert.equal(ctx.ready(), true);
  assert.ok(ctx.current().index.find('Namespace', 'a'));
  clock += 30_000;
  await ctx.refresh(); // incomplete: kept
  assert.ok(ctx.current().index.find('Namespace', 'a'), 'the incomplete read did not replace the snapshot');
  assert.equal(ctx.ageSeconds(), 30);
  clock += 100_000;
  await ctx.refresh(); // failed: kept, now too old
  assert.equal(ctx.ready(), false, 'older than maxAge: not ready');
  assert.ok(logs.some((l) => String(l.msg).includes('incomplete')) && logs.some((l) => String(l.msg).includes('failed')));
  await ctx.refresh();
  assert.ok(ctx.current().index.find('Namespace', 'b'));
  assert.equal(ctx.ready(), true);
  assert.equal(ctx.ageSeconds(), 0);
});
