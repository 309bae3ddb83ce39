// `fix` round trip over every chart (../shared/corpus/charts) and overlay (../shared/corpus/kustomize),
// on copies, through the built CLI (plain manifests: roundtrip-manifests.test.ts). Checked: (a) every line outside the edits is byte-identical, (b) each edited
// document parses to the original plus exactly the planned ops, (c) a second fix changes no byte,
// (d) every finding reported fixed is gone by identity, (e) no may-break fix without the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_YAML_OPTIONS } from '../../src/input/yaml.js';
import { jsonEqual } from '../../src/fix/index.js';
import { diffLines } from '../../src/fix/diff.js';
import type { JsonValue } from '../../src/model/types.js';

const CORPUS = path.resolve('../shared/corpus');
const docsOf = (text: string) => parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: 1000 }) as JsonValue);

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const rec = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (e.isFile()) out.set(path.relative(dir, p), sha(p));
    }
  };
  rec(dir);
  return out;
}

/** Fields the built-in fixes write (the last key of every fix path), for checking rendered sources. */
const FIX_FIELDS = new Set(['privileged', 'allowPrivilegeEscalation', 'runAsNonRoot', 'readOnlyRootFilesystem', 'drop', 'type', 'procMount', 'hostNetwork', 'hostPID', 'hostIPC', 'except', 'level', 'externalIPs', 'pod-security.kubernetes.io/enforce', 'capabilities', 'securityContext', 'seccompProfile']);

/** Leaf paths where two JSON values differ. */
function changedPaths(a: JsonValue | undefined, b: JsonValue | undefined, at: string[] = [], out: string[][] = []): string[][] {
  if (jsonEqual(a, b)) return out;
  const isObj = (v: unknown): v is Record<string, JsonValue> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) changedPaths(a[k], b[k], [...at, k], out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) a.forEach((x, i) => changedPaths(x, b[i], [...at, String(i)], out));
  else out.push(at);
  return out;
}

function rampart(cwd: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [path.resolve('bin/rampart.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
}

test('fix round trip: every chart and overlay (copies), through the CLI', { skip: !existsSync(path.join(CORPUS, 'charts')) && `SKIP: ${CORPUS}/charts is absent` }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-rt-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-rt-cache-'));
  const env = { RAMPART_CACHE_DIR: cache };
  try {
    for (const t of ['charts', 'kustomize']) cpSync(path.join(CORPUS, t), path.join(dir, t), { recursive: true });
    const inputs = ['charts', 'kustomize'];
    const original = hashes(dir);
    // (e) Without the flag: only safe fixes, so no may-break field changes.
    const safeDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-rt-safe-'));
    try {
      for (const t of inputs) cpSync(path.join(CORPUS, t), path.join(safeDir, t), { recursive: true });
      const safe = rampart(safeDir, ['fix', ...inputs], env);
      assert.doesNotMatch(safe.stderr, /\n\s+at /, 'no stack trace');
      assert.match(safe.stderr + safe.stdout, /may-break fix\(es\)/);
      for (const [rel, h] of hashes(safeDir)) {
        if (original.get(rel) === h) continue;
        const diffs = changedPaths(docsOf(readFileSync(path.join(CORPUS, rel), 'utf8')) as JsonValue, docsOf(readFileSync(path.join(safeDir, rel), 'utf8')) as JsonValue);
        for (const p of diffs) assert.ok(['runAsNonRoot', 'level'].includes(p[p.length - 1]!), `${rel}: ${p.join('/')} changed without --include may-break`);
      }
    } finally {
      rmSync(safeDir, { recursive: true, force: true });
    }

    const r = rampart(dir, ['fix', ...inputs, '--include', 'may-break'], env);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const summary = /(\d+) finding\(s\) fixed and verified, (\d+) still present, \d+ may-break fix\(es\) skipped, (\d+) not fixable automatically \((\d+) pass/.exec(r.stdout);
    assert.ok(summary, r.stdout + r.stderr);
    const after = hashes(dir);
    const changed = [...after].filter(([rel, h]) => original.get(rel) !== h).map(([rel]) => rel);
    let linesRemoved = 0;
    let leafChanges = 0;
    for (const rel of changed) {
      const before = readFileSync(path.join(CORPUS, rel), 'utf8');
      const now = readFileSync(path.join(dir, rel), 'utf8');
      // (a) Only lines holding a fixed field change; everything else is kept byte for byte.
      const removed = diffLines(before.split('\n'), now.split('\n')).filter((d) => d.t === '-');
      linesRemoved += removed.length;
      for (const d of removed) assert.match(d.line, /^\s*(?:-\s+)?(?:[\w.-]+:\s*)?(?:\{|\[|privileged|allowPrivilegeEscalation|runAsNonRoot|readOnlyRootFilesystem|drop|type|procMount|host(Network|PID|IPC)|level|\w+: (true|false))/, `${rel}: removed line is not a fix field: ${d.line}`);
      // (b) YAML sources read back as the original with changes only at fix fields (templates are checked by the re-render).
      if (!rel.includes('/templates/')) {
        const diffs = changedPaths(docsOf(before) as JsonValue, docsOf(now) as JsonValue);
        leafChanges += diffs.length;
        for (const p of diffs) assert.ok(p.some((s) => FIX_FIELDS.has(s)), `${rel}: ${p.join('/')} is not a fix field`);
      }
    }
    // (c) A second run changes no byte; (d) the CLI verified every fixed finding by identity.
    const second = rampart(dir, ['fix', ...inputs, '--include', 'may-break'], env);
    const changedAgain = [...hashes(dir)].filter(([rel, h]) => after.get(rel) !== h).map(([rel]) => rel);
    console.log(`fix round trip (charts + overlays, CLI): files ${original.size}, changed ${changed.length}, lines removed/rewritten ${linesRemoved}, YAML leaf changes ${leafChanges}, fixed+verified ${summary[1]}, still present ${summary[2]}, not fixable ${summary[3]}, passes ${summary[4]}; second run changed ${changedAgain.length} file(s)`);
    assert.deepEqual(changedAgain, [], second.stdout + second.stderr);
    assert.equal(summary[2], '0', r.stdout);
    assert.ok(changed.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});
