import { defineGlobalRule } from '../../engine/rule.js';
import { scanPolicy } from '../../analyses/rbac/scan-policy.js';
import { scanEscalationGraph } from '../../analyses/rbac/scan-graph.js';
import { describeNode, userOf, type EscalationPath, type Identity } from '../../analyses/rbac/escalation.js';
import type { BindingDef } from '../../analyses/rbac/policy.js';
import type { Resource } from '../../model/types.js';
import { appliesTo } from '../../analyses/rbac/match.js';
import { parseSubject } from '../../analyses/rbac/subjects.js';
import { isObject } from '../../model/json.js';
import { pointer } from '../../model/json.js';

export default defineGlobalRule({
  meta: {
    id: 'rbac/escalation-path',
    title: 'Privilege-escalation path to cluster-admin',
    severity: 'critical',
    rationale:
      'No single grant is cluster-admin, but a chain is: e.g. a subject that can create pods in a namespace can run them as any service account there, and one of those is bound to cluster-admin. Breaches follow such chains.',
    remediation: 'Break the chain at its cheapest step: remove the first grant, move the powerful service account to a namespace the subject cannot create pods in, or stop mounting its token. `rampart rbac paths SUBJECT -f ...` prints every step.',
    references: {
      cis: ['5.1.1', '5.1.4'],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1078', 'T1610', 'T1528'],
      urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'],
    },
    scope: 'global',
    optionsSchema: { type: 'object', properties: { trustedSubjects: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    defaults: { trustedSubjects: [] },
  },
  check(ctx) {
    // The bootstrap policy (when the CLI passed it) is part of the cluster: bindings to admin/edit/system:* roles
    // resolve, and its service accounts are reachable. Without it, bindings to roles outside the input grant nothing.
    const { policy, index, defaults } = scanPolicy(ctx.index, ctx.settings);
    if (!policy.bindings.some((b) => b.resource && !defaults.has(b.resource))) return;
    const graph = scanEscalationGraph(ctx.index, ctx.settings);
    const rbacSettings = isObject(ctx.settings.rbac) ? ctx.settings.rbac : {};
    const trustedRaw = [...((ctx.options.trustedSubjects as string[]) ?? []), ...(Array.isArray(rbacSettings.trustedSubjects) ? (rbacSettings.trustedSubjects as string[]) : [])];
    const trusted = new Set(trustedRaw.map((t) => parseSubject(t)).filter((x): x is Identity => !!x).map((x) => describeNode(x)));
    // Lookups by key, built once: a path names its bindings by kind, namespace and name.
    const bindingByKey = new Map<string, BindingDef>();
    for (const x of index.bindings) bindingByKey.set(`${x.kind}/${x.namespace ?? ''}/${x.name}`, x);
    const findBinding = (kind: string, namespace: string | undefined, name: string) => bindingByKey.get(`${kind}/${namespace ?? ''}/${name}`);
    const unsetServiceAccounts = new Set(ctx.index.ofKind('ServiceAccount').filter((r) => r.namespace === undefined && !defaults.has(r)).map((r) => r.name));
    for (const p of graph.paths(['cluster-admin'])) {
      // One-step grants are the subject of the single-grant rules (cluster-admin-binding, escalate-bind-impersonate...).
      if (p.steps.length < 2 || trusted.has(describeNode(p.subject))) continue;
      const first = p.steps[0]!.via[0];
      if (!first) continue;
      const b = findBinding(first.bindingKind, first.namespace, first.binding);
      // Findings go on the user's objects only, never on a bootstrap binding.
      if (!b?.resource || defaults.has(b.resource)) continue;
      const user = userOf(p.subject);
      const subj = b.subjects.find((s) => appliesTo(user, s, b.namespace ?? ''));
      const chain = p.steps.map((s, i) => `${i + 1}) ${s.action}`).join('; ');
      // Objects without metadata.namespace are analysed in "default"; a chain that needs that is only as true as the
      // guess that they are installed together there (scanning a folder of unrelated projects makes such chains).
      const assumed = assumesDefaultNamespace(p, b.resource, unsetServiceAccounts, findBinding, defaults);
      ctx.report({
        resource: b.resource,
        ...(assumed ? { severity: 'high' as const } : {}),
        message: `${describeNode(p.subject)} reaches cluster-admin in ${p.steps.length} steps: ${chain}${assumed ? ' (this assumes that objects without metadata.namespace are installed together in namespace "default")' : ''}`,
        path: subj ? pointer('subjects', subj.index) : '/subjects',
        details: {
          subject: describeNode(p.subject),
          steps: p.steps.map((s) => ({ fact: s.fact, action: s.action, to: describeNode(s.to), via: s.via.map((v) => `${v.bindingKind} ${v.namespace ? v.namespace + '/' : ''}${v.binding} -> ${v.roleKind} ${v.role}`) })),
        },
      });
    }
  },
});

function assumesDefaultNamespace(
  p: EscalationPath,
  first: Resource,
  unsetServiceAccounts: ReadonlySet<string>,
  findBinding: (kind: string, namespace: string | undefined, name: string) => BindingDef | undefined,
  defaults: ReadonlySet<Resource>,
): boolean {
  const unset = (r: Resource | undefined) => !!r && !defaults.has(r) && r.namespace === undefined;
  if (first.kind === 'RoleBinding' && unset(first)) return true;
  for (const n of [p.subject, ...p.steps.map((s) => s.to)]) {
    if (n.kind === 'ServiceAccount' && n.namespace === 'default' && unsetServiceAccounts.has(n.name)) return true;
  }
  for (const s of p.steps)
    for (const v of s.via) {
      const vb = findBinding(v.bindingKind, v.namespace, v.binding);
      if (vb?.resource && vb.resource.kind === 'RoleBinding' && unset(vb.resource)) return true;
    }
  return false;
}
