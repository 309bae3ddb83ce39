// The grant rules read one hit table per role, shared by every registered spec; a spec that is not
// registered (a copy) is matched on its own, rule by rule. Both must report the same, on the real-world
// corpus with the bootstrap policy, and on wildcard / subresource / resourceNames cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadInputs } from '../../input/files.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import { ResourceIndex } from '../../model/index.js';
import type { Resource } from '../../model/types.js';
import { GRANT_RULE_KINDS, grantSpecs, reportGrants, type GrantSpec } from '../../analyses/rbac/grants.js';
import { resourcesOf } from '../../analyses/rbac/testing.js';
import './index.js';

const ROOT = path.join('..', 'shared', 'corpus', 'real-world');

/** Every grant report for every registered spec, read through the shared table and through a copy of the spec. */
function bothWays(resources: Resource[], defaults: Resource[]): { shared: string[]; own: string[] } {
  const index = new ResourceIndex(resources);
  const settings = { rbac: { defaults: true, defaultObjects: defaults } };
  const shared: string[] = [];
  const own: string[] = [];
  const specs = grantSpecs();
  assert.ok(specs.length >= 17, `the grant rules registered ${specs.length} specs`);
  for (const [i, spec] of specs.entries()) {
    const copy: GrantSpec = { ...spec };
    for (const resource of index.ofKind(...GRANT_RULE_KINDS)) {
      const key = `${i} ${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
      reportGrants({ resource, index, settings, report: (r) => shared.push(`${key} ${r.path} ${r.message}`) }, spec);
      reportGrants({ resource, index, settings, report: (r) => own.push(`${key} ${r.path} ${r.message}`) }, copy);
    }
  }
  return { shared, own };
}

test('grant table: wildcards, */subresource, resourceNames and bindings to defaults report as each spec alone', async () => {
  const defaults = (await loadRbacDefaults()).resources;
  const resources = resourcesOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: star}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: [get, create]}
- {apiGroups: [""], resources: ["*/status", "*/proxy"], verbs: [update, get]}
- {apiGroups: [""], resources: [namespaces, serviceaccounts/token], verbs: [patch, create], resourceNames: [a]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: kube-system}
rules:
- {apiGroups: [""], resources: [configmaps, secrets, pods/exec, nodes], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-edit, namespace: team}
subjects: [{kind: Group, name: devs}]
roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: to-admin}
subjects: [{kind: User, name: ops}]
roleRef: {kind: ClusterRole, name: admin, apiGroup: rbac.authorization.k8s.io}
`);
  const { shared, own } = bothWays(resources, defaults);
  console.log(`grant table, synthetic: ${shared.length} reports through the table, ${own.length} spec by spec`);
  assert.ok(shared.length > 10);
  assert.deepEqual(shared, own);
});

if (!existsSync(ROOT)) {
  console.warn(`\n!!! SKIPPING: corpus folder ${ROOT} is absent (expected at ../shared/corpus relative to the repo root) !!!\n`);
} else {
  test('grant table: the real-world corpus reports the same through the shared table as spec by spec', async () => {
    const defaults = (await loadRbacDefaults()).resources;
    const input = await loadInputs([ROOT]);
    const { shared, own } = bothWays(input.resources, defaults);
    const same = shared.filter((x, i) => own[i] === x).length;
    console.log(`grant table, real-world corpus: ${shared.length} reports through the table, ${own.length} spec by spec, ${same} identical in order`);
    assert.ok(shared.length > 100);
    assert.deepEqual(shared, own);
  });
}
