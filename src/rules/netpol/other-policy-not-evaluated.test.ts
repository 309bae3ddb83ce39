// Cilium, Calico, Antrea and AdminNetworkPolicy objects: the "nothing isolates this" rules withhold
// their claim where such an object may apply, and this rule names what was not evaluated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from './other-policy-not-evaluated.js';
import ingressRule from './namespace-default-deny-ingress.js';
import egressRule from './namespace-default-deny-egress.js';
import notSelected from './workload-not-selected.js';
import invalidPolicy from './invalid-policy.js';
import { ruleTable } from '../testing/harness.js';
import { loadText } from '../../input/files.js';
import { exitCodeFor, runEngine } from '../../engine/run.js';

const deploy = (ns: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx:1.27}]}\n`;
const cilium = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n';
const ccnp = 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: baseline}\nspec:\n  endpointSelector: {}\n  ingressDeny: [{fromEntities: [world]}]\n';
const calicoNs = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: allow-web, namespace: shop}\nspec:\n  selector: app == \'web\'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [80]}\n';
const calicoGlobal = 'apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  selector: all()\n  types: [Ingress, Egress]\n';
const anp = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: isolate}\nspec:\n  priority: 10\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n';
const banp = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n';
const staged = 'apiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata: {name: trial, namespace: shop}\nspec: {selector: all()}\n';

function findings(yaml: string): string[] {
  const load = loadText(yaml, 't.yaml');
  return runEngine(load, { rules: [ingressRule, egressRule, notSelected, invalidPolicy, rule] }).findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`);
}

const cases: { name: string; yaml: string; expect: string[] }[] = [
  {
    name: 'CiliumNetworkPolicy in the namespace: no default-deny or not-selected claim there; named as not evaluated',
    yaml: `${deploy('shop')}---\n${cilium}`,
    expect: ['netpol/other-policy-not-evaluated CiliumNetworkPolicy/shop/deny-all'],
  },
  {
    name: 'a namespaced Cilium policy does not hide the findings of another namespace',
    yaml: `${deploy('shop')}---\n${deploy('blog')}---\n${cilium}`,
    expect: [
      'netpol/namespace-default-deny-egress Deployment/blog/web',
      'netpol/namespace-default-deny-ingress Deployment/blog/web',
      'netpol/other-policy-not-evaluated CiliumNetworkPolicy/shop/deny-all',
      'netpol/workload-not-selected Deployment/blog/web',
    ],
  },
  { name: 'CiliumClusterwideNetworkPolicy applies everywhere', yaml: `${deploy('shop')}---\n${deploy('blog')}---\n${ccnp}`, expect: ['netpol/other-policy-not-evaluated CiliumClusterwideNetworkPolicy//baseline'] },
  { name: 'Calico NetworkPolicy is not parsed as a Kubernetes one (no invalid-policy)', yaml: `${deploy('shop')}---\n${calicoNs}`, expect: ['netpol/other-policy-not-evaluated NetworkPolicy/shop/allow-web'] },
  { name: 'Calico GlobalNetworkPolicy (crd.projectcalico.org)', yaml: `${deploy('shop')}---\n${calicoGlobal}`, expect: ['netpol/other-policy-not-evaluated GlobalNetworkPolicy//default-deny'] },
  { name: 'AdminNetworkPolicy', yaml: `${deploy('shop')}---\n${anp}`, expect: ['netpol/other-policy-not-evaluated AdminNetworkPolicy//isolate'] },
  { name: 'BaselineAdminNetworkPolicy', yaml: `${deploy('shop')}---\n${banp}`, expect: ['netpol/other-policy-not-evaluated BaselineAdminNetworkPolicy//default'] },
  {
    name: 'a Calico StagedNetworkPolicy enforces nothing: the findings stand',
    yaml: `${deploy('shop')}---\n${staged}`,
    expect: ['netpol/namespace-default-deny-egress Deployment/shop/web', 'netpol/namespace-default-deny-ingress Deployment/shop/web', 'netpol/workload-not-selected Deployment/shop/web'],
  },
];

for (const c of cases) {
  test(`other network policy kinds: ${c.name}`, () => {
    assert.deepEqual(findings(c.yaml).sort(), c.expect);
  });
}

ruleTable(rule, {
  valid: [{ name: 'only Kubernetes NetworkPolicies', yaml: `${deploy('shop')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d, namespace: shop}\nspec: {podSelector: {}}\n` }],
  invalid: [
    {
      name: 'names the object, the namespaces and the withheld rules',
      yaml: `${deploy('shop')}---\n${cilium}`,
      findings: [{ path: '/kind', severity: 'info', resource: 'CiliumNetworkPolicy/deny-all', message: 'CiliumNetworkPolicy shop/deny-all (Cilium) is not evaluated by Rampart; it may apply to pods of namespace "shop". Withheld for 1 namespace(s) with workloads (shop): netpol/namespace-default-deny-ingress' }],
    },
  ],
});

test('withheld conclusions are counted and named in summary.notEvaluated (exit 2), not only as info findings', () => {
  const withheld = runEngine(loadText(`${deploy('shop')}---\n${deploy('blog')}---\n${cilium}`, 't.yaml'), { rules: [ingressRule, egressRule, notSelected, rule] });
  assert.equal(withheld.summary.notEvaluated, 1);
  assert.equal(withheld.skipped.length, 1);
  const entry = withheld.skipped[0]!;
  assert.equal(entry.failsClosed, true);
  assert.equal(entry.file, 't.yaml');
  assert.equal(entry.line, 18, 'points at the CiliumNetworkPolicy kind');
  assert.match(entry.reason, /CiliumNetworkPolicy shop\/deny-all.*withheld for 1 namespace\(s\) \(shop\)/);
  assert.equal(exitCodeFor(withheld.summary, withheld.findings, 'never'), 2);
  // A clusterwide policy withholds for every namespace with workloads: still one entry per object.
  const wide = runEngine(loadText(`${deploy('shop')}---\n${deploy('blog')}---\n${ccnp}`, 't.yaml'), { rules: [ingressRule, rule] });
  assert.equal(wide.summary.notEvaluated, 1);
  assert.match(wide.skipped[0]!.reason, /2 namespace\(s\) \(blog, shop\)/);
  // Nothing withheld (no workloads it could apply to, or a StagedNetworkPolicy): nothing counted.
  for (const yaml of [cilium, `${deploy('shop')}---\n${staged}`]) assert.equal(runEngine(loadText(yaml, 't.yaml'), { rules: [ingressRule, rule] }).summary.notEvaluated, 0);
  // Turning the rule off is the documented way to accept the gap.
  assert.equal(runEngine(loadText(`${deploy('shop')}---\n${cilium}`, 't.yaml'), { rules: [ingressRule] }).summary.notEvaluated, 0);
});
