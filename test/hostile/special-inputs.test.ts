// Inputs that must never pass unseen (probes 04-stdin-empty-pass and 07-special-files): empty,
// closed or directory stdin, and fifos/devices/sockets named like manifests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, openSync, closeSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadInputs } from '../../src/input/files.js';

const BIN = path.resolve('bin/rampart.js');
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-special-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `rampart scan - -o json` with stdin from a fd, or a string piped in. */
function scanStdin(stdin: number | string) {
  const piped = typeof stdin === 'string';
  const r = spawnSync(process.execPath, [BIN, 'scan', '-', '-o', 'json', '--no-config', '--fail-on', 'never'], {
    input: piped ? stdin : undefined,
    stdio: [piped ? 'pipe' : stdin, 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, report: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

test('empty stdin is "no input on stdin", exit 2 (a failed `helm template | rampart scan -` never passes)', () => {
  for (const input of ['', '\n  \n']) {
    const r = scanStdin(input);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.report.errors[0].message, /^no input on stdin/);
    assert.equal(r.report.summary.notEvaluated, 1);
  }
});

test('closed stdin and a directory as stdin are errors, exit 2', () => {
  const devnull = openSync('/dev/null', 'r');
  try {
    const r = scanStdin(devnull);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.report.errors[0].message, /^no input on stdin/);
  } finally {
    closeSync(devnull);
  }
  const fd = openSync(dir, 'r');
  try {
    const d = scanStdin(fd);
    assert.equal(d.status, 2, d.stderr);
    assert.match(d.report.errors[0].message, /^no input on stdin \(stdin is a directory\)/);
  } finally {
    closeSync(fd);
  }
  const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" scan - -o json --no-config <&-`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(sh.status, 2, sh.stderr);
  assert.match(JSON.parse(sh.stdout).errors[0].message, /^no input on stdin/);
});

test('fifos and devices named *.yaml are named as not evaluated, never opened (also through symlinks)', async () => {
  const d = path.join(dir, 'special');
  mkdirSync(d);
  writeFileSync(path.join(d, 'a.yaml'), CM);
  symlinkSync('/dev/zero', path.join(d, 'zero.yaml'));
  const mk = spawnSync('mkfifo', [path.join(d, 'only.yaml'), path.join(d, '.p')]);
  const fifos = mk.status === 0;
  if (fifos) symlinkSync('.p', path.join(d, 'p.yaml'));
  else console.warn('\n!!! mkfifo unavailable: fifo cases not run !!!\n');
  const load = await loadInputs([d], undefined, false);
  assert.deepEqual(load.resources.map((r) => r.name), ['a']);
  const msgs = load.errors.map((e) => `${path.basename(e.file)}: ${e.message}`).sort();
  const expected = ['zero.yaml: a character device, not a manifest file; not evaluated'];
  if (fifos) expected.push('only.yaml: a fifo, not a manifest file; not evaluated', 'p.yaml: a fifo, not a manifest file; not evaluated');
  assert.deepEqual(msgs, expected.sort());
  // Given explicitly, too.
  const explicit = await loadInputs([path.join(d, 'zero.yaml')], undefined, false);
  assert.match(explicit.errors[0]!.message, /character device/);
  assert.ok(existsSync(path.join(d, 'a.yaml')));
});

test('stdin over the size limit stops reading and is an error', () => {
  const big = 'x'.repeat(33 * 1024 * 1024);
  const r = scanStdin(big);
  assert.equal(r.status, 2);
  assert.match(r.report.errors[0].message, /stdin is larger than the \d+ MiB limit/);
});
