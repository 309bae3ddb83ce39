// The pss family as a whole: one rule per upstream check, severities by level, real references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pssRules } from './index.js';
import { CHECKS } from '../../analyses/pss/registry.js';

test('every upstream check has a pss/<checkId> rule with the severity of its level', () => {
  for (const c of CHECKS) {
    const rule = pssRules.find((r) => r.meta.id === `pss/${c.id}`);
    assert.ok(rule, `missing rule pss/${c.id}`);
    assert.equal(rule.meta.references.pss, c.level);
    if (c.level === 'baseline') assert.ok(['critical', 'high'].includes(rule.meta.severity), `${rule.meta.id} is baseline: critical or high`);
    else assert.equal(rule.meta.severity, 'medium', `${rule.meta.id} is restricted-only: medium`);
  }
});

test('rule ids are unique and MITRE ids are technique ids', () => {
  const ids = pssRules.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of pssRules) for (const m of r.meta.references.mitre ?? []) assert.match(m, /^T\d{4}(\.\d{3})?$/, `${r.meta.id}: ${m}`);
});

const CIS = path.join('..', 'shared', 'corpus', 'cis', 'items.json');
if (!existsSync(CIS)) console.error(`\n!!! CIS reference check SKIPPED: ${CIS} is absent !!!\n`);
test('CIS references name items of the CIS Kubernetes Benchmark v1.12', { skip: !existsSync(CIS) && 'CIS corpus absent' }, () => {
  const items = new Set((JSON.parse(readFileSync(CIS, 'utf8')) as { id: string }[]).map((i) => String(i.id)));
  for (const r of pssRules) for (const id of r.meta.references.cis ?? []) assert.ok(items.has(id), `${r.meta.id}: CIS ${id} is not a v1.12 item`);
});
