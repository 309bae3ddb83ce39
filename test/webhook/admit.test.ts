// The webhook's decision, without the server: modes, exemptions, UPDATE, subresources, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit, contextOf, type Admitter } from '../../src/fronts/webhook/admit.js';
import { respond, webhookPolicy, WebhookPolicyError, WARNING_MAX, WARNINGS_TOTAL_MAX, type Verdict } from '../../src/fronts/webhook/policy.js';
import { parseAdmissionReview, type AdmissionRequest } from '../../src/input/admission.js';
import { builtinRules } from '../../src/rules/index.js';
import { emptyConfig, parseConfig } from '../../src/engine/config.js';
import { loadText } from '../../src/input/files.js';
import { review, privilegedPod, hardenedPod, type ReviewOptions } from '../support/admission.js';

function admitter(policy: unknown = undefined, config = emptyConfig()): Admitter {
  return { rules: builtinRules, config, policy: webhookPolicy(policy), settings: { ...config.settings } };
}

function request(obj: Record<string, unknown>, o: ReviewOptions = {}): AdmissionRequest {
  const p = parseAdmissionReview(JSON.stringify(review(obj, o)));
  assert.ok(p.ok, p.ok ? '' : p.error);
  return p.request;
}

const empty = contextOf([]);

test('a privileged pod is denied with every enforced violation and its field; the rest are warnings', () => {
  const d = admit(admitter(), empty, request(privilegedPod()));
  assert.equal(d.response.allowed, false);
  assert.equal(d.response.status?.code, 403);
  const msg = d.response.status!.message;
  assert.match(msg, /\[pss\/privileged\] \/spec\/containers\/0\/securityContext\/privileged/);
  assert.match(msg, /\[pss\/hostNamespaces\] \/spec\/hostPID/);
  assert.ok(d.response.warnings?.some((w) => w.startsWith('[workload/probes]')), 'lower findings are warnings');
  assert.equal(d.response.auditAnnotations?.decision, 'denied');
});

test('a hardened pod is allowed without warnings', () => {
  const d = admit(admitter(), empty, request(hardenedPod()));
  assert.deepEqual(d.verdicts, []);
  assert.equal(d.response.allowed, true);
  assert.equal(d.response.warnings, undefined);
});

test('modes: per rule, per namespace (over rules), and below the threshold', () => {
  const warnPriv = admit(admitter({ rules: { 'pss/privileged': 'warn', 'pss/hostNamespaces': 'audit' } }), empty, request(privilegedPod()));
  assert.equal(warnPriv.response.allowed, true);
  assert.ok(warnPriv.response.warnings?.some((w) => w.startsWith('[pss/privileged]')));
  assert.ok(!warnPriv.response.warnings?.some((w) => w.startsWith('[pss/hostNamespaces]')), 'audit mode only logs');
  assert.equal(warnPriv.verdicts.find((v) => v.ruleId === 'pss/hostNamespaces')?.mode, 'audit');

  const devNs = admit(admitter({ namespaces: { 'dev-*': 'warn' } }), empty, request(privilegedPod('p', 'dev-alice')));
  assert.equal(devNs.response.allowed, true);
  const prodNs = admit(admitter({ namespaces: { 'dev-*': 'warn' } }), empty, request(privilegedPod('p', 'prod')));
  assert.equal(prodNs.response.allowed, false);

  const strict = admit(admitter({ failOn: 'LOW' }), empty, request({ ...hardenedPod(), spec: { ...hardenedPod().spec, automountServiceAccountToken: undefined } }));
  assert.equal(strict.response.allowed, false, 'failOn low enforces low findings (severities are case-insensitive)');
  const quiet = admit(admitter({ belowMode: 'ignore' }), empty, request(privilegedPod()));
  assert.equal(quiet.response.warnings, undefined, 'belowMode ignore drops findings under the threshold');
});

test('exemptions by namespace glob, user and group admit without judging', () => {
  const p = { exempt: { namespaces: ['team-*'], users: ['ci-bot'], groups: ['system:masters'] } };
  for (const [o, why] of [
    [{ namespace: 'team-a' }, /namespace team-a/],
    [{ username: 'ci-bot' }, /user ci-bot/],
    [{ groups: ['system:masters'] }, /group system:masters/],
  ] as const) {
    const obj = privilegedPod('p', (o as { namespace?: string }).namespace ?? 'shop');
    const d = admit(admitter(p), empty, request(obj, o as ReviewOptions));
    assert.equal(d.response.allowed, true);
    assert.match(d.skipped ?? '', why);
  }
});

test('DELETE, CONNECT and status subresources are allowed; ephemeral containers are judged', () => {
  assert.equal(admit(admitter(), empty, request(privilegedPod(), { operation: 'DELETE' })).response.allowed, true);
  assert.match(admit(admitter(), empty, request(privilegedPod(), { operation: 'UPDATE', subResource: 'status', oldObject: privilegedPod() })).skipped ?? '', /status/);
  const withDebug = { ...hardenedPod(), spec: { ...hardenedPod().spec, ephemeralContainers: [{ name: 'dbg', image: 'busybox', securityContext: { privileged: true } }] } };
  const d = admit(admitter(), empty, request(withDebug, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: hardenedPod() }));
  assert.equal(d.response.allowed, false);
  assert.match(d.response.status!.message, /ephemeralContainers\/0\/securityContext\/privileged/);
});

test('UPDATE: violations the old object already had warn (allowExistingViolations), new ones are denied', () => {
  const old = privilegedPod();
  const relabelled = { ...old, metadata: { ...old.metadata, labels: { team: 'a' } } };
  const d = admit(admitter(), empty, request(relabelled, { operation: 'UPDATE', oldObject: old }));
  assert.equal(d.response.allowed, true, 'an unrelated change to an object that already violated is not blocked');
  assert.ok(d.verdicts.every((v) => v.existing));
  assert.ok(d.response.warnings?.some((w) => w.startsWith('[pss/privileged]')));

  const fresh = admit(admitter(), empty, request(privilegedPod(), { operation: 'UPDATE', oldObject: hardenedPod('web') }));
  assert.equal(fresh.response.allowed, false);
  const strict = admit(admitter({ allowExistingViolations: false }), empty, request(relabelled, { operation: 'UPDATE', oldObject: old }));
  assert.equal(strict.response.allowed, false);
});

test('dryRun requests get the same answer (the webhook has no side effects)', () => {
  const a = admit(admitter(), empty, request(privilegedPod()));
  const b = admit(admitter(), empty, request(privilegedPod(), { dryRun: true }));
  assert.equal(b.response.allowed, a.response.allowed);
  assert.equal(b.response.status?.message, a.response.status?.message);
});

test('kinds no rule judges are allowed (ConfigMap, an unknown custom resource)', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: 'b' } };
  assert.equal(admit(admitter(), empty, request(cm)).response.allowed, true);
  const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { size: 3 } };
  assert.equal(admit(admitter(), empty, request(widget)).response.allowed, true);
});

test('custom resources with a pod template are judged: known kinds by their path, others by the template shape', () => {
  const spec = privilegedPod().spec;
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'shop' }, spec: { selector: {}, template: { metadata: {}, spec } } };
  const d1 = admit(admitter(), empty, request(rollout));
  assert.equal(d1.response.allowed, false);
  assert.match(d1.response.status!.message, /\/spec\/template\/spec\/containers\/0\/securityContext\/privileged/);
  const inHouse = { apiVersion: 'ops.example.com/v1', kind: 'Runner', metadata: { name: 'x', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: { spec } } } } };
  const d2 = admit(admitter(), empty, request(inHouse));
  assert.equal(d2.response.allowed, false, 'an unknown kind with a privileged pod template is not waved through');
  assert.match(d2.response.status!.message, /jobTemplate\/spec\/template\/spec\/containers\/0\/securityContext\/privileged/);
});

test('annotations cannot exempt an object at the door unless honourAnnotations is set; config exceptions apply', () => {
  const pod = privilegedPod();
  const annotated = { ...pod, metadata: { ...pod.metadata, annotations: { 'ignore.rampart.dev/all': 'trust me' } } };
  assert.equal(admit(admitter(), empty, request(annotated)).response.allowed, false);
  assert.equal(admit(admitter({ honourAnnotations: true }), empty, request(annotated)).response.allowed, true);
  const cfg = parseConfig(
    'exceptions:\n  - rules: ["pss/privileged", "pss/hostNamespaces"]\n    resources: [{kind: Pod, namespace: shop, name: web}]\n    reason: node debugging pod, reviewed by SRE\n',
    '.rampart.yaml',
  );
  assert.equal(admit(admitter(undefined, cfg), empty, request(pod)).response.allowed, true);
});

test('the namespace enforce label sets the PSS level (privileged admits any pod; baseline skips restricted checks)', () => {
  const ns = (name: string, level: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;
  const ctx = contextOf(loadText(ns('lab', 'privileged') + '---\n' + ns('base', 'baseline'), 'ctx.yaml').resources);
  const priv = admit(admitter(), ctx, request(privilegedPod('p', 'lab')));
  assert.ok(!priv.verdicts.some((v) => v.ruleId.startsWith('pss/')), 'a privileged namespace: no pss/* pod findings');
  const base = admit(admitter(), ctx, request({ ...hardenedPod('p', 'base'), spec: { containers: [{ name: 'c', image: 'nginx@sha256:' + 'b'.repeat(64) }] } }));
  assert.ok(!base.verdicts.some((v) => v.ruleId === 'pss/runAsNonRoot'), 'restricted-only checks do not run at baseline');
  const restricted = admit(admitter(), contextOf([]), request({ ...hardenedPod('p', 'base'), spec: { containers: [{ name: 'c', image: 'nginx@sha256:' + 'b'.repeat(64) }] } }));
  assert.ok(restricted.verdicts.some((v) => v.ruleId === 'pss/runAsNonRoot'), 'without a label the configured level (restricted) applies');
});

test('warnings stay within the API server limits; the deny message is bounded and names what was cut', () => {
  const req = request(privilegedPod());
  const many: Verdict[] = Array.from({ length: 200 }, (_, i) => ({ ruleId: `workload/r${i}`, severity: 'low', path: `/spec/x/${i}`, message: 'x'.repeat(400) + '\u001b[31m', mode: 'warn', existing: false }));
  const r = respond(req, many);
  assert.ok(r.warnings!.every((w) => w.length <= WARNING_MAX));
  assert.ok(r.warnings!.join('').length <= WARNINGS_TOTAL_MAX);
  assert.match(r.warnings!.at(-1)!, /^and \d+ more rampart warnings$/);
  assert.ok(!r.warnings!.join('').includes('\u001b'), 'control characters never reach kubectl');
  const denied = respond(req, many.map((v) => ({ ...v, mode: 'enforce' as const })));
  assert.ok(denied.status!.message.length <= 4096);
  assert.match(denied.status!.message, /and \d+ more$/);
});

test('invalid webhook policies are errors, not defaults', () => {
  assert.throws(() => webhookPolicy({ defaultMode: 'block' }), WebhookPolicyError);
  assert.throws(() => webhookPolicy({ failOn: 'severe' }), WebhookPolicyError);
  assert.throws(() => webhookPolicy({ exempt: { users: [' '] } }), WebhookPolicyError);
  assert.throws(() => webhookPolicy({ rules: { 'pss/*': 'deny' } }), WebhookPolicyError);
});

test('malformed reviews are rejected with the field named', () => {
  const bad = (body: unknown) => {
    const p = parseAdmissionReview(typeof body === 'string' ? body : JSON.stringify(body));
    assert.equal(p.ok, false);
    return p.ok ? '' : p.error;
  };
  assert.match(bad('{nope'), /not valid JSON/);
  assert.match(bad({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }), /admissionReviewVersions/);
  assert.match(bad({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /request is missing/);
  const r = review(privilegedPod()) as { request: Record<string, unknown> };
  assert.match(bad({ ...r, request: { ...r.request, operation: 'PATCH' } }), /operation/);
  assert.match(bad({ ...r, request: { ...r.request, object: null } }), /object is missing for CREATE/);
  assert.match(bad({ ...r, request: { ...r.request, object: [1] } }), /object must be an object/);
});

/** RFC 6902 add/replace/remove, enough to apply what /mutate returns. */
function applyPatch(obj: Record<string, unknown>, patch: { op: string; path: string; value?: unknown }[]) {
  const out = JSON.parse(JSON.stringify(obj));
  for (const p of patch) {
    const segs = p.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segs.pop()!;
    let cur = out;
    for (const s of segs) cur = cur[s];
    if (p.op === 'remove') Array.isArray(cur) ? cur.splice(Number(last), 1) : delete cur[last];
    else if (Array.isArray(cur) && last === '-') cur.push(p.value);
    else cur[last] = p.value;
  }
  return out;
}

test('mutate: fixes as a JSONPatch that removes their findings; may-break only when allowed; UPDATEs left alone', async () => {
  const { mutate } = await import('../../src/fronts/webhook/admit.js');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
  // The built-in pod fixes are all classed may-break (they can stop a workload that relies on what they
  // remove), so by default /mutate changes nothing on a pod; mutateMayBreak opts in.
  assert.deepEqual(mutate(admitter(), empty, request(pod)).patch, []);
  const m = mutate(admitter({ mutateMayBreak: true }), empty, request(pod));
  assert.ok(m.patch.length > 0, 'something to fix');
  assert.equal(m.response.patchType, 'JSONPatch');
  assert.deepEqual(JSON.parse(Buffer.from(m.response.patch!, 'base64').toString()), m.patch);
  const patched = applyPatch(pod, m.patch);
  const after = admit(admitter({ belowMode: 'warn' }), empty, request(patched));
  for (const rule of m.fixed) assert.ok(!after.verdicts.some((v) => v.ruleId === rule), `${rule} is fixed by the patch`);
  const again = mutate(admitter({ mutateMayBreak: true }), empty, request(patched));
  assert.deepEqual(again.patch, [], 'one mutation reaches the fixed point');
  const upd = mutate(admitter(), empty, request(pod, { operation: 'UPDATE', oldObject: pod }));
  assert.deepEqual(upd.patch, []);
  assert.match(upd.skipped ?? '', /only CREATE/);
});

test('a long-lived context keeps no per-request state: its RBAC index does not grow with the bindings judged', async () => {
  const { rbacScanSettings } = await import('../../src/input/rbac-defaults.js');
  const { scanPolicy } = await import('../../src/analyses/rbac/scan-policy.js');
  const rbac = await rbacScanSettings(undefined, false);
  const a: Admitter = { ...admitter(), settings: { rbac: rbac.settings } };
  const ctx = contextOf([]);
  const binding = (i: number) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `b${i}`, namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'not-there' },
    subjects: [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  admit(a, ctx, request(binding(0)));
  const issues = scanPolicy(ctx.index, a.settings).index.issues.length;
  for (let i = 1; i <= 50; i++) admit(a, ctx, request(binding(i)));
  assert.equal(scanPolicy(ctx.index, a.settings).index.issues.length, issues, 'fifty judged bindings left nothing behind');
});

test('what is prepared per admitter follows it: a replaced config or rule filter changes the next answer', () => {
  const a = admitter();
  assert.ok(admit(a, empty, request(privilegedPod())).verdicts.some((v) => v.ruleId === 'pss/privileged'));
  a.config = parseConfig('rules:\n  pss/privileged:\n    enabled: false\n', '.rampart.yaml');
  assert.ok(!admit(a, empty, request(privilegedPod())).verdicts.some((v) => v.ruleId === 'pss/privileged'), 'the config switched the rule off');
  a.only = (id) => id === 'pss/hostNamespaces';
  assert.deepEqual([...new Set(admit(a, empty, request(privilegedPod())).verdicts.map((v) => v.ruleId))], ['pss/hostNamespaces']);
});
