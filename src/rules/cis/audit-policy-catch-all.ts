import { defineRule } from '../../engine/rule.js';
import { logsNothing, omittedStages, policyRules } from '../../analyses/node/audit-policy.js';

export default defineRule({
  meta: {
    id: 'cis/audit-policy-catch-all',
    title: 'Audit policy has no catch-all rule',
    severity: 'medium',
    rationale: 'Requests that match no rule are not logged at all. A final rule without conditions (level: Metadata) makes sure new resources, CRDs and unexpected requests still leave a trace.',
    remediation: 'End the rules list with "- level: Metadata" (no users, verbs, resources or namespaces).',
    references: { cis: ['3.2.2'], nsa: ['Audit logging and threat detection'], mitre: ['T1562.008'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
    kinds: ['Policy'],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('audit.k8s.io/')) return;
    const rules = policyRules(ctx.resource.object);
    for (const r of rules) {
      if (!r.level) ctx.report({ message: `rule ${r.index} has level ${JSON.stringify(r.rawLevel ?? null)}, not one of None, Metadata, Request, RequestResponse; the API server would refuse this policy`, path: r.rule.level === undefined ? r.path : `${r.path}/level` });
    }
    const globalOmit = omittedStages(ctx.resource.object);
    if (['RequestReceived', 'ResponseStarted', 'ResponseComplete'].every((st) => globalOmit.has(st))) {
      ctx.report({ message: 'omitStages covers every stage (RequestReceived, ResponseStarted, ResponseComplete), so the policy writes no audit event at all', path: '/omitStages', severity: 'high' });
      return;
    }
    if (rules.length && logsNothing(ctx.resource.object)) {
      ctx.report({ message: 'every rule has level None or omits every stage, so the policy writes no audit event at all', path: '/rules', severity: 'high' });
      return;
    }
    const catchAll = rules.find((r) => r.unconditional);
    if (!catchAll) {
      ctx.report({ message: rules.length ? 'no rule matches every request, so requests no rule names are not logged; end the list with a rule that has only a level' : 'the policy has no rules, so nothing is logged', path: Array.isArray(ctx.resource.object.rules) ? '/rules' : '' });
      return;
    }
    if (catchAll.level === 'None') {
      ctx.report({ message: `the catch-all rule ${catchAll.index} has level None, so every request not matched earlier is dropped`, path: `${catchAll.path}/level` });
    }
    if (catchAll.index < rules.length - 1) {
      ctx.report({ message: `rule ${catchAll.index} matches every request, so the ${rules.length - 1 - catchAll.index} rule(s) after it never apply`, path: catchAll.path, severity: 'low' });
    }
  },
});
