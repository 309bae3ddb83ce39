// Tables for the audit Policy rules: first-match semantics decide what each request is logged at.
import catchAll from './audit-policy-catch-all.js';
import sensitiveBodies from './audit-policy-sensitive-bodies.js';
import dropsImportant from './audit-policy-drops-important.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ruleTable, scanYaml } from '../testing/harness.js';

const head = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

const GOOD = `${head}omitStages: [RequestReceived]
rules:
- level: None
  users: ["system:kube-proxy"]
  verbs: ["watch"]
  resources:
  - group: ""
    resources: ["endpoints", "services"]
- level: None
  nonResourceURLs: ["/healthz*", "/version"]
- level: Metadata
  resources:
  - group: ""
    resources: ["secrets", "configmaps", "serviceaccounts/token"]
  - group: authentication.k8s.io
    resources: ["tokenreviews"]
- level: RequestResponse
  resources:
  - group: rbac.authorization.k8s.io
- level: Metadata
`;

const REQUEST_CATCH_ALL = `${head}rules:
- level: Request
`;

const EARLY_NONE = `${head}rules:
- level: None
  resources:
  - group: ""
    resources: ["pods/exec", "pods/attach"]
- level: None
  verbs: ["get", "list", "watch"]
- level: Metadata
`;

ruleTable(catchAll, {
  valid: [GOOD, REQUEST_CATCH_ALL, { name: 'kyverno Policy is another kind of Policy', yaml: 'apiVersion: kyverno.io/v1\nkind: Policy\nmetadata: {name: p}\nspec: {rules: []}\n' }],
  invalid: [
    { name: 'no unconditional rule', yaml: `${head}rules:\n- level: Metadata\n  resources:\n  - group: ""\n`, findings: [{ path: '/rules', line: 3, column: 1, message: 'no rule matches every request' }] },
    { name: 'no rules at all', yaml: `${head}rules: []\n`, findings: [{ path: '/rules', message: 'no rules' }] },
    { name: 'catch-all at None', yaml: `${head}rules:\n- level: Metadata\n  verbs: [create]\n- level: None\n`, findings: [{ path: '/rules/1/level', line: 6, column: 3, message: 'has level None' }] },
    {
      name: 'early catch-all makes later rules dead; invalid level',
      yaml: `${head}rules:\n- level: Metadata\n- level: Everything\n  verbs: [get]\n`,
      findings: [
        { path: '/rules/0', line: 4, column: 3, severity: 'low', message: 'never apply' },
        { path: '/rules/1/level', line: 5, column: 3, message: 'not one of None' },
      ],
    },
    { name: 'wrong types do not crash', yaml: `${head}rules: "all"\n`, findings: [{ path: '', line: 1 }] },
    {
      name: 'omitStages covering every stage: the policy logs nothing',
      yaml: `${head}omitStages: [RequestReceived, ResponseStarted, ResponseComplete, Panic]\nrules:\n- level: Metadata\n`,
      findings: [{ path: '/omitStages', line: 3, severity: 'high', message: 'writes no audit event at all' }],
    },
    {
      name: 'every rule None or with every stage omitted: the policy logs nothing',
      yaml: `${head}rules:\n- level: None\n  verbs: [get]\n- level: Metadata\n  omitStages: [RequestReceived, ResponseStarted, ResponseComplete]\n`,
      findings: [{ path: '/rules', severity: 'high', message: 'every rule has level None or omits every stage' }],
    },
  ],
});

ruleTable(sensitiveBodies, {
  valid: [
    GOOD,
    { name: 'secrets at Metadata before a Request catch-all', yaml: `${head}rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets, configmaps, serviceaccounts/token]\n  - group: authentication.k8s.io\n    resources: [tokenreviews]\n- level: Request\n` },
    { name: 'Request level for reads and TokenRequests logs no credentials (they are in the response)', yaml: `${head}rules:\n- level: Request\n  verbs: [get, list, watch]\n- level: Request\n  resources:\n  - group: ""\n    resources: [serviceaccounts/token]\n- level: Metadata\n` },
    { name: 'Request level with ResponseComplete omitted: no event carries the bodies', yaml: `${head}omitStages: [ResponseComplete]\nrules:\n- level: Request\n` },
    { name: 'named and namespaced Request rules for other resources only', yaml: `${head}rules:\n- level: Request\n  namespaces: [payments]\n  resources:\n  - group: ""\n    resources: [pods]\n- level: Metadata\n` },
  ],
  invalid: [
    {
      name: 'a Request catch-all logs secret bodies (with fix)',
      yaml: REQUEST_CATCH_ALL,
      findings: [{ path: '/rules/0/level', line: 4, column: 3, severity: 'high', message: 'rule 0 logs secrets (create, update, patch), configmaps (create, update, patch), tokenreviews (create) at Request' }],
    },
    {
      name: 'configmaps only: medium',
      yaml: `${head}rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets, serviceaccounts/token]\n  - group: authentication.k8s.io\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: ["*"]\n- level: Metadata\n`,
      findings: [{ path: '/rules/1/level', line: 9, column: 3, severity: 'medium', message: 'rule 1 logs configmaps' }],
    },
    {
      name: 'core group wildcard and */token subresource: the token is in the response',
      yaml: `${head}rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets, configmaps]\n  - group: authentication.k8s.io\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: ["*/token"]\n- level: Metadata\n`,
      findings: [{ path: '/rules/1/level', severity: 'high', message: 'rule 1 logs serviceaccounts/token (create) at RequestResponse' }],
    },
    {
      name: 'a rule limited to a named secret logs that secret (get, update, patch, delete: the verbs that name it)',
      yaml: `${head}rules:\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: [secrets]\n    resourceNames: [db-password]\n- level: Metadata\n`,
      findings: [{ path: '/rules/0/level', severity: 'high', message: 'rule 0 logs secrets named "db-password" (get, update, patch, delete) at RequestResponse' }],
    },
    {
      name: 'any namespace the rules mention, not only default and kube-system',
      yaml: `${head}rules:\n- level: Metadata\n  namespaces: [default, kube-system]\n- level: RequestResponse\n  namespaces: [payments]\n  resources:\n  - group: ""\n    resources: [secrets]\n- level: Metadata\n`,
      findings: [{ path: '/rules/1/level', severity: 'high', message: 'rule 1 logs secrets in payments (get, list, watch, create, update, patch, delete) at RequestResponse' }],
    },
    {
      name: 'a Metadata rule for secrets in default and kube-system leaves every other namespace to a Request catch-all',
      yaml: `${head}rules:\n- level: Metadata\n  namespaces: [default, kube-system]\n  resources:\n  - group: ""\n    resources: [secrets, configmaps, serviceaccounts/token]\n  - group: authentication.k8s.io\n- level: Request\n`,
      findings: [{ path: '/rules/1/level', severity: 'high', message: 'rule 1 logs secrets in any namespace but default, kube-system (create, update, patch)' }],
    },
    {
      name: 'a rule for one user logs that user\'s secret writes',
      yaml: `${head}rules:\n- level: Request\n  users: [ci-bot]\n  resources:\n  - group: ""\n    resources: [secrets]\n- level: Metadata\n`,
      findings: [{ path: '/rules/0/level', severity: 'high', message: 'rule 0 logs secrets by ci-bot (create, update, patch) at Request' }],
    },
    {
      name: 'namespace-limited rule: secrets in kube-system at RequestResponse',
      yaml: `${head}rules:\n- level: RequestResponse\n  namespaces: [kube-system]\n- level: Metadata\n`,
      findings: [{ path: '/rules/0/level', line: 4, column: 3, message: 'rule 0 logs secrets in kube-system (get, list, watch, create, update, patch, delete), configmaps in kube-system' }],
    },
  ],
});

ruleTable(dropsImportant, {
  valid: [GOOD, { name: 'None for one system user only', yaml: `${head}rules:\n- level: None\n  users: [system:kube-scheduler]\n- level: Metadata\n` }],
  invalid: [
    {
      name: 'exec/attach dropped, and reads dropped by a verb-only None rule',
      yaml: EARLY_NONE,
      findings: [
        { path: '/rules/0', line: 4, column: 3, message: 'rule 0 (level None) drops pods/exec (create, get), pods/attach (create, get)' },
        { path: '/rules/1', line: 8, column: 3, message: 'rule 1 (level None) drops secrets (get, list, watch), configmaps (get, list, watch)' },
      ],
    },
    { name: 'a None rule for all authenticated users drops everything', yaml: `${head}rules:\n- level: None\n  userGroups: ["system:authenticated"]\n- level: Metadata\n`, findings: [{ path: '/rules/0', message: 'drops secrets' }] },
    {
      name: 'a None rule for secrets in one namespace the rules name',
      yaml: `${head}rules:\n- level: None\n  namespaces: [vault]\n  resources:\n  - group: ""\n    resources: [secrets]\n- level: Metadata\n`,
      findings: [{ path: '/rules/0', message: 'rule 0 (level None) drops secrets in vault (get, list, watch, create, update, patch, delete)' }],
    },
    {
      name: 'a Metadata rule whose omitStages (with the policy\'s) leave no stage of short requests drops them; watches still log at ResponseStarted',
      yaml: `${head}omitStages: [RequestReceived]\nrules:\n- level: Metadata\n  omitStages: [ResponseComplete]\n`,
      findings: [{ path: '/rules/0/omitStages', message: 'rule 0 (level Metadata) drops secrets (get, list, create, update, patch, delete)' }],
    },
    {
      name: 'secrets no rule matches are not logged, not even at Metadata',
      yaml: `${head}rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [pods, pods/exec, pods/attach, pods/portforward]\n  - group: rbac.authorization.k8s.io\n  - group: certificates.k8s.io\n  - group: authentication.k8s.io\n`,
      findings: [{ path: '/rules', message: 'no rule matches secrets (get, list, watch, create, update, patch, delete), configmaps (get, list, watch, create, update, patch, delete), serviceaccounts/token (create)' }],
    },
  ],
});

// The example policy from the Kubernetes documentation (audit corpus): it logs configmap changes in
// kube-system at Request level, which the CIS guidance (3.2.2: configmaps at Metadata) flags; nothing else.
const WEBSITE = '../shared/corpus/audit/k8s-website/audit-policy.yaml';
test('the kubernetes.io example audit policy', { skip: !existsSync(WEBSITE) }, () => {
  const yaml = readFileSync(WEBSITE, 'utf8');
  const all = [catchAll, sensitiveBodies, dropsImportant].flatMap((r) => scanYaml(r, yaml));
  assert.deepEqual(
    all.map((f) => `${f.ruleId} ${f.location.path} ${f.severity}: ${f.message}`),
    ['cis/audit-policy-sensitive-bodies /rules/5/level medium: rule 5 logs configmaps in kube-system (create, update, patch) at Request, which writes their contents into the audit log; use Metadata'],
  );
});
if (!existsSync(WEBSITE)) console.error(`\n*** ${WEBSITE} is absent: the kubernetes.io audit policy case is SKIPPED ***\n`);
