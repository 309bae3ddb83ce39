// The authorizer's matching rules, case by case (Kubernetes evaluation_helpers.go semantics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleAllows, appliesTo, serviceAccountUser, userInfo, groupMemberInfo, type Request } from './match.js';
import type { PolicyRule, SubjectRef } from './policy.js';
import { parseResourceArg } from './resources.js';
import { parseSubject } from './subjects.js';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], index: 0, ...r });
const res = (verb: string, resource: string, o: Partial<Extract<Request, { kind: 'resource' }>> = {}): Request => {
  const [r, sub] = resource.split('/');
  return { kind: 'resource', verb, namespace: 'ns', apiGroup: '', resource: r!, subresource: sub ?? '', name: '', ...o };
};
const url = (verb: string, path: string): Request => ({ kind: 'nonResource', verb, path });

const cases: [string, PolicyRule, Request, boolean][] = [
  // verbs
  ['exact verb', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), res('get', 'pods'), true],
  ['other verb', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), res('list', 'pods'), false],
  ['verb wildcard', rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] }), res('delete', 'pods'), true],
  ['verbs are case-sensitive', rule({ verbs: ['GET'], apiGroups: [''], resources: ['pods'] }), res('get', 'pods'), false],
  ['no verbs grant nothing', rule({ verbs: [], apiGroups: ['*'], resources: ['*'] }), res('get', 'pods'), false],
  // API groups
  ['core group is ""', rule({ verbs: ['get'], apiGroups: [''], resources: ['deployments'] }), res('get', 'deployments', { apiGroup: 'apps' }), false],
  ['named group', rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }), res('get', 'deployments', { apiGroup: 'apps' }), true],
  ['group wildcard', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }), res('get', 'deployments', { apiGroup: 'apps' }), true],
  ['no apiGroups match nothing', rule({ verbs: ['get'], resources: ['pods'] }), res('get', 'pods'), false],
  // resources and subresources
  ['resource wildcard', rule({ verbs: ['get'], apiGroups: [''], resources: ['*'] }), res('get', 'secrets'), true],
  ['resource wildcard covers subresources', rule({ verbs: ['create'], apiGroups: [''], resources: ['*'] }), res('create', 'pods/exec'), true],
  ['resource does not cover its subresources', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }), res('create', 'pods/exec'), false],
  ['exact subresource', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }), res('create', 'pods/exec'), true],
  ['subresource does not cover the resource', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }), res('get', 'pods'), false],
  ['*/subresource matches any resource', rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }), res('update', 'deployments/scale', { apiGroup: 'apps' }), true],
  ['*/subresource does not match the resource', rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }), res('update', 'deployments', { apiGroup: 'apps' }), false],
  ['*/subresource needs the same subresource', rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }), res('update', 'deployments/status', { apiGroup: 'apps' }), false],
  ['pods/* is not a wildcard', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] }), res('create', 'pods/exec'), false],
  // resourceNames
  ['no resourceNames: any name', rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }), res('get', 'secrets', { name: 'db' }), true],
  ['resourceNames: listed name', rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), res('get', 'secrets', { name: 'db' }), true],
  ['resourceNames: other name', rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), res('get', 'secrets', { name: 'tls' }), false],
  ['resourceNames: a list (no name) is denied', rule({ verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), res('list', 'secrets'), false],
  ['resourceNames: create (no name) is denied', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }), res('create', 'pods'), false],
  ['resourceNames have no wildcards', rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['*'] }), res('get', 'secrets', { name: 'db' }), false],
  // non-resource URLs
  ['URL exact', rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }), url('get', '/healthz'), true],
  ['URL exact does not prefix', rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }), url('get', '/healthz/ping'), false],
  ['URL trailing * is a prefix', rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }), url('get', '/healthz/ping'), true],
  ['URL trailing * covers the bare prefix', rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }), url('get', '/healthz/'), true],
  ['URL trailing * needs the slash', rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }), url('get', '/healthz'), false],
  ['URL prefix without slash', rule({ verbs: ['get'], nonResourceURLs: ['/api*'] }), url('get', '/apis/apps'), true],
  ['URL * is everything', rule({ verbs: ['get'], nonResourceURLs: ['*'] }), url('get', '/logs/kube-apiserver.log'), true],
  ['URL verb must match', rule({ verbs: ['get'], nonResourceURLs: ['*'] }), url('post', '/metrics'), false],
  ['URL rules do not grant resources', rule({ verbs: ['*'], nonResourceURLs: ['*'] }), res('get', 'pods'), false],
  ['resource rules do not grant URLs', rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), url('get', '/metrics'), false],
];

for (const [name, r, req, expected] of cases) {
  test(`ruleAllows: ${name}`, () => assert.equal(ruleAllows(r, req), expected));
}

const subj = (kind: string, name: string, namespace?: string): SubjectRef => ({ kind, name, index: 0, ...(namespace ? { namespace } : {}) });
const subjectCases: [string, ReturnType<typeof userInfo>, SubjectRef, string, boolean][] = [
  ['User by exact name', userInfo('alice'), subj('User', 'alice'), '', true],
  ['User names are exact', userInfo('alice'), subj('User', 'Alice'), '', false],
  ['Group membership', userInfo('bob', ['devs']), subj('Group', 'devs'), '', true],
  ['every user is system:authenticated', userInfo('bob'), subj('Group', 'system:authenticated'), '', true],
  ['anonymous is system:unauthenticated', userInfo('system:anonymous'), subj('Group', 'system:unauthenticated'), '', true],
  ['anonymous is not system:authenticated', userInfo('system:anonymous'), subj('Group', 'system:authenticated'), '', false],
  ['SA by namespace and name', serviceAccountUser('ci', 'builder'), subj('ServiceAccount', 'builder', 'ci'), 'other', true],
  ['SA in another namespace', serviceAccountUser('ci', 'builder'), subj('ServiceAccount', 'builder', 'prod'), 'other', false],
  ['SA without namespace defaults to the RoleBinding namespace', serviceAccountUser('ci', 'builder'), subj('ServiceAccount', 'builder'), 'ci', true],
  ['SA without namespace in a ClusterRoleBinding matches nobody', serviceAccountUser('ci', 'builder'), subj('ServiceAccount', 'builder'), '', false],
  ['SA is in system:serviceaccounts', serviceAccountUser('ci', 'builder'), subj('Group', 'system:serviceaccounts'), '', true],
  ['SA is in system:serviceaccounts:<ns>', serviceAccountUser('ci', 'builder'), subj('Group', 'system:serviceaccounts:ci'), '', true],
  ['SA is not in another namespace group', serviceAccountUser('ci', 'builder'), subj('Group', 'system:serviceaccounts:prod'), '', false],
  ['SA is system:authenticated', serviceAccountUser('ci', 'builder'), subj('Group', 'system:authenticated'), '', true],
  ['SA user name as a User subject', serviceAccountUser('ci', 'builder'), subj('User', 'system:serviceaccount:ci:builder'), '', true],
  ['nodes are in system:nodes', userInfo('system:node:n1'), subj('Group', 'system:nodes'), '', true],
  ['a group member is in the group', groupMemberInfo('devs'), subj('Group', 'devs'), '', true],
  ['unknown subject kinds match nobody', userInfo('alice'), subj('user', 'alice'), '', false],
];
for (const [name, user, s, ns, expected] of subjectCases) {
  test(`appliesTo: ${name}`, () => assert.equal(appliesTo(user, s, ns), expected));
}

test('parseResourceArg reads kubectl forms', () => {
  assert.deepEqual(parseResourceArg('pods/exec'), { resource: 'pods', apiGroup: '', subresource: 'exec' });
  assert.deepEqual(parseResourceArg('deployments'), { resource: 'deployments', apiGroup: 'apps', subresource: '' });
  assert.deepEqual(parseResourceArg('widgets.example.com'), { resource: 'widgets', apiGroup: 'example.com', subresource: '' });
  assert.deepEqual(parseResourceArg('pods', undefined, 'log'), { resource: 'pods', apiGroup: '', subresource: 'log' });
});

test('parseSubject reads every subject form', () => {
  assert.deepEqual(parseSubject('User:alice'), { kind: 'User', name: 'alice' });
  assert.deepEqual(parseSubject('Group:system:masters'), { kind: 'Group', name: 'system:masters' });
  assert.deepEqual(parseSubject('ServiceAccount:ci/builder'), { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' });
  assert.deepEqual(parseSubject('sa:ci:builder'), { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' });
  assert.deepEqual(parseSubject('system:serviceaccount:ci:builder'), { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' });
  assert.deepEqual(parseSubject('system:kube-scheduler'), { kind: 'User', name: 'system:kube-scheduler' });
  assert.equal(parseSubject('sa:nonamespace'), undefined);
});
