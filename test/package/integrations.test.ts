// Integrations as far as this machine allows: the GitHub Action's entry script under a fake GITHUB_*
// environment, the pre-commit hooks with the real `pre-commit` on a temporary git repository, the
// Dockerfile's hygiene (and a build where a Docker daemon answers), the krew manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { ensureDebianTool } from '../support/debian-tool.js';

const REPO = process.cwd();
const BAD = 'examples/insecure/web.yaml';
const GOOD = 'examples/hardened/web.yaml';

function tempDir(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rampart-${name}-`));
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

test('action.yml: a composite action that runs the entry script with its inputs and uploads SARIF', () => {
  const action = parse(readFileSync('action.yml', 'utf8'));
  assert.equal(action.runs.using, 'composite');
  const steps: { uses?: string; run?: string; env?: Record<string, string>; if?: string; with?: Record<string, string> }[] = action.runs.steps;
  const scan = steps.find((s) => s.run?.includes('scripts/github-action.mjs'))!;
  assert.ok(scan, 'a step runs the entry script');
  const script = readFileSync('scripts/github-action.mjs', 'utf8');
  for (const [name, value] of Object.entries(scan.env ?? {})) {
    assert.ok(script.includes(`env.${name}`), `the script reads ${name}`);
    const input = /inputs\.([\w-]+)/.exec(value)?.[1];
    assert.ok(input && action.inputs[input], `${name} comes from a declared input`);
  }
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  assert.ok(upload && upload.if?.includes('always()'), 'SARIF is uploaded even when findings fail the scan');
  assert.match(steps.at(-1)!.run ?? '', /exit "\$\{\{ steps\.scan\.outputs\.exit-code/);
});

test('GitHub Action entry script: SARIF relative to the workspace, outputs, job summary, exit code deferred', () => {
  const ws = tempDir('gh-ws');
  try {
    mkdirSync(path.join(ws, 'k8s'));
    copyFileSync(BAD, path.join(ws, 'k8s', 'web.yaml'));
    copyFileSync(GOOD, path.join(ws, 'k8s', 'hardened.yaml'));
    const run = (failOn: string) => {
      const outFile = path.join(ws, `out-${failOn}`);
      const summary = path.join(ws, `summary-${failOn}.md`);
      writeFileSync(outFile, '');
      const env = {
        PATH: process.env.PATH,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: ws,
        GITHUB_OUTPUT: outFile,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_ACTION_PATH: REPO,
        INPUT_PATH: 'k8s',
        INPUT_FAIL_ON: failOn,
        INPUT_ARGS: '--skip-rule image/digest',
        INPUT_SARIF_FILE: `reports/${failOn}.sarif`,
      };
      const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/github-action.mjs')], { cwd: os.tmpdir(), env, encoding: 'utf8' });
      return { r, outputs: outputsOf(outFile), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
    };
    const high = run('high');
    assert.equal(high.r.status, 0, high.r.stderr);
    assert.equal(high.outputs['exit-code'], '1', 'findings at or above high');
    assert.equal(high.outputs['sarif-file'], 'reports/high.sarif');
    assert.ok(Number(high.outputs.findings) > 0);
    const doc = JSON.parse(readFileSync(path.join(ws, 'reports/high.sarif'), 'utf8'));
    const runDoc = doc.runs[0];
    assert.equal(runDoc.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(ws + path.sep).href, '%SRCROOT% is the workspace');
    const uris = new Set(runDoc.results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }) => `${x.locations[0]!.physicalLocation.artifactLocation.uriBaseId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}`));
    assert.deepEqual([...uris], ['%SRCROOT% k8s/web.yaml'], 'repository-relative paths, and only the insecure file has findings');
    assert.ok(!runDoc.results.some((x: { ruleId: string }) => x.ruleId === 'image/digest'), 'extra args reach the scan');
    assert.match(high.summary, /^#+ /m, 'a Markdown summary for the job page');
    assert.ok(high.summary.length <= 65_536);
    const never = run('never');
    assert.equal(never.outputs['exit-code'], '0');
    console.log(`action entry: ${high.outputs.findings} findings, exit-code ${high.outputs['exit-code']} (fail-on high) / ${never.outputs['exit-code']} (never), summary ${high.summary.length} chars`);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

/** A temporary git repository holding one insecure and one hardened manifest. */
function gitRepo(): string {
  const dir = tempDir('precommit-repo');
  const git = (...args: string[]) => assert.equal(spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).status, 0, `git ${args.join(' ')}`);
  git('init', '-q');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'test');
  copyFileSync(BAD, path.join(dir, 'bad.yaml'));
  copyFileSync(GOOD, path.join(dir, 'good.yaml'));
  writeFileSync(path.join(dir, 'notes.txt'), 'not scanned\n');
  git('add', '.');
  return dir;
}

test('.pre-commit-hooks.yaml with the real pre-commit: fails on the insecure manifest, passes the hardened one', { timeout: 600_000 }, async (t) => {
  const hooks = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as { id: string; language: string; entry: string; files: string }[];
  assert.deepEqual(hooks.map((h) => h.id), ['rampart']);
  for (const h of hooks) assert.ok(new RegExp(h.files).test('a/b.yml') && new RegExp(h.files).test('x.json') && !new RegExp(h.files).test('x.txt'));
  if (!ensureDebianTool('pre-commit', 'pre-commit')) {
    console.warn('\n!!! SKIPPED: pre-commit (Debian package pre-commit) is not available and could not be installed; the hook test did not run !!!\n');
    t.skip('pre-commit absent');
    return;
  }
  const repo = gitRepo();
  const home = tempDir('precommit-home');
  const shims = tempDir('precommit-bin');
  try {
    // The hook runs the rampart on PATH: this checkout's, through a shim (as `npm install -g` would link it).
    writeFileSync(path.join(shims, 'rampart'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO, 'bin/rampart.js')}" "$@"\n`);
    chmodSync(path.join(shims, 'rampart'), 0o755);
    const env = { ...process.env, PRE_COMMIT_HOME: home, PATH: `${shims}${path.delimiter}${process.env.PATH}` };
    // try-repo reads the hook definitions from this repository (its committed .pre-commit-hooks.yaml).
    const tryRepo = (file: string) => spawnSync('pre-commit', ['try-repo', REPO, 'rampart', '--files', file, 'notes.txt'], { cwd: repo, env, encoding: 'utf8', timeout: 300_000 });
    const bad = tryRepo('bad.yaml');
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /pss\/privileged/);
    const good = tryRepo('good.yaml');
    assert.equal(good.status, 0, good.stdout + good.stderr);
    // As a user configures it: .pre-commit-config.yaml and `pre-commit run` on the staged files.
    const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
    writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${REPO}\n    rev: ${sha}\n    hooks:\n      - id: rampart\n`);
    const run = spawnSync('pre-commit', ['run'], { cwd: repo, env, encoding: 'utf8', timeout: 300_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /rampart scan\.+Failed/);
    console.log(`pre-commit ${spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).stdout.trim()}: insecure manifest exit ${bad.status}, hardened exit ${good.status}, pre-commit run on the staged files exit ${run.status}`);
  } finally {
    for (const d of [repo, home, shims]) rmSync(d, { recursive: true, force: true });
  }
});

/**
 * Without Docker: the Dockerfile's steps on this machine — the build stage's COPY and RUN in an
 * empty folder, the runtime stage's COPY --from=build into another, then the entrypoint scans the
 * examples from there. Checks the recipe (files, install, prune), not the base image.
 */
function replayDockerfile(text: string): void {
  if (spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 30_000 }).status !== 0) {
    console.warn('\n!!! SKIPPED (Dockerfile replay): the npm registry is unreachable !!!\n');
    return;
  }
  const [build, runtime] = text.split(/^FROM .*$/m).slice(1) as [string, string];
  const src = tempDir('docker-build');
  const app = tempDir('docker-app');
  try {
    for (const l of build.split('\n')) {
      const copy = /^COPY\s+(.+)\s+(\S+)$/.exec(l);
      if (copy) for (const f of copy[1]!.split(/\s+/)) spawnSync('cp', ['-r', f, path.join(src, path.basename(f))]);
      const run = /^RUN\s+(.+)$/.exec(l);
      if (run) {
        const r = spawnSync('sh', ['-c', run[1]!], { cwd: src, encoding: 'utf8', timeout: 900_000 });
        assert.equal(r.status, 0, r.stderr);
      }
    }
    for (const l of runtime.split('\n')) {
      const from = /^COPY --from=build\s+(?:--\S+\s+)*\/src\/(\S+)\s+(\S+)$/.exec(l);
      if (from) spawnSync('cp', ['-r', path.join(src, from[1]!), path.join(app, from[1]!)]);
    }
    assert.ok(!existsSync(path.join(app, 'node_modules', 'typescript')), 'dev dependencies are pruned');
    const entry = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(runtime)![1]!) as string[];
    const scan = spawnSync(process.execPath, [entry[1]!.replace('/opt/rampart', app), 'scan', 'insecure'], { cwd: path.resolve('examples'), encoding: 'utf8' });
    assert.equal(scan.status, 1, scan.stderr);
    console.log(`Dockerfile replay: runtime tree ${(Number(spawnSync('du', ['-sk', app], { encoding: 'utf8' }).stdout.split(/\s/)[0]) / 1024).toFixed(1)} MB (without the base image); its CLI scanned examples/insecure with exit 1`);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(app, { recursive: true, force: true });
  }
}

test('Dockerfile: pinned base, non-root user, exec-form entrypoint, sources it copies exist; built where Docker answers', { timeout: 1_200_000 }, () => {
  const text = readFileSync('Dockerfile', 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  assert.ok(froms.length >= 1);
  for (const f of froms) assert.match(f, /^FROM node:20-slim@sha256:[0-9a-f]{64}(\s+AS\s+\w+)?$/, 'base pinned by digest');
  const users = lines.filter((l) => /^USER\s/i.test(l));
  assert.ok(users.length > 0 && !/\b(root|0)(:|$)/.test(users.at(-1)!.split(/\s+/)[1]!), 'runs as a non-root user');
  assert.ok(!lines.some((l) => /^ADD\s/i.test(l)), 'COPY, not ADD');
  assert.match(lines.find((l) => /^ENTRYPOINT\s/i.test(l)) ?? '', /^ENTRYPOINT \[/, 'exec form');
  for (const l of lines.filter((x) => /^COPY\s/i.test(x) && !x.includes('--from='))) {
    for (const src of l.split(/\s+/).slice(1, -1).filter((s) => !s.startsWith('--'))) assert.ok(existsSync(src), `${src} exists`);
  }
  const ignored = readFileSync('.dockerignore', 'utf8');
  for (const p of ['node_modules', '.git', 'test']) assert.ok(ignored.split('\n').includes(p), `${p} is not sent to the build`);
  if (spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 20_000 }).status !== 0) {
    console.warn('\n!!! SKIPPED (docker build): no Docker daemon answers here; the image was not built. Replaying its steps on this machine instead !!!\n');
    replayDockerfile(text);
    return;
  }
  const build = spawnSync('docker', ['build', '-q', '-t', 'rampart:test', '.'], { encoding: 'utf8', timeout: 1_200_000 });
  assert.equal(build.status, 0, build.stderr);
  const scan = spawnSync('docker', ['run', '--rm', '-v', `${path.resolve('examples')}:/work:ro`, 'rampart:test', 'scan', 'insecure'], { encoding: 'utf8' });
  assert.equal(scan.status, 1, scan.stderr);
});

test('krew manifest: a Plugin whose version follows package.json and whose bin is in the archive layout', () => {
  const docs = parseAllDocuments(readFileSync('plugins/rampart.yaml', 'utf8')).map((d) => d.toJS());
  assert.equal(docs.length, 1);
  const p = docs[0];
  assert.equal(p.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(p.kind, 'Plugin');
  assert.equal(p.metadata.name, 'rampart');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(p.spec.version, `v${pkg.version}`);
  for (const k of ['homepage', 'shortDescription', 'description', 'platforms']) assert.ok(p.spec[k], k);
  for (const pl of p.spec.platforms) {
    assert.match(pl.sha256, /^[0-9a-f]{64}$/);
    assert.ok(pl.uri.includes(`v${pkg.version}`));
    assert.equal(pl.bin, 'package/bin/rampart.js');
    assert.ok(pkg.files.includes('bin') && existsSync('bin/rampart.js'), 'the bin is in the package');
  }
});
