// The static cost estimate when policies are read: the documentation's and the realistic policies
// pass (figures printed), over-limit ones are rejected at their file, line and field (per expression
// and per policy), and the estimate bounds what evaluation really costs on the fixtures' objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadText } from '../../src/input/files.js';
import { loadPolicies, visitExpressions, type Expr, type Policy } from '../../src/analyses/vap/policy.js';
import { estimate, PER_EXPRESSION_COST_LIMIT, type Shape } from '../../src/analyses/vap/cost.js';
import { BudgetExceeded, compile, toCel } from '../../src/analyses/vap/cel.js';

const FIX = 'test/vap/fixtures';
const load = (name: string) => loadText(readFileSync(`${FIX}/${name}`, 'utf8'), `${FIX}/${name}`).resources;

/** Every expression of a policy with its estimate (variables first, their shapes feeding the rest). */
function estimates(p: Policy): { e: Expr; cost: number }[] {
  const out: { e: Expr; cost: number }[] = [];
  visitExpressions<Shape>(p, (e, shapes) => {
    const s = estimate(e.program.ast, shapes);
    out.push({ e, cost: s.cost });
    return s;
  });
  return out;
}

test('the documentation examples and the realistic policies pass the estimate', () => {
  for (const f of ['docs-policies.yaml', 'realistic-policies.yaml', 'hostile-policy.yaml']) {
    const l = loadPolicies(load(f));
    assert.deepEqual(l.errors.map((e) => e.message), [], f);
    const worst = [...l.policies.values()].flatMap((p) => estimates(p).map((x) => ({ ...x, p: p.name }))).sort((a, b) => b.cost - a.cost)[0]!;
    console.log(`${f}: ${l.policies.size} policies accepted; highest estimate ${Math.round(worst.cost).toLocaleString('en-US')} (${worst.p} ${worst.e.pointer}), limit ${PER_EXPRESSION_COST_LIMIT.toLocaleString('en-US')}`);
    assert.ok(worst.cost <= PER_EXPRESSION_COST_LIMIT);
  }
});

test('over-limit policies are rejected at load, located, and not evaluated (exit 2)', () => {
  const l = loadPolicies(load('costly-policies.yaml'));
  const msgs = l.errors.map((e) => `${e.file}:${e.line} ${e.message}`);
  assert.equal(msgs.length, 2, msgs.join('\n'));
  assert.match(msgs[0]!, /^test\/vap\/fixtures\/costly-policies\.yaml:11 ValidatingAdmissionPolicy nested-three-deep \/spec\/validations\/0\/expression: estimated worst-case cost 2,344,748,270 exceeds the per-expression limit of 1,000,000 \(assuming lists of at most 100 items and strings of at most 256 characters/);
  assert.match(msgs[1]!, /^test\/vap\/fixtures\/costly-policies\.yaml:22 ValidatingAdmissionPolicy many-pairwise-checks \/spec: estimated worst-case cost of all its expressions 11,369,664 exceeds the per-policy limit of 10,000,000/);
  assert.equal(l.policies.get('nested-three-deep')!.broken, true);
  assert.equal(l.policies.get('many-pairwise-checks')!.broken, true);
  // a comprehension over a variable whose size is known (a list literal of 2) is cheap
  assert.equal(l.policies.get('bounded-by-variable')!.broken, false);
  assert.ok(estimates(l.policies.get('bounded-by-variable')!)[1]!.cost < 10_000);
});

test('scan --policies with an over-limit policy: exit 2, the policy not evaluated', { skip: !existsSync('dist/cli/main.js') && 'dist/ missing: run npm run build' }, () => {
  const r = spawnSync(process.execPath, ['bin/rampart.js', 'scan', '--no-config', '-o', 'json', `${FIX}/docs-objects.yaml`, '--policies', `${FIX}/costly-policies.yaml`], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  const rep = JSON.parse(r.stdout) as { errors: { message: string }[]; summary: { notEvaluated: number } };
  assert.ok(rep.errors.some((e) => /nested-three-deep .*per-expression limit/.test(e.message)));
  assert.ok(rep.summary.notEvaluated >= 2);
});

test('the estimate bounds the steps evaluation takes: each expression run with its estimate as budget never runs out', () => {
  const objects = [...load('docs-objects.yaml'), ...load('realistic-objects.yaml')];
  let runs = 0;
  for (const f of ['docs-policies.yaml', 'realistic-policies.yaml']) {
    for (const p of loadPolicies(load(f)).policies.values()) {
      for (const { e, cost } of estimates(p)) {
        for (const o of objects) {
          const bindings = { object: toCel(o.object), oldObject: null, params: toCel({ data: { maxReplicas: '3' }, maxReplicas: 3 }), namespaceObject: toCel({ metadata: { name: 'x', labels: { environment: 'staging' } } }), request: toCel({ userInfo: { username: 'u', groups: [] }, operation: 'CREATE', namespace: 'x' }), variables: {}, authorizer: null };
          try {
            e.program.run(bindings, Math.ceil(cost));
            runs++;
          } catch (err) {
            assert.ok(!(err instanceof BudgetExceeded), `${p.name} ${e.pointer} on ${o.kind}/${o.name}: estimate ${cost} below the steps taken`);
            runs++;
          }
        }
      }
    }
  }
  // and literal-sized work is estimated exactly enough to run: a 2-element map over a 3-element list
  const c = compile('[1, 2, 3].map(x, [x, x].size()).sum() == 6');
  assert.ok(c.ok);
  assert.equal(c.program.run({}, Math.ceil(estimate(c.program.ast).cost)), true);
  console.log(`estimate as budget: ${runs} evaluations, none ran out`);
});
