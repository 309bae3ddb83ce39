// Least privilege from evidence on a generated log: the minimal Roles allow every logged request
// (checked with our authorizer) and nothing else the identity had; unused grants and read-only
// identities with an escalation path are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
// @ts-expect-error plain JS generator shared with the bench
import { generateTraffic } from '../../bench/audit-traffic.mjs';
import { parseEvent } from '../../src/analyses/audit/event.js';
import { UsageCollector, identityReport, toRequest, type UsedRequest } from '../../src/analyses/audit/least-privilege.js';
import { RbacIndex } from '../../src/analyses/rbac/authorizer.js';
import { policyFromResources } from '../../src/analyses/rbac/policy.js';
import { permissionsOf } from '../../src/analyses/rbac/permissions.js';
import type { ResourceRequest } from '../../src/analyses/rbac/match.js';
import { resourcesFromDocuments } from '../../src/input/resources.js';
import { parseYaml } from '../../src/input/yaml.js';
import type { JsonObject, JsonValue, Resource } from '../../src/model/types.js';
import { runCli } from '../support/cli.js';

const FIXTURE = 'test/fixtures/audit/rbac.yaml';
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind'];
const NAMED = new Set(['get', 'update', 'patch', 'delete']);

function resourcesOf(text: string, file: string): Resource[] {
  return resourcesFromDocuments(parseYaml(text, file).documents, file).resources;
}

function asResources(objects: JsonObject[]): Resource[] {
  return resourcesOf(objects.map((o) => JSON.stringify(o)).join('\n---\n'), 'minimal.yaml');
}

test('minimal roles allow every logged request and nothing else the identity had', async () => {
  const { readFileSync } = await import('node:fs');
  const index = new RbacIndex(policyFromResources(resourcesOf(readFileSync(FIXTURE, 'utf8'), FIXTURE)));
  const collector = new UsageCollector();
  for (const raw of generateTraffic({ days: 2, scale: 0.2 }) as Iterable<JsonValue>) {
    const e = parseEvent(raw);
    if (typeof e !== 'string') collector.add(e);
  }
  let checkedUsed = 0;
  let checkedProbes = 0;
  let deniedProbes = 0;
  for (const name of ['system:serviceaccount:shop:web', 'system:serviceaccount:ci:deployer', 'system:serviceaccount:monitoring:prometheus']) {
    const usage = collector.identities.get(name)!;
    const rep = identityReport(name, usage, index);
    assert.deepEqual(rep.notGranted, [], name);
    const minimal = new RbacIndex(policyFromResources(asResources(rep.minimal)), { assumeClusterAdmin: false });
    assert.deepEqual(minimal.issues, []);
    const used = [...usage.requests.values()];
    for (const u of used) {
      assert.ok(minimal.allows(usage.user, toRequest(u)), `${name}: minimal role denies ${JSON.stringify(u)}`);
      checkedUsed++;
    }
    // Probe everything the identity had: each granted rule expanded over verbs, resources, namespaces, names.
    // A request across all namespaces (namespace '') can only be granted by a ClusterRole, which then
    // also allows it in each namespace: RBAC cannot express less, so that counts as covered.
    const covered = (p: ResourceRequest) =>
      used.some((u: UsedRequest) => u.verb === p.verb && u.apiGroup === p.apiGroup && u.resource === p.resource && u.subresource === p.subresource && (u.namespace === p.namespace || u.namespace === '') && (!(NAMED.has(p.verb) || p.subresource) || u.name === p.name));
    const perms = permissionsOf(index, usage.user);
    const namespaces = ['', 'shop', 'payments', 'ci', 'monitoring', 'kube-system'];
    for (const [ns, list] of [[undefined, perms.clusterWide] as const, ...Object.entries(perms.namespaces)]) {
      for (const perm of list) {
        for (const verb of perm.verbs.includes('*') ? VERBS : perm.verbs)
          for (const group of perm.apiGroups ?? [])
            for (const resource of perm.resources ?? [])
              for (const namespace of ns === undefined ? namespaces : [ns])
                for (const objName of ['', ...new Set(used.map((u) => u.name).filter(Boolean)), 'someone-else']) {
                  const p: ResourceRequest = { kind: 'resource', verb, apiGroup: group, resource, subresource: '', namespace, name: NAMED.has(verb) ? objName : '' };
                  if (!index.allows(usage.user, p)) continue;
                  checkedProbes++;
                  const allowed = Boolean(minimal.allows(usage.user, p));
                  if (!allowed) deniedProbes++;
                  assert.equal(allowed, covered(p), `${name}: ${JSON.stringify(p)} minimal=${allowed}`);
                }
      }
    }
    assert.ok(rep.grants.some((g) => g.unused.length > 0 && !g.binding.startsWith('system:')), `${name} has unused grants`);
  }
  console.log(`least privilege: ${checkedUsed} logged requests allowed by the minimal roles; ${checkedProbes} requests the identities were granted probed, ${deniedProbes} of them (unused) denied by the minimal roles`);
  assert.ok(deniedProbes > 0);
});

test('audit rbac CLI: used vs granted, minimal YAML, read-only identity with a path to cluster-admin (exit 1)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-audit-rbac-'));
  const log = path.join(dir, 'audit.log');
  writeFileSync(log, [...(generateTraffic({ days: 1, scale: 0.1 }) as Iterable<unknown>)].map((e) => JSON.stringify(e)).join('\n') + '\n');
  const r = runCli(['audit', 'rbac', log, '-f', FIXTURE, '-o', 'json', '--identity', 'system:serviceaccount:monitoring:prometheus', '--identity', 'system:serviceaccount:shop:web']);
  assert.equal(r.status, 1, r.stderr);
  const body = JSON.parse(r.stdout);
  const prom = body.identities.find((x: { identity: string }) => x.identity.endsWith(':prometheus'));
  assert.equal(prom.readOnly, true);
  assert.equal(prom.overPrivileged, true);
  assert.ok(prom.escalation.steps.length > 0);
  // web only reads, yet may create Deployments in shop, which enforces no Pod Security level: a privileged pod, then the node.
  const web = body.identities.find((x: { identity: string }) => x.identity.endsWith(':web'));
  assert.equal(web.overPrivileged, true);
  assert.match(web.escalation.steps[0], /create deployments in namespace shop/);
  assert.ok(web.grants.some((g: { usedBy: number; resources: string[] }) => g.usedBy === 0 && g.resources.includes('deployments')));
  const all = JSON.parse(runCli(['audit', 'rbac', log, '-f', FIXTURE, '-o', 'json']).stdout);
  assert.equal(all.identities.find((x: { identity: string }) => x.identity.endsWith(':deployer')).overPrivileged, false); // it writes
  const y = runCli(['audit', 'rbac', log, '-f', FIXTURE, '-o', 'yaml', '--identity', 'system:serviceaccount:shop:web']);
  const docs = parseAllDocuments(y.stdout).map((d) => d.toJS());
  assert.deepEqual(docs.map((d) => `${d.kind} ${d.metadata.namespace ?? ''}/${d.metadata.name}`), ['Role shop/rampart-min-shop-web', 'RoleBinding shop/rampart-min-shop-web']);
});
