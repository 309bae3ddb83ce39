// Conformance against cyclonus' simple-example truth tables (../shared/corpus/netpol/cyclonus):
// the probe's Ingress, Egress and Combined tables for TCP 80, 81, 82, cell by cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadText } from '../../input/files.js';
import { CORPUS, corpusAvailable } from './testing/corpus.js';
import { clusterFromResources, NetpolEngine, contains, parseIpv4, type Endpoint, type PodInfo, type Protocol } from './index.js';

interface ProbeFile {
  Probes: { Protocol: string; Port: number }[];
  Resources: {
    Namespaces: Record<string, Record<string, string>>;
    Pods: { Namespace: string; Name: string; Labels: Record<string, string>; Containers: { Name: string; Port: number; PortName: string; Protocol: string }[] }[];
  };
}

type Table = Map<string, string>; // "x/a>Y/B" → cell

function parseTables(text: string): { Ingress: Table; Egress: Table; Combined: Table }[] {
  const blocks: { Ingress: Table; Egress: Table; Combined: Table }[] = [];
  let current: Partial<Record<'Ingress' | 'Egress' | 'Combined', Table>> = {};
  let name: 'Ingress' | 'Egress' | 'Combined' | undefined;
  let header: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(Ingress|Egress|Combined):$/.exec(line.trim());
    if (m) {
      name = m[1] as 'Ingress' | 'Egress' | 'Combined';
      current[name] = new Map();
      header = [];
      continue;
    }
    if (!name || !line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === '') {
      header = cells.slice(1);
      continue;
    }
    cells.slice(1).forEach((c, i) => current[name!]!.set(`${cells[0]}>${header[i]}`, c));
    if (name === 'Combined' && current[name]!.size === header.length * header.length) {
      blocks.push(current as { Ingress: Table; Egress: Table; Combined: Table });
      current = {};
      name = undefined;
    }
  }
  return blocks;
}

if (corpusAvailable('cyclonus')) {
  const dir = path.join(CORPUS, 'cyclonus', 'simple-example');
  const probe = JSON.parse(readFileSync(path.join(dir, 'probe.json'), 'utf8')) as ProbeFile;
  const policyText = readdirSync(path.join(dir, 'policies'))
    .sort()
    .map((f) => readFileSync(path.join(dir, 'policies', f), 'utf8'))
    .join('\n---\n');
  const load = loadText(policyText, 'policies');
  const cluster = clusterFromResources(load.resources);
  for (const [n, labels] of Object.entries(probe.Resources.Namespaces)) cluster.namespaces.set(n, { ...labels, 'kubernetes.io/metadata.name': n });
  const pods: PodInfo[] = probe.Resources.Pods.map((p) => ({
    namespace: p.Namespace,
    name: p.Name,
    kind: 'Pod',
    key: `${p.Namespace}/${p.Name}[Pod]`,
    labels: p.Labels,
    ports: p.Containers.map((c) => ({ name: c.PortName, port: c.Port, protocol: c.Protocol.toUpperCase() as Protocol })),
    hostNetwork: false,
  }));
  cluster.pods.push(...pods);
  const engine = new NetpolEngine(cluster);
  const blocks = parseTables(readFileSync(path.join(dir, 'expected-analyze-probe.txt'), 'utf8'));

  let compared = 0;
  let agree = 0;
  let notServed = 0;
  let unknown = 0;
  probe.Probes.forEach((pr, bi) => {
    test(`cyclonus probe ${pr.Protocol} ${pr.Port}`, () => {
      assert.equal(load.errors.length, 0);
      const block = blocks[bi];
      assert.ok(block, `expected output has a block for probe ${bi}`);
      const protocol = pr.Protocol.toUpperCase() as Protocol;
      const wrong: string[] = [];
      for (const src of pods)
        for (const dst of pods) {
          const key = `${src.namespace}/${src.name}>${dst.namespace.toUpperCase()}/${dst.name.toUpperCase()}`;
          const serves = dst.ports.some((p) => p.port === pr.Port && p.protocol === protocol);
          const ing = contains(engine.ingress({ kind: 'pod', pod: src }, dst).allowed, protocol, pr.Port);
          const eg = contains(engine.egress(src, { kind: 'pod', pod: dst }).allowed, protocol, pr.Port);
          const ours = { Ingress: ing, Egress: eg, Combined: ing && eg };
          for (const t of ['Ingress', 'Egress', 'Combined'] as const) {
            const cell = block[t].get(key);
            if (cell === '?') {
              unknown++;
              continue;
            }
            if (cell === 'N') {
              // Cyclonus does not simulate a port the destination does not serve: check only that fact.
              notServed++;
              if (serves) wrong.push(`${t} ${key}: expected "not served" but ${dst.key} declares ${pr.Port}/${protocol}`);
              continue;
            }
            compared++;
            const expected = cell === '.';
            if (cell !== '.' && cell !== 'X') wrong.push(`${t} ${key}: unexpected cell "${cell}"`);
            else if (expected !== ours[t]) wrong.push(`${t} ${key}: expected ${expected ? 'allowed' : 'blocked'}, got ${ours[t] ? 'allowed' : 'blocked'}`);
            else agree++;
          }
        }
      assert.deepEqual(wrong, []);
    });
  });
  interface Side {
    IP?: string;
    Internal?: { PodLabels: Record<string, string>; NamespaceLabels: Record<string, string>; Namespace: string };
  }
  const traffic = JSON.parse(readFileSync(path.join(dir, 'traffic.json'), 'utf8')) as { Source: Side; Destination: Side; Protocol: string; ResolvedPort: number; ResolvedPortName?: string }[];
  const verdicts = [...readFileSync(path.join(dir, 'expected-analyze-query-traffic.txt'), 'utf8').matchAll(/IS ALLOWED\? \|\s+(TRUE|FALSE)/g)].map((m) => m[1] === 'TRUE');
  let trafficAgree = 0;
  test('cyclonus query-traffic flows', () => {
    assert.equal(verdicts.length, traffic.length);
    const wrong: string[] = [];
    traffic.forEach((t, i) => {
      const protocol = t.Protocol.toUpperCase() as Protocol;
      // A side with Internal is a pod (its namespace labels as given); otherwise it is an address outside the cluster.
      const endpoint = (side: Side, name: string): Endpoint => {
        if (side.Internal) {
          const ns = side.Internal.Namespace;
          const nsLabels = { ...side.Internal.NamespaceLabels, 'kubernetes.io/metadata.name': ns };
          assert.deepEqual(cluster.namespaces.get(ns), nsLabels, `flow ${i}: namespace ${ns} labels as in probe.json`);
          const ports = t.ResolvedPortName && name === 'dst' ? [{ name: t.ResolvedPortName, port: t.ResolvedPort, protocol }] : [];
          return { kind: 'pod', pod: { namespace: ns, name: `flow-${i}-${name}`, kind: 'Pod', key: `${ns}/flow-${i}-${name}[Pod]`, labels: side.Internal.PodLabels, ports, hostNetwork: false } };
        }
        const ip = parseIpv4(side.IP ?? '');
        assert.ok(ip !== undefined);
        return { kind: 'external', range: { lo: ip, hi: ip } };
      };
      const v = engine.connection(endpoint(t.Source, 'src'), endpoint(t.Destination, 'dst'));
      const ours = contains(v.allowed, protocol, t.ResolvedPort);
      if (ours === verdicts[i]) trafficAgree++;
      else wrong.push(`flow ${i}: expected ${verdicts[i] ? 'allowed' : 'denied'}, got ${ours ? 'allowed' : 'denied'}`);
    });
    assert.deepEqual(wrong, []);
  });

  test('cyclonus agreement summary', () => {
    console.log(`cyclonus simple-example: ${agree}/${compared} allowed/blocked probe cells agree; ${notServed} "not served" cells checked against container ports; ${unknown} "?" cells not comparable; ${trafficAgree}/${traffic.length} query-traffic flows agree`);
    assert.ok(compared > 0);
  });
}
