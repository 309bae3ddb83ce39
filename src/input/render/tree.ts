// Bounded reading of the folders that feed a render (to hash them, or to copy a chart into a sandbox).
// Nothing here can hang or read without end: symlink loops are detected, fifos and devices are never
// opened, and there are caps per file, on the number of entries and on the bytes of one input.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { readFd } from '../read-fd.js';

export interface TreeLimits {
  /** Files and folders in one tree. */
  maxFiles: number;
  /** Bytes of all files of one tree. */
  maxBytes: number;
  /** Bytes of one file. */
  maxFileBytes: number;
}

/** Bounds for reading a tree that feeds a render: beyond them the render is refused, not hashed forever. */
export const TREE_LIMITS: TreeLimits = { maxFiles: 20000, maxBytes: 256 * 1024 * 1024, maxFileBytes: 32 * 1024 * 1024 };

/** The tree cannot be read safely or within its limits: the render is not evaluated. */
export class TreeRefused extends Error {}

export interface TreeFile {
  /** Path relative to the root, `/`-separated (the link's own path for a followed link). */
  rel: string;
  data: Buffer;
}

export interface TreeRead {
  files: TreeFile[];
  /** Folders (relative), parents first. */
  dirs: string[];
  /** `rel -> target` of links that were not read as files (hashing mode only). */
  links: string[];
}

export interface TreeOptions {
  limits: TreeLimits;
  /**
   * `follow-files`: a link to a regular file is read, any other link is only listed (hashing).
   * `within-root`: links are resolved and must stay inside the root; folders behind them are read
   * too, loops and links that leave are refused (a sandbox copy of a chart).
   */
  links: 'follow-files' | 'within-root';
  /** Entry names never entered (`.git`). */
  skip?: string[];
  /** The root is one file, not a folder. */
  single?: boolean;
  /** How the root is named in messages (default: as given). */
  display?: string;
}

const kindOf = (st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }) =>
  st.isFIFO() ? 'a fifo' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';

/** Reads one regular file, re-checked on the open descriptor (a swap to a fifo after the stat cannot block). */
function readRegular(p: string, shown: string, limits: TreeLimits): Buffer {
  const fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TreeRefused(`${shown} is ${kindOf(st)}`);
    if (st.size > limits.maxFileBytes) throw new TreeRefused(`${shown} is larger than ${limits.maxFileBytes} bytes`);
    return readFd(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

/** One regular file within the per-file cap; a fifo or device throws TreeRefused instead of blocking. */
export function readFileBounded(p: string, display = p, limits = TREE_LIMITS): Buffer {
  return readTree(p, { limits, links: 'follow-files', single: true, display }).files[0]!.data;
}

export function readTree(root: string, opts: TreeOptions): TreeRead {
  const out: TreeRead = { files: [], dirs: [], links: [] };
  const { limits } = opts;
  const skip = new Set(opts.skip ?? []);
  let entries = 0;
  let bytes = 0;
  const problems: string[] = [];
  const name = opts.display ?? root;
  const label = (rel: string) => (rel ? `${name}/${rel}` : name);
  const count = () => {
    if (++entries > limits.maxFiles) throw new TreeRefused(`${name} holds more than ${limits.maxFiles} files and folders`);
  };
  const addFile = (rel: string, p: string) => {
    const data = readRegular(p, label(rel), limits);
    bytes += data.length;
    if (bytes > limits.maxBytes) throw new TreeRefused(`${name} holds more than ${limits.maxBytes} bytes`);
    out.files.push({ rel, data });
  };
  const realRoot = opts.links === 'within-root' ? realpathSync(root) : root;
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot + path.sep);

  // `stack`: real folders being walked, to tell a loop from a second link to the same folder.
  const walk = (dir: string, rel: string, stack: string[]) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new TreeRefused(`cannot read ${label(rel)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    for (const n of names) {
      if (skip.has(n)) continue;
      count();
      const p = path.join(dir, n);
      const r = rel ? `${rel}/${n}` : n;
      let st = lstatSync(p);
      if (st.isSymbolicLink()) {
        const target = readlinkSync(p);
        if (opts.links === 'follow-files') {
          let t;
          try {
            t = statSync(p);
          } catch {
            t = undefined; // dangling or a loop: only the link text counts
          }
          if (t?.isFile()) addFile(r, p);
          else out.links.push(`${r} -> ${target}`);
          continue;
        }
        let real: string;
        try {
          real = realpathSync(p);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          problems.push(`${r} -> ${target}: ${code === 'ELOOP' ? 'symlink loop' : code === 'ENOENT' ? 'dangling symlink' : code}`);
          continue;
        }
        if (!inside(real)) {
          problems.push(`${r} -> ${target}: leaves the chart`);
          continue;
        }
        st = statSync(real);
        if (st.isDirectory() && stack.includes(real)) {
          problems.push(`${r} -> ${target}: symlink loop`);
          continue;
        }
        if (st.isDirectory()) {
          out.dirs.push(r);
          walk(real, r, [...stack, real]);
        } else if (st.isFile()) addFile(r, real);
        else problems.push(`${r} is ${kindOf(st)}`);
        continue;
      }
      if (st.isDirectory()) {
        out.dirs.push(r);
        walk(p, r, opts.links === 'within-root' ? [...stack, realpathSync(p)] : stack);
      } else if (st.isFile()) addFile(r, p);
      else if (opts.links === 'within-root') problems.push(`${r} is ${kindOf(st)}`);
    }
  };

  if (opts.single) {
    const st = statSync(root);
    if (!st.isFile()) throw new TreeRefused(`${name} is ${kindOf(st)}`);
    addFile('', root);
    return out;
  }
  walk(realRoot, '', [realRoot]);
  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new TreeRefused(`${problems.slice(0, 5).join('; ')}${more}`);
  }
  return out;
}
