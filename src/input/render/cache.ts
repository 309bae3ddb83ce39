// Render cache keyed by a content hash of everything that feeds a render (sources, values, flags,
// renderer identity). Repeated scans of unchanged charts/overlays skip the renderer entirely.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** RAMPART_CACHE_DIR, else a per-user folder under the OS temp dir. */
export function cacheRoot(): string {
  const fromEnv = process.env.RAMPART_CACHE_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `rampart-cache-${uid}`);
}

/** Limits that keep hashing cheap; a larger tree is simply not cached. */
const MAX_FILES = 20000;
const MAX_BYTES = 256 * 1024 * 1024;

export class Hasher {
  private h = createHash('sha256');
  private files = 0;
  private bytes = 0;
  /** False once a limit was hit or a file could not be read: the render is then not cached. */
  cacheable = true;

  text(label: string, value: string): this {
    this.h.update(`${label}\u0000${value}\u0000`);
    return this;
  }

  file(p: string, label = p): this {
    try {
      const data = readFileSync(p);
      this.files++;
      this.bytes += data.length;
      if (this.files > MAX_FILES || this.bytes > MAX_BYTES) this.cacheable = false;
      this.h.update(`F\u0000${label}\u0000${data.length}\u0000`);
      this.h.update(data);
    } catch {
      this.text('missing', label);
    }
    return this;
  }

  /** Every file under `dir` (sorted, skipping VCS and node_modules), labelled relative to `dir`. */
  tree(dir: string): this {
    const walk = (d: string, rel: string) => {
      if (!this.cacheable) return;
      let names: string[];
      try {
        names = readdirSync(d).sort();
      } catch {
        this.cacheable = false;
        return;
      }
      for (const n of names) {
        if (n === '.git' || n === 'node_modules' || n === '.rampart-cache') continue;
        const p = path.join(d, n);
        let st;
        try {
          st = statSync(p);
        } catch {
          continue;
        }
        if (st.isDirectory()) walk(p, `${rel}${n}/`);
        else if (st.isFile()) this.file(p, `${rel}${n}`);
      }
    };
    walk(dir, '');
    return this;
  }

  digest(): string {
    return this.h.digest('hex');
  }
}

function entryPath(key: string): string {
  return path.join(cacheRoot(), 'render', `${key}.yaml`);
}

export function cacheGet(key: string): string | undefined {
  try {
    return readFileSync(entryPath(key), 'utf8');
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

/** Best effort: a cache that cannot be written only costs speed. Rendered Secrets stay private (0600). */
export function cachePut(key: string, text: string): void {
  try {
    const p = entryPath(key);
    mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
    prune(path.dirname(p));
    const tmp = `${p}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, p);
  } catch {
    /* not cached */
  }
}
