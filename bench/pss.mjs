#!/usr/bin/env node
// Pod Security Admission throughput: 100k generated pod specs evaluated at restricted/latest,
// against the parse-only time of the same input. Runs against dist/ (npm run build first).
// Usage: node bench/pss.mjs [pods=100000]
import { performance } from 'node:perf_hooks';
import { loadText } from '../dist/input/files.js';
import { podInputOf } from '../dist/analyses/pss/resource.js';
import { evaluatePod } from '../dist/analyses/pss/evaluate.js';
import { parseVersion } from '../dist/analyses/pss/version.js';

const N = Number(process.argv[2] ?? 100_000);

// Deterministic variety: compliant pods, common baseline and restricted violations, workloads.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (a) => a[Math.floor(rand() * a.length)];

function container(i, restricted) {
  const sc = restricted
    ? `      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n`
    : pick([
        '',
        `      securityContext: {privileged: true}\n`,
        `      securityContext:\n        capabilities: {add: [NET_ADMIN, SYS_TIME]}\n`,
        `      securityContext: {runAsUser: 0, procMount: Unmasked}\n`,
      ]);
  const ports = rand() < 0.1 ? `      ports: [{containerPort: 80, hostPort: 8080}]\n` : `      ports: [{containerPort: 8080}]\n`;
  return `    - name: c${i}\n      image: registry.example/app:${i}\n${ports}${sc}`;
}

function pod(n) {
  const restricted = rand() < 0.5;
  const podSc = restricted ? `  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n` : pick(['', `  hostNetwork: true\n`, `  securityContext:\n    sysctls: [{name: kernel.msgmax, value: "1"}]\n`]);
  const volumes = rand() < 0.2 ? `  volumes:\n  - name: host\n    hostPath: {path: /var/run}\n` : `  volumes:\n  - name: cfg\n    configMap: {name: cfg}\n`;
  const containers = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => container(i, restricted)).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${n}\n  namespace: ns-${n % 50}\n  labels: {app: a${n % 100}}\nspec:\n${podSc}${volumes}  containers:\n${containers}`;
}

// The same input as 100 files of up to 1,000 pods each (as a repository or a chart render would be).
const FILE_PODS = 1000;
const files = [];
for (let i = 0; i < N; i += FILE_PODS) files.push(Array.from({ length: Math.min(FILE_PODS, N - i) }, (_, j) => pod(i + j)).join('---\n'));
const mb = (files.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1048576).toFixed(1);

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return { ms: performance.now() - t0, r };
}

// Warm up the JIT on a slice so both phases are measured hot.
const warm = loadText(files[0], 'warm.yaml');
for (const r of warm.resources) evaluatePod(podInputOf(r), 'restricted', 37);

const parse = time(() => files.map((t, i) => loadText(t, `bench-${i}.yaml`)));
const resources = parse.r.flatMap((l) => l.resources);
const errors = parse.r.reduce((n, l) => n + l.errors.length, 0);
if (resources.length !== N || errors) throw new Error(`expected ${N} pods, parsed ${resources.length} (${errors} errors)`);
const latest = parseVersion('latest');
const inputs = resources.map((r) => podInputOf(r));
// Median of three evaluation passes (the machine may be shared; one pass is noisy).
const passes = [0, 1, 2].map(() =>
  time(() => {
    let denied = 0;
    for (const p of inputs) if (!evaluatePod(p, 'restricted', latest.minor).allowed) denied++;
    return denied;
  }),
);
const evalRun = passes.sort((a, b) => a.ms - b.ms)[1];

const podsPerSec = (N / evalRun.ms) * 1000;
console.log(`pss bench: ${N} generated pod specs (${mb} MiB YAML in ${files.length} files), restricted/latest (v1.${latest.minor})`);
console.log(`  parse only (YAML + resources):  ${parse.ms.toFixed(0)} ms  (${((N / parse.ms) * 1000).toFixed(0)} pods/s)`);
console.log(`  PSA evaluation only:            ${evalRun.ms.toFixed(0)} ms  (${podsPerSec.toFixed(0)} pods/s; ${evalRun.r} denied, ${N - evalRun.r} allowed)`);
console.log(`  evaluation / parse-only time:   ${(evalRun.ms / parse.ms).toFixed(3)}`);
console.log(`  parse + evaluation / parse:     ${((parse.ms + evalRun.ms) / parse.ms).toFixed(3)}`);
