// Render cache keyed by a content hash of everything that feeds a render (sources, values, flags,
// renderer identity). Repeated scans of unchanged charts/overlays skip the renderer entirely.
// The cache holds rendered output (Secrets included) and unpacked charts, never programs: it lives in a
// per-user folder whose owner and mode are checked on every use, and a folder that fails the check is
// refused rather than repaired (another user may already have planted entries in it).
import { createHash } from '../../model/digest.js';
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileBounded, readTree, TREE_LIMITS, TreeRefused } from './tree.js';

/** The cache folder cannot be trusted: renders that need it are not evaluated. */
export class CacheRefused extends Error {}

/** RAMPART_CACHE_DIR, else `$XDG_CACHE_HOME/rampart`, else `~/.cache/rampart`. */
export function cacheRoot(): string {
  const fromEnv = process.env.RAMPART_CACHE_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'rampart');
  return path.join(os.homedir(), '.cache', 'rampart');
}

const uid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/**
 * Why `p` could be swapped by someone else, or undefined when it cannot: every component (links
 * included, not followed) must belong to root or to us and be writable by no one else, except a
 * sticky folder such as /tmp, where only the owner of an entry can replace it.
 */
function swappable(p: string, me: number): string | undefined {
  const parts = p.split(path.sep).filter(Boolean);
  let cur = path.parse(p).root;
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) cur = path.join(cur, parts[i - 1]!);
    let st;
    try {
      st = lstatSync(cur);
    } catch (e) {
      return `${cur}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    if (st.uid !== 0 && st.uid !== me) return `${cur} belongs to uid ${st.uid}`;
    const sticky = (st.mode & 0o1000) !== 0;
    if (!st.isSymbolicLink() && (st.mode & 0o022) !== 0 && !(st.isDirectory() && sticky)) return `${cur} is writable by other users (mode ${(st.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}

/**
 * The cache folder (or a folder below it), created 0700 when missing and checked on every call:
 * the folder must be ours, a real directory, with no access for group or others, and no folder on
 * the way to it (as given and as resolved) may be replaceable by another user.
 */
export function secureCacheDir(...sub: string[]): string {
  const root = cacheRoot();
  const me = uid();
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CacheRefused(`render cache ${root} cannot be created: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (set XDG_CACHE_HOME or RAMPART_CACHE_DIR to a folder of yours)`);
  }
  if (me === undefined) return path.join(root, ...sub); // no POSIX owners (Windows): the profile folder is private
  const refuse = (why: string) =>
    new CacheRefused(`render cache ${root} refused: ${why}; it must be a folder of yours with mode 0700 (remove it, or set RAMPART_CACHE_DIR to a private folder)`);
  let real: string;
  try {
    real = realpathSync(root);
  } catch (e) {
    throw refuse((e as Error).message);
  }
  const problem = swappable(path.dirname(root), me) ?? swappable(path.dirname(real), me);
  if (problem) throw refuse(problem);
  let dir = real;
  for (const s of ['', ...sub]) {
    if (s) {
      dir = path.join(dir, s);
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw refuse(`${dir}: ${(e as Error).message}`);
      }
    }
    const st = lstatSync(dir);
    if (!st.isDirectory()) throw refuse(`${dir} is not a directory`);
    if (st.uid !== me) throw refuse(`${dir} belongs to uid ${st.uid}, not to you (uid ${me})`);
    if ((st.mode & 0o077) !== 0) throw refuse(`${dir} has mode ${(st.mode & 0o777).toString(8)}`);
  }
  return dir;
}

export class Hasher {
  private h = createHash('sha256');
  /** False when part of the input could not be read or followed: the render is then not cached. */
  cacheable = true;

  text(label: string, value: string): this {
    this.h.update(`${label}\u0000${value}\u0000`);
    return this;
  }

  bytes(label: string, data: Buffer): this {
    this.h.update(`F\u0000${label}\u0000${data.length}\u0000`);
    this.h.update(data);
    return this;
  }

  /** A file named by the user (a values file): bounded, and never a fifo or device. */
  file(p: string, label = p): this {
    try {
      this.bytes(label, readFileBounded(p));
    } catch (e) {
      if (e instanceof TreeRefused) throw e;
      this.text('missing', label);
    }
    return this;
  }

  /**
   * Every file under `dir` (sorted, skipping VCS and node_modules), labelled relative to `dir`.
   * Links are not followed into folders (a loop cannot hang it); one that leads to a folder makes
   * the render uncacheable. Throws TreeRefused beyond TREE_LIMITS.
   */
  tree(dir: string, display = dir): this {
    const r = readTree(dir, { limits: TREE_LIMITS, links: 'follow-files', skip: ['.git', 'node_modules', '.rampart-cache'], display });
    for (const f of r.files) this.bytes(f.rel, f.data);
    for (const l of r.links) this.text('link', l);
    if (r.links.length > 0) this.cacheable = false;
    return this;
  }

  digest(): string {
    return this.h.digest('hex');
  }
}

function entryPath(key: string): string {
  return path.join(secureCacheDir('render'), `${key}.yaml`);
}

/** A cached render, or undefined. Throws CacheRefused when the cache folder fails its checks. */
export function cacheGet(key: string): string | undefined {
  const p = entryPath(key);
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Entries unused for this long are removed when the cache is written to. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
let pruned = false;

function prune(dir: string): void {
  if (pruned) return;
  pruned = true;
  const now = Date.now();
  try {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      try {
        if (now - statSync(p).atimeMs > MAX_AGE_MS) rmSync(p, { force: true });
      } catch {
        /* raced with another scan */
      }
    }
  } catch {
    /* nothing to prune */
  }
}

/** Best effort once the folder passed its checks: a failed write only costs speed. Entries stay private (0600). */
export function cachePut(key: string, text: string): void {
  const p = entryPath(key);
  try {
    prune(path.dirname(p));
    const tmp = `${p}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, p);
  } catch {
    /* not cached */
  }
}
