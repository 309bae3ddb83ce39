// The `fix` reproducers of ../shared/probes/relsec (01, 08–13) as regression tests, run with the
// built CLI on copies in a temp dir. The probes' own files are used where they are present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { diffLines } from '../../src/fix/diff.js';

const BIN = path.resolve('bin/rampart.js');
const PROBES = path.resolve('../shared/probes/relsec');
const have = existsSync(PROBES);
if (!have) console.log(`SKIP: ${PROBES} is absent; the fix probe regressions did not run`);

function inTemp(fn: (dir: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-probe-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rampart(dir: string, args: string[], prefix: string[] = []) {
  const cmd = prefix.length ? prefix[0]! : process.execPath;
  const argv = prefix.length ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
  const r = spawnSync(cmd, argv, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const probe = (name: string, file: string) => path.join(PROBES, name, file);
const read = (p: string) => readFileSync(p, 'utf8');
const values = (text: string) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());

test('probe 01: octal modes stay octal (0400 is not rewritten as 400)', { skip: !have }, () => {
  inTemp((dir) => {
    copyFileSync(probe('01-fix-yaml11-octal', 'secret-mount.yaml'), path.join(dir, 'octal-case.yaml'));
    const before = read(path.join(dir, 'octal-case.yaml'));
    const r = rampart(dir, ['fix', 'octal-case.yaml', '--include', 'may-break']);
    assert.equal(r.stderr.includes('    at '), false, 'no stack trace');
    const after = read(path.join(dir, 'octal-case.yaml'));
    assert.notEqual(after, before, 'the privileged container was fixed');
    const modes = (t: string) => t.split('\n').filter((l) => /defaultMode/.test(l));
    assert.deepEqual(modes(after), modes(before));
    assert.deepEqual(modes(after).map((l) => /0\d{3}/.exec(l)![0]), ['0400', '0644', '0440']);
    const v = values(after)[0] as { spec: { volumes: { secret?: { defaultMode: number }; configMap?: { defaultMode: number } }[] } };
    assert.deepEqual(v.spec.volumes.map((x) => (x.secret ?? x.configMap)!.defaultMode), [0o400, 0o644, 0o440]);
  });
});

test('probe 08: a file that cannot be written stops the run before any file changes (exit 2, no stack)', { skip: !have }, (t) => {
  inTemp((dir) => {
    const w = path.join(dir, 'w');
    mkdirSync(w);
    copyFileSync(probe('08-fix-readonly-partial-write', 'a.yaml'), path.join(w, 'a.yaml'));
    copyFileSync(probe('08-fix-readonly-partial-write', 'b.yaml'), path.join(w, 'b.yaml'));
    let prefix: string[] = [];
    const setpriv = spawnSync('setpriv', ['--version']).status === 0;
    if (process.getuid?.() === 0 && setpriv) {
      // As in the probe: the folder and a.yaml belong to nobody, b.yaml stays root's (0644).
      chmodSync(dir, 0o755);
      chownSync(w, 65534, 65534);
      chownSync(path.join(w, 'a.yaml'), 65534, 65534);
      chmodSync(path.join(w, 'a.yaml'), 0o644);
      chmodSync(path.join(w, 'b.yaml'), 0o644);
      prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    } else if (process.getuid?.() !== 0) {
      chmodSync(path.join(w, 'b.yaml'), 0o444);
    } else {
      t.skip('SKIP: running as root without setpriv: a read-only file cannot be made to fail');
      return;
    }
    const a = read(path.join(w, 'a.yaml'));
    const b = read(path.join(w, 'b.yaml'));
    const r = rampart(w, ['fix', 'a.yaml', 'b.yaml', '--include', 'may-break'], prefix);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot write b\.yaml: EACCES; nothing was changed/);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
    assert.equal(read(path.join(w, 'a.yaml')), a, 'a.yaml untouched');
    assert.equal(read(path.join(w, 'b.yaml')), b, 'b.yaml untouched');
  });
});

test('probe 09: a file changed between scan and write is refused, never edited in the wrong document', { skip: !have }, () => {
  inTemp((dir) => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'chart', 'templates'), { recursive: true });
    copyFileSync(probe('09-fix-toctou', 'p.yaml'), path.join(repo, 'p.yaml'));
    writeFileSync(path.join(repo, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    // The render is the window: this "helm" (outside the scanned tree) plays the teammate who
    // inserts a document above the Pod while rampart waits for the renderer.
    const tools = path.join(dir, 'tools');
    mkdirSync(tools);
    const edited = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: added, namespace: shop}\ndata:\n  spec: "x"\n---\n${read(probe('09-fix-toctou', 'p.yaml'))}`;
    writeFileSync(path.join(tools, 'edited.yaml'), edited);
    writeFileSync(path.join(tools, 'helm'), `#!/bin/sh\ncp "${path.join(tools, 'edited.yaml')}" "${path.join(repo, 'p.yaml')}"\nexit 0\n`, { mode: 0o755 });
    const r = rampart(repo, ['fix', 'p.yaml', 'chart', '--include', 'may-break', '--helm', path.join(tools, 'helm')]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /p\.yaml changed since it was scanned/);
    assert.equal(read(path.join(repo, 'p.yaml')), edited, 'the teammate\'s file is kept byte for byte');
  });
});

test('probe 10: a JSON file stays valid JSON in its own layout', { skip: !have }, () => {
  inTemp((dir) => {
    copyFileSync(probe('10-fix-json-becomes-yaml', 'pod.json'), path.join(dir, 'pod.json'));
    const before = read(path.join(dir, 'pod.json'));
    const r = rampart(dir, ['fix', 'pod.json', '--include', 'may-break']);
    const after = read(path.join(dir, 'pod.json'));
    const obj = JSON.parse(after) as { spec: { containers: { securityContext: Record<string, unknown> }[] } };
    assert.equal(obj.spec.containers[0]!.securityContext.privileged, false, r.stderr);
    const lines = (t: string) => t.split('\n');
    assert.deepEqual(lines(after).filter((l) => !l.includes('"spec"')), lines(before).filter((l) => !l.includes('"spec"')), 'only the spec line changed');
  });
});

test('probe 11: conflicting capability fixes merge (ALL subsumes NET_RAW); one run reaches the fixed point', { skip: !have }, () => {
  inTemp((dir) => {
    copyFileSync(probe('11-fix-conflicting-ops', 'pod.yaml'), path.join(dir, 'pod.yaml'));
    chmodSync(path.join(dir, 'pod.yaml'), 0o640);
    const r = rampart(dir, ['fix', 'pod.yaml', '--include', 'may-break']);
    assert.equal(statSync(path.join(dir, 'pod.yaml')).mode & 0o777, 0o640, 'the file keeps its mode');
    assert.deepEqual(readdirSync(dir), ['pod.yaml'], 'no temporary file left behind');
    assert.match(r.stdout, /fixed and verified, 0 still present/, r.stdout + r.stderr);
    const after = read(path.join(dir, 'pod.yaml'));
    const drop = (values(after)[0] as { spec: { containers: { securityContext: { capabilities: { drop: string[] } } }[] } }).spec.containers[0]!.securityContext.capabilities.drop;
    assert.deepEqual(drop, ['ALL']);
    const scan = rampart(dir, ['scan', 'pod.yaml', '-o', 'json', '--fail-on', 'never']);
    const ids = (JSON.parse(scan.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('pss/capabilities_restricted') && !ids.includes('workload/drop-net-raw'), ids.join(', '));
    const again = rampart(dir, ['fix', 'pod.yaml', '--include', 'may-break']);
    assert.equal(read(path.join(dir, 'pod.yaml')), after, 'a second run changes no byte');
    assert.match(again.stdout, /0 finding\(s\) fixed/);
  });
});

test('probe 12: a symlink leading out of the given path is not written through', { skip: !have }, () => {
  inTemp((dir) => {
    mkdirSync(path.join(dir, 'repo'));
    mkdirSync(path.join(dir, 'outside'));
    const target = path.join(dir, 'outside', 'target.yaml');
    writeFileSync(target, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext: {privileged: true}\n');
    symlinkSync('../outside/target.yaml', path.join(dir, 'repo', 'link.yaml'));
    const before = read(target);
    const r = rampart(dir, ['fix', 'repo', '--include', 'may-break']);
    assert.equal(read(target), before, 'the file outside is untouched');
    assert.match(r.stderr, /repo\/link\.yaml is a symlink leading outside the given paths; not written/);
    // Given the link itself, its target is what the user named: it may be fixed.
    const direct = rampart(dir, ['fix', 'outside/target.yaml', '--include', 'may-break']);
    assert.notEqual(read(target), before, direct.stderr);
  });
});

test('probe 13: layout survives: comments, flow maps, hex/octal, big integers, long strings, CRLF', { skip: !have }, () => {
  inTemp((dir) => {
    copyFileSync(probe('13-fix-layout-crlf', 'layout.yaml'), path.join(dir, 'layout.yaml'));
    copyFileSync(probe('13-fix-layout-crlf', 'crlf.yaml'), path.join(dir, 'crlf.yaml'));
    const layout = read(path.join(dir, 'layout.yaml'));
    const crlf = read(path.join(dir, 'crlf.yaml'));
    const r = rampart(dir, ['fix', 'layout.yaml', 'crlf.yaml', '--include', 'may-break']);
    const layoutAfter = read(path.join(dir, 'layout.yaml'));
    const crlfAfter = read(path.join(dir, 'crlf.yaml'));
    assert.notEqual(crlfAfter, crlf, r.stderr);
    assert.ok(!/[^\r]\n/.test(crlfAfter), 'every line still ends in CRLF');
    // Lines of the original that are gone: only edited ones (fixes insert lines or rewrite a fix field).
    const removed = (before: string, after: string) => diffLines(before.split('\n'), after.split('\n')).filter((d) => d.t === '-').map((d) => d.line);
    for (const l of ['  replicas: 0x10', '  revisionHistoryLimit: 010', '  progressDeadlineSeconds: 12345678901234567890', '  selector: {matchLabels: {app: web}}', '      - name: app        # the app', "    single: 'single quoted'"]) assert.ok(layoutAfter.includes(`${l}\n`), l);
    assert.ok(layoutAfter.includes('description: "this is a very long annotation value that goes well past the eighty column limit of the yaml library default"'));
    assert.deepEqual(removed(layout, layoutAfter), ['  containers: [{name: c, image: "nginx:1.25", securityContext: {privileged: true}}]']);
    assert.deepEqual(removed(crlf, crlfAfter), ['      privileged: true\r']);
    assert.match(layoutAfter, /containers: \[\{name: c, image: "nginx:1\.25", securityContext: \{privileged: false/);
    // Shared anchors are not edited (a change would reach every alias): said, not guessed.
    assert.match(r.stderr, /inside anchor &sc, shared through aliases/);
  });
});

test('dry-run diff masks secret values (a credential in an env literal never appears)', () => {
  inTemp((dir) => {
    const secret = 'Hunter2-EnvLiteral-9f8e7d';
    writeFileSync(path.join(dir, 'p.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: shop/app:1\n    env:\n    - name: API_TOKEN\n      value: "${secret}"\n    securityContext:\n      privileged: true\n`);
    const r = rampart(dir, ['fix', 'p.yaml', '--include', 'may-break', '--dry-run']);
    assert.match(r.stdout, /-      privileged: true\n\+      privileged: false/);
    assert.match(r.stdout, /value: <redacted>/);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no secret in any output');
  });
});

test('without --include may-break, may-break fixes are skipped and said so; safe ones apply', () => {
  inTemp((dir) => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: c\n    image: shop/app:1\n    securityContext:\n      privileged: true\n';
    writeFileSync(path.join(dir, 'p.yaml'), pod);
    const r = rampart(dir, ['fix', 'p.yaml']);
    const after = read(path.join(dir, 'p.yaml'));
    assert.match(r.stderr, /skipped \d+ may-break fix\(es\) \(.*pss\/privileged.*\): they can stop a workload; review and rerun with --include may-break/);
    assert.match(after, /privileged: true/, 'may-break fix not applied');
    // runAsNonRoot with a non-zero runAsUser set cannot change what runs: applied as safe.
    assert.match(after, /privileged: true\n {6}runAsNonRoot: true\n/);
  });
});
