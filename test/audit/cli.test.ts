// `rampart audit` end to end on the built CLI, and the streaming reader in-process (--follow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { corpusFile, corpusOrSkip } from './support.js';
import { readAuditSource, type AuditRecord } from '../../src/input/audit/read.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'rampart-audit-'));

test('audit -o json: CONTRACT shape, exit 1 on alerts at or above --fail-on', (t) => {
  if (!corpusOrSkip(t)) return;
  const r = runCli(['audit', corpusFile('create_nginx_pod_privileged'), corpusFile('exec_pod'), '-o', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const body = JSON.parse(r.stdout);
  assert.equal(body.stats.events, 2);
  assert.equal(body.stats.invalid, 0);
  const a = body.alerts.find((x: { ruleId: string }) => x.ruleId === 'audit/workload-security');
  for (const k of ['ruleId', 'severity', 'message', 'auditID', 'user', 'verb', 'objectRef', 'timestamp']) assert.ok(k in a, k);
  assert.equal(a.auditID, 'a362d22b-db3c-4590-9505-23782f12925f');
  assert.equal(runCli(['audit', corpusFile('exec_pod'), '--fail-on', 'high']).status, 0);
});

test('audit reads .gz, stdin and EventList (one line or pretty-printed) to the same alerts', (t) => {
  if (!corpusOrSkip(t)) return;
  const dir = tmp();
  const lines = ['create_nginx_pod_privileged', 'attach_cluster_admin_role', 'exec_pod'].map((f) => readFileSync(corpusFile(f), 'utf8').trim());
  const plain = path.join(dir, 'audit.log');
  writeFileSync(plain, lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'audit.log.gz'), gzipSync(lines.join('\n') + '\n'));
  const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: lines.map((l) => JSON.parse(l)) };
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify(list));
  writeFileSync(path.join(dir, 'pretty.json'), JSON.stringify(list, null, 2));
  const rules = (args: string[], stdin?: string) => {
    const r = runCli(['audit', ...args, '-o', 'json', '--fail-on', 'never'], stdin);
    assert.equal(r.status, 0, r.stderr + r.stdout.slice(0, 500));
    const b = JSON.parse(r.stdout);
    assert.equal(b.stats.events, 3);
    return b.alerts.map((a: { ruleId: string; auditID: string }) => `${a.ruleId} ${a.auditID}`).sort();
  };
  const want = rules([plain]);
  assert.equal(want.length, 3);
  assert.deepEqual(rules([path.join(dir, 'audit.log.gz')]), want);
  assert.deepEqual(rules(['-'], lines.join('\n')), want);
  assert.deepEqual(rules([path.join(dir, 'list.json')]), want);
  assert.deepEqual(rules([path.join(dir, 'pretty.json')]), want);
});

test('invalid lines and unreadable files are named (file:line), counted, never fatal; exit 2', (t) => {
  if (!corpusOrSkip(t)) return;
  const dir = tmp();
  const f = path.join(dir, 'mixed.log');
  writeFileSync(f, ['{"kind": 0}', readFileSync(corpusFile('exec_pod'), 'utf8').trim(), '{not json', '', '[1,2]', readFileSync(corpusFile('attach_pod'), 'utf8').trim()].join('\n'));
  const broken = path.join(dir, 'broken.gz');
  writeFileSync(broken, gzipSync('x'.repeat(1000)).subarray(0, 20));
  const r = runCli(['audit', f, path.join(dir, 'missing.log'), broken, '-o', 'json']);
  assert.equal(r.status, 2);
  const b = JSON.parse(r.stdout);
  assert.equal(b.stats.events, 2);
  assert.equal(b.stats.invalid, 3);
  assert.equal(b.stats.unreadable, 2);
  assert.equal(b.alerts.length, 2);
  const where = b.errors.map((e: { file: string; line?: number }) => `${path.basename(e.file)}:${e.line ?? ''}`);
  assert.deepEqual(where, ['mixed.log:1', 'mixed.log:3', 'mixed.log:5', 'missing.log:', 'broken.gz:']);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // no stack trace
});

test('--follow reads appended lines and continues after the file is rotated', async (t) => {
  if (!corpusOrSkip(t)) return;
  const dir = tmp();
  const f = path.join(dir, 'audit.log');
  const line = (file: string) => readFileSync(corpusFile(file), 'utf8').trim() + '\n';
  writeFileSync(f, line('exec_pod'));
  const abort = new AbortController();
  const got: AuditRecord[] = [];
  const reading = (async () => {
    for await (const r of readAuditSource(f, { follow: true, pollMs: 20, signal: abort.signal })) got.push(r);
  })();
  const waitFor = async (n: number) => {
    for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(got.length, n);
  };
  await waitFor(1);
  appendFileSync(f, line('attach_pod'));
  await waitFor(2);
  renameSync(f, f + '.1'); // logrotate: rename, then the API server opens a new file
  writeFileSync(f, line('create_secret'));
  await waitFor(3);
  abort.abort();
  await reading;
  assert.deepEqual(got.map((r) => r.line), [1, 2, 1]);
});
