// Verdict-level agreement with kube-bench: for every control-plane Pod in the corpora (minikube's
// live control plane from the netpol corpus, plus the hardened and weak kubeadm fixtures), every
// CIS item kube-bench decides from the component's command line is evaluated twice: by a small
// re-implementation of kube-bench's test semantics over the items' `tests` (from the corpus), and by
// Rampart's rules. Every disagreement must be one of the explained, deliberate ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { cisRules } from '../../rules/cis/index.js';
import { controlPlaneFlags } from './flags.js';
import { nodeTreeEntries } from '../../input/testing/node-tree.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import type { Resource } from '../../model/types.js';

const ITEMS = '../shared/corpus/cis/items.json';
const MINIKUBE = '../shared/corpus/netpol/np-guard/minikube_resources/pods.yaml';
const present = existsSync(ITEMS) && existsSync(MINIKUBE);
if (!present) console.error(`\n*** ${ITEMS} or ${MINIKUBE} is absent: kube-bench verdict agreement is SKIPPED ***\n`);

interface TestItem {
  flag: string;
  env?: string;
  set?: boolean;
  compare?: { op: string; value: unknown };
}
interface Item {
  id: string;
  audit: string;
  tests?: { bin_op?: string; test_items: TestItem[] };
}

const BIN: Record<string, string> = { $apiserverbin: 'kube-apiserver', $controllermanagerbin: 'kube-controller-manager', $schedulerbin: 'kube-scheduler', $etcdbin: 'etcd' };

/** The command line as kube-bench sees it in `ps`: flag → value ('' for bare flags); env as a fallback. */
function commandLine(r: Resource): { flags: Map<string, string>; env: Map<string, string> } {
  const flags = new Map<string, string>();
  const env = new Map<string, string>();
  for (const c of asArray(asObject(r.object.spec)?.containers)) {
    if (!isObject(c)) continue;
    const tokens = [...asArray(c.command), ...asArray(c.args)].filter((t): t is string => typeof t === 'string');
    tokens.forEach((t, i) => {
      const m = /^(--?[A-Za-z0-9-]+)(?:=(.*))?$/.exec(t);
      if (!m) return;
      const next = tokens[i + 1];
      flags.set(m[1]!.replace(/^-(?!-)/, '--'), m[2] ?? (next && !next.startsWith('-') ? next : ''));
    });
    for (const e of asArray(c.env)) if (isObject(e) && asString(e.name)) env.set(asString(e.name)!, asString(e.value) ?? '');
  }
  return { flags, env };
}

/** kube-bench's per-item test semantics (check/test.go): presence, `set`, and the compare ops used in cis-1.12. */
function kubeBenchPasses(item: Item, cl: { flags: Map<string, string>; env: Map<string, string> }): boolean {
  const results = item.tests!.test_items.map((t) => {
    let value = cl.flags.get(t.flag);
    if (value === undefined && t.env) value = cl.env.get(t.env);
    const found = value !== undefined;
    if (t.set === false) return !found;
    if (!t.compare) return found;
    if (!found) return false;
    const want = String(t.compare.value);
    switch (t.compare.op) {
      case 'eq':
        return value === want;
      case 'noteq':
        return value !== want;
      case 'gte':
        return Number(value) >= Number(want);
      case 'has':
        return value!.includes(want);
      case 'nothave':
        return !value!.includes(want);
      case 'valid_elements':
        return value!.split(',').every((v) => want.split(',').includes(v.trim()));
      default:
        throw new Error(`op ${t.compare.op} not modelled`);
    }
  });
  return item.tests!.bin_op === 'or' ? results.some(Boolean) : results.every(Boolean);
}

/** Deliberate differences, each explained. Key: CIS id; the value says why Rampart decides otherwise. */
const EXPLAINED: Record<string, string> = {
  '1.3.7': 'kube-bench passes when --bind-address is absent; the controller manager then binds 0.0.0.0, so Rampart fails it',
  '1.4.2': 'kube-bench passes when --bind-address is absent; the scheduler then binds 0.0.0.0, so Rampart fails it',
};

test('verdict agreement with kube-bench on control-plane command lines', { skip: !present }, () => {
  const items = (JSON.parse(readFileSync(ITEMS, 'utf8')) as Item[]).filter((i) => i.tests && Object.keys(BIN).some((b) => i.audit.includes(b)) && i.tests.test_items.every((t) => t.flag.startsWith('--')));
  const texts = [readFileSync(MINIKUBE, 'utf8'), ...(['hardened', 'weak'] as const).flatMap((p) => nodeTreeEntries(p).filter((e) => e.path.startsWith('/etc/kubernetes/manifests/')).map((e) => e.content!))];
  let compared = 0;
  const disagreements: string[] = [];
  const explained: string[] = [];
  texts.forEach((text, ti) => {
    const load = loadText(text, `input-${ti}.yaml`);
    const report = runEngine(load, { rules: cisRules, config: { rules: { 'cis/*': { enabled: true } }, exceptions: [], settings: {} } });
    for (const pod of load.resources) {
      const fs = controlPlaneFlags(pod);
      if (!fs) continue;
      const cl = commandLine(pod);
      const ours = new Set(report.findings.filter((f) => f.resource.kind === 'Pod' && f.resource.name === pod.name).flatMap((f) => f.references.cis));
      for (const item of items.filter((i) => i.audit.includes(Object.keys(BIN).find((b) => BIN[b] === fs.component) ?? '\u0000'))) {
        compared++;
        const kb = kubeBenchPasses(item, cl);
        const rampart = !ours.has(item.id);
        if (kb === rampart) continue;
        const line = `${item.id} on ${pod.name}: kube-bench ${kb ? 'PASS' : 'FAIL'}, rampart ${rampart ? 'PASS' : 'FAIL'}`;
        (EXPLAINED[item.id] ? explained : disagreements).push(line);
      }
    }
  });
  console.log(`kube-bench verdict agreement: ${compared - disagreements.length - explained.length}/${compared} (pod, item) verdicts equal; ${explained.length} differ by design:`);
  for (const e of explained) console.log(`  ${e} (${EXPLAINED[e.split(' ')[0]!]})`);
  assert.deepEqual(disagreements, []);
  assert.ok(compared >= 120, `only ${compared} verdicts compared`);
});
