#!/usr/bin/env node
// Cost of `rampart node` on kubeadm-style node trees (hardened and weak), split into reading the
// tree (stat + parse) and running the CIS rules, plus CIS rule throughput over many API server
// static Pods through `scan`'s path. Runs against dist/ (run `npm run build` first); the fixture
// trees come from the test fixture builder (TypeScript, loaded with tsx).
//
//   node bench/node.mjs [--rounds N] [--pods N]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const ROUNDS = opt('--rounds', 20);
const PODS = opt('--pods', 2000);

if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { tsImport } = await import('tsx/esm/api');
const { writeNodeTree } = await tsImport('../src/input/testing/node-tree.ts', import.meta.url);
const { loadNodeRoot } = await import('../dist/input/node-root.js');
const { loadText } = await import('../dist/input/files.js');
const { runEngine } = await import('../dist/engine/run.js');
const { cisRules } = await import('../dist/rules/cis/index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(2)} ms`;

console.log(`rampart node benchmark (${ROUNDS} rounds, median; ${cisRules.length} cis rules)`);
for (const profile of ['hardened', 'weak']) {
  const root = await mkdtemp(path.join(tmpdir(), `rampart-bench-node-${profile}-`));
  try {
    await writeNodeTree(root, profile);
    const read = [];
    const check = [];
    let last;
    for (let i = 0; i < ROUNDS + 1; i++) {
      const t0 = performance.now();
      const load = await loadNodeRoot(root);
      const t1 = performance.now();
      last = runEngine(load, { rules: cisRules });
      const t2 = performance.now();
      if (i === 0) continue; // warm-up
      read.push(t1 - t0);
      check.push(t2 - t1);
    }
    console.log(`  ${profile.padEnd(8)} read tree ${ms(median(read))}  run rules ${ms(median(check))}  total ${ms(median(read) + median(check))}  (${last.summary.resources} objects, ${last.summary.findings} findings, ${last.summary.errors} errors)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// Many API server static Pods in one multi-document text: the flag rules' throughput, once with
// Pods that pass every check (evaluation only) and once with Pods that fail most (finding cost).
const HARDENED_FLAGS = [
  '--anonymous-auth=false', '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--profiling=false',
  '--audit-log-path=/var/log/a.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100',
  '--audit-policy-file=/etc/kubernetes/audit.yaml', '--client-ca-file=/p/ca.crt', '--tls-cert-file=/p/a.crt', '--tls-private-key-file=/p/a.key',
  '--etcd-cafile=/p/e.crt', '--etcd-certfile=/p/ec.crt', '--etcd-keyfile=/p/ec.key', '--kubelet-client-certificate=/p/k.crt',
  '--kubelet-client-key=/p/k.key', '--kubelet-certificate-authority=/p/ca.crt', '--service-account-key-file=/p/sa.pub',
  '--encryption-provider-config=/e.yaml', '--service-account-extend-token-expiration=false', '--tls-cipher-suites=TLS_AES_128_GCM_SHA256',
];
const pod = (i, flags) => `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-${i}, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.0
    command:
    - kube-apiserver
${flags.map((f) => `    - ${f}`).join('\n')}
`;
for (const [label, flags] of [['passing', HARDENED_FLAGS], ['failing', ['--authorization-mode=AlwaysAllow', '--profiling=true']]]) {
  const load = loadText(Array.from({ length: PODS }, (_, i) => pod(i, flags)).join('---\n'), 'bench.yaml');
  const times = [];
  let findings = 0;
  for (let i = 0; i < Math.max(3, Math.floor(ROUNDS / 4)) + 1; i++) {
    const t0 = performance.now();
    const rep = runEngine(load, { rules: cisRules });
    const t = performance.now() - t0;
    findings = rep.summary.findings;
    if (i > 0) times.push(t);
  }
  const t = median(times);
  console.log(`  ${PODS} ${label} API server Pods: run rules ${ms(t)} (${((PODS / t) * 1000).toFixed(0)} pods/s, ${findings} findings)`);
}
