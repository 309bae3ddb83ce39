// Reads inputs from the filesystem and stdin. Every unreadable path is an error, never a silent skip.
import { readdir, stat } from 'node:fs/promises';
import { closeSync, constants, fstatSync, openSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { InputError, Resource, Skipped } from '../model/types.js';
import { decodeManifest, DEFAULT_LIMITS, LARGE_TRANSIENT, parseYaml, sourceFile, type ParseLimits, type SourceFile } from './yaml.js';
import { resourcesFromDocuments } from './resources.js';
import { classify, discover, RenderSession, type RenderOptions } from './render/index.js';
import { droppedLarge, MemoryGuard } from './memory-guard.js';
import { holdStrings } from './kube-yaml-block.js';
import { readWholeShared } from './read-fd.js';

import { dockerfileResource, isContainerfileName } from './dockerfile.js';
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface LoadResult {
  resources: Resource[];
  skipped: Skipped[];
  errors: InputError[];
  /** Files read (for summaries and benchmarks). */
  files: number;
  bytes: number;
}

export function emptyLoad(): LoadResult {
  return { resources: [], skipped: [], errors: [], files: 0, bytes: 0 };
}

export function mergeLoads(into: LoadResult, from: LoadResult): LoadResult {
  into.resources.push(...from.resources);
  into.skipped.push(...from.skipped);
  into.errors.push(...from.errors);
  into.files += from.files;
  into.bytes += from.bytes;
  return into;
}

/**
 * Helm template sources contain `{{` actions outside of string values; they must be rendered first.
 * A template action at the start of a line or as a bare (unquoted) value is a giveaway; `{{` inside
 * quoted strings (Prometheus alert templates, Grafana dashboards) is data. What is found is what
 * `/^[ \t]*\{\{-?\s|:\s+\{\{[^}]*\}\}[ \t]*\r?$|^[ \t]*-\s+\{\{/m` finds, looked for only around
 * each `{{` (the pattern tried every offset of every file: slow on long blank stretches).
 */
export function looksLikeHelmTemplate(text: string): boolean {
  // The first `}` at or after j + 2, and whether `}}` there ends its line: found once for all the
  // `{{` before it, so that hostile text stays linear.
  let close = -1;
  let closesLine = false;
  for (let j = text.indexOf('{{'); j >= 0; j = text.indexOf('{{', j + 1)) {
    // `^[ \t]*\{\{-?\s`: only blanks back to the line start, then `{{`, `-`?, white space.
    let b = j - 1;
    while (b >= 0 && isBlank(text.charCodeAt(b))) b--;
    if (b < 0 || isLineEnd(text.charCodeAt(b))) {
      const n = text.charCodeAt(j + 2);
      if (isWhite(n) || (n === 0x2d && isWhite(text.charCodeAt(j + 3)))) return true;
    }
    // Back over white space (line ends too) to what precedes it.
    let k = j - 1;
    while (k >= 0 && isWhite(text.charCodeAt(k))) k--;
    if (k < 0 || k === j - 1) continue;
    const c = text.charCodeAt(k);
    if (c === 0x3a) {
      // `:\s+\{\{[^}]*\}\}[ \t]*\r?$`: the first `}` after `{{` begins `}}`, then blanks to a line end.
      if (close < j + 2) {
        const q = text.indexOf('}', j + 2);
        close = q < 0 ? text.length : q;
        let p = q + 2;
        while (q >= 0 && p < text.length && isBlank(text.charCodeAt(p))) p++;
        closesLine = q >= 0 && text.charCodeAt(q + 1) === 0x7d && (p === text.length || isLineEnd(text.charCodeAt(p)));
      }
      if (closesLine) return true;
    } else if (c === 0x2d) {
      // `^[ \t]*-\s+\{\{`: a list item's dash with only blanks before it on its line.
      let s = k - 1;
      while (s >= 0 && isBlank(text.charCodeAt(s))) s--;
      if (s < 0 || isLineEnd(text.charCodeAt(s))) return true;
    }
  }
  return false;
}

const isBlank = (c: number) => c === 0x20 || c === 0x09;
/** Where a multiline `^` or `$` matches: after or before a line terminator. */
const isLineEnd = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
/** A regular expression's `\s`. */
const isWhite = (c: number) =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** Parses one text (a file's content or stdin) into resources; `origin` is the file it was read from, if any. */
export function loadText(text: string, file: string, limits: ParseLimits = DEFAULT_LIMITS, origin?: SourceFile): LoadResult {
  const bytes = origin?.utf8Bytes ?? Buffer.byteLength(text, 'utf8');
  const result = emptyLoad();
  result.files = 1;
  result.bytes = bytes;
  if (isContainerfileName(file)) {
    result.resources.push(dockerfileResource(text, file));
    return result;
  }
  if (looksLikeHelmTemplate(text)) {
    result.skipped.push({
      file,
      reason: 'Helm template source (contains {{ }} actions); it must be rendered before it can be scanned',
      failsClosed: true,
      hint: 'scan the chart directory, or pipe the output: helm template RELEASE CHART | rampart scan -',
    });
    return result;
  }
  const parsed = parseYaml(text, file, limits, origin);
  result.errors.push(...parsed.errors);
  const docs = resourcesFromDocuments(parsed.documents, file);
  result.resources.push(...docs.resources);
  result.skipped.push(...docs.skipped);
  result.errors.push(...docs.errors);
  return result;
}

/** What a directory walk leaves out, and the file names it reads. */
const skipsEntry = (name: string) => name === 'node_modules' || name === '.git';
const readsFile = (name: string) => MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase()) || isContainerfileName(name);

async function walk(dir: string, out: string[], errors: InputError[], regular?: Set<string>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ file: dir, message: `cannot read directory: ${(e as Error).message}` });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const ent of entries) {
    if (skipsEntry(ent.name)) continue;
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) await walk(p, out, errors, regular);
    // Fifos, devices and sockets named like manifests are listed too: loadFile names them as not evaluated.
    else if (readsFile(ent.name)) {
      out.push(p);
      if (ent.isFile()) regular?.add(p);
    }
  }
}

/** Expands paths (files and directories, recursively) into manifest files, sorted; `regular`: those a directory listing showed as regular files. */
export async function expandPaths(paths: string[]): Promise<{ files: string[]; errors: InputError[]; regular: Set<string> }> {
  const files: string[] = [];
  const errors: InputError[] = [];
  const regular = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      errors.push({ file: p, message: `cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}` });
      continue;
    }
    if (st.isDirectory()) await walk(p, files, errors, regular);
    else files.push(p);
  }
  return { files, errors, regular };
}

export async function readStdin(): Promise<string> {
  const r = await readStdinBytes(Number.MAX_SAFE_INTEGER);
  return 'error' in r ? '' : r.bytes.toString('utf8');
}

/**
 * Stdin, up to `maxBytes` (reading stops past it). Closed stdin, a directory, or nothing at all is
 * an error: `helm template … | rampart scan -` must not pass when the chart failed to render.
 */
async function readStdinBytes(maxBytes: number): Promise<{ bytes: Buffer } | { error: string }> {
  let st: Stats;
  try {
    st = fstatSync(0);
  } catch {
    return { error: 'no input on stdin (stdin is closed); not evaluated' };
  }
  if (st.isDirectory()) return { error: 'no input on stdin (stdin is a directory); not evaluated' };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of process.stdin) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
      if (size > maxBytes) {
        process.stdin.destroy();
        return { error: `stdin is larger than the ${Math.round(maxBytes / 1048576)} MiB limit; not evaluated` };
      }
    }
  } catch (e) {
    return { error: `cannot read stdin: ${(e as Error).message}; not evaluated` };
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) return { error: 'no input on stdin (it was empty); not evaluated' };
  return { bytes };
}

/** Stdin decoded like a file (UTF-8 checked, UTF-16 with a BOM accepted). */
export async function loadStdin(limits: ParseLimits = DEFAULT_LIMITS): Promise<LoadResult> {
  const r = emptyLoad();
  r.files = 1;
  const read = await readStdinBytes(limits.maxBytes);
  if ('error' in read) {
    r.errors.push({ file: '<stdin>', message: read.error });
    return r;
  }
  const decoded = decodeManifest(read.bytes);
  if ('error' in decoded) {
    r.bytes = read.bytes.length;
    r.errors.push({ file: '<stdin>', line: decoded.line, message: decoded.error });
    return r;
  }
  return loadText(decoded.text, '<stdin>', limits);
}

/** Display path: relative to cwd when inside it, so reports are portable. */
export function displayPath(p: string): string {
  const at = folderOf(p);
  if (!at) return displayPathOf(p);
  return at.folder.shown === null ? p : at.folder.shown + at.name;
}

function displayPathOf(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
}

/** path.resolve(p), by way of its folder's (see folderOf). */
function absolutePath(p: string): string {
  const at = folderOf(p);
  if (!at) return path.resolve(p);
  const dir = at.folder.resolved;
  return dir.endsWith(path.sep) ? dir + at.name : dir + path.sep + at.name;
}

/** A folder's display prefix (with its trailing '/'; '' for cwd, null outside cwd) and its absolute path. */
interface FolderPaths {
  shown: string | null;
  resolved: string;
}

/**
 * A file's folder and name: its display and absolute paths are its folder's and its name, and the
 * folder's are worked out once per folder (path.relative and path.resolve normalised every file's
 * whole path: ~20 µs a file, 4,000 files a corpus copy). Undefined for a name that path.resolve
 * would not keep as it is ('', '.', '..'): those go the long way.
 */
function folderOf(p: string): { folder: FolderPaths; name: string } | undefined {
  const slash = p.lastIndexOf(path.sep);
  const name = p.slice(slash + 1);
  if (slash <= 0 || name === '' || name === '.' || name.startsWith('..')) return undefined;
  const cwd = process.cwd();
  if (cwd !== foldersCwd || folders.size >= FOLDERS_MAX) {
    folders.clear();
    foldersCwd = cwd;
  }
  const dir = p.slice(0, slash);
  let folder = folders.get(dir);
  if (folder === undefined) {
    const rel = path.relative(cwd, dir);
    folder = { shown: rel === '' ? '' : !rel.startsWith('..') && !path.isAbsolute(rel) ? `${rel.split(path.sep).join('/')}/` : null, resolved: path.resolve(dir) };
    folders.set(dir, folder);
  }
  return { folder, name };
}

/** The folders seen, for the working directory they were worked out in. */
const folders = new Map<string, FolderPaths>();
let foldersCwd: string | undefined;
const FOLDERS_MAX = 10_000;

/** What a path that is not a regular file is, for the "not evaluated" message. */
function specialKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a fifo';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads one manifest file. `listedRegular`: a directory listing just showed it as a regular file
 * (not a link), so the stat before opening, which keeps devices and fifos from ever being opened,
 * is left out (the open file is checked again in any case); it was ~1% of a corpus scan's CPU.
 */
export async function loadFile(file: string, limits: ParseLimits = DEFAULT_LIMITS, guard?: MemoryGuard, listedRegular = false): Promise<LoadResult> {
  const shown = displayPath(file);
  const r = emptyLoad();
  r.files = 1;
  const fail = (message: string) => {
    r.errors.push({ file: shown, message });
    return r;
  };
  if (!listedRegular) {
    let st: Stats;
    try {
      st = statSync(file); // follows symlinks: a link to /dev/zero is a device
    } catch (e) {
      r.files = 0;
      return fail(`cannot read file: ${(e as Error).message}`);
    }
    // Fifos, devices and sockets are never opened: a read could block forever or never end.
    if (!st.isFile()) return fail(`${specialKind(st)}, not a manifest file; not evaluated`);
    if (st.size > limits.maxBytes) return fail(`file is ${Math.round(st.size / 1048576)} MiB, over the ${Math.round(limits.maxBytes / 1048576)} MiB limit; not evaluated`);
    if (guard && !guard.allows(st.size)) return fail(guard.reason!);
  }
  let bytes: Buffer;
  let fd: number | undefined;
  /** The open file's status, kept with its text (positions read it back only while it is the same). */
  let opened: Stats;
  try {
    // Non-blocking open and a second check on the open file: the path may have been swapped since.
    // Synchronous calls: a file is parsed as soon as it is read, and promise round trips per file
    // cost more CPU than the read itself.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st2 = (opened = fstatSync(fd));
    if (!st2.isFile()) return fail(`${specialKind(st2)}, not a manifest file; not evaluated`);
    if (st2.size > limits.maxBytes) return fail(`file is ${Math.round(st2.size / 1048576)} MiB, over the ${Math.round(limits.maxBytes / 1048576)} MiB limit; not evaluated`);
    if (listedRegular && guard && !guard.allows(st2.size)) return fail(guard.reason!);
    bytes = readWholeShared(fd, st2.size);
  } catch (e) {
    return fail(`cannot read file: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  r.bytes = bytes.length;
  const decoded = decodeManifest(bytes);
  if ('error' in decoded) {
    r.errors.push({ file: shown, line: decoded.line, message: decoded.error });
    return r;
  }
  const origin = sourceFile(absolutePath(file), bytes, decoded, opened);
  try {
    return loadText(decoded.text, shown, limits, origin);
  } finally {
    // The bytes lie in the shared buffer, which the next file overwrites: nothing may keep them.
    origin.bytes = undefined;
    // Its text (and what reading it made) is garbage from here on.
    if (bytes.length >= LARGE_TRANSIENT) droppedLarge(bytes.length);
  }
}

/**
 * Loads every input; `-` reads stdin. Helm charts (a directory with Chart.yaml, or a .tgz) and
 * Kustomize directories are rendered with the real tools unless `render` is false; a plain directory
 * renders every chart and overlay inside it. Pass a RenderSession to share renderers and parsed
 * sources across calls (and to read render timings). `each` sees every file's (chart's, overlay's)
 * load as it is read, before it joins the result (a scan runs per-object rules there).
 */
export async function loadInputs(
  inputs: string[],
  limits: ParseLimits = DEFAULT_LIMITS,
  render: RenderOptions | RenderSession | false = {},
  guard: MemoryGuard = new MemoryGuard(),
  each?: (load: LoadResult) => void,
): Promise<LoadResult> {
  // Repeated strings are shared across all the files of this load, not only within one file.
  holdStrings(true);
  try {
    return await loadAll(inputs, limits, render, guard, each);
  } finally {
    holdStrings(false);
  }
}

async function loadAll(inputs: string[], limits: ParseLimits, render: RenderOptions | RenderSession | false, guard: MemoryGuard, each?: (load: LoadResult) => void): Promise<LoadResult> {
  const total = emptyLoad();
  const add = (into: LoadResult, load: LoadResult) => {
    each?.(load);
    return mergeLoads(into, load);
  };
  const session = render === false ? undefined : render instanceof RenderSession ? render : new RenderSession(render);
  for (const input of inputs) {
    if (input === '-') {
      if (guard.allows(0)) add(total, withRoot(await loadStdin(limits), FILES_ROOT));
      else total.errors.push({ file: '<stdin>', message: guard.reason! });
      continue;
    }
    if (session) {
      const kind = classify(input);
      if (kind === 'helm-tgz') {
        if (guard.allows(0)) add(total, withRoot(await session.render({ kind, path: input }), displayPath(input)));
        else total.errors.push({ file: displayPath(input), message: guard.reason! });
        continue;
      }
      let isDir = kind !== undefined;
      try {
        isDir ||= (await stat(input)).isDirectory();
      } catch {
        /* expandPaths reports it */
      }
      if (isDir) {
        const d = discover(input, MANIFEST_EXTENSIONS);
        total.errors.push(...d.errors);
        total.skipped.push(...d.skipped);
        // Each chart and overlay is an install of its own; plain files belong to their project folder.
        if (guard.allows(0)) (await session.renderAll(d.units)).forEach((r, i) => add(total, withRoot(r, displayPath(d.units[i]!.path))));
        else total.errors.push(...d.units.map((u) => ({ file: displayPath(u.path), message: guard.reason! })));
        const rootOf = rootFinder(input, projectRoots(input));
        for (const f of d.plainFiles) add(total, withRoot(await loadFile(f, limits, guard, d.regularFiles.has(f)), rootOf(f)));
        continue;
      }
    }
    const { files, errors, regular } = await expandPaths([input]);
    total.errors.push(...errors.map((e) => ({ ...e, file: displayPath(e.file) })));
    const isFile = files.length === 1 && path.resolve(files[0]!) === path.resolve(input);
    const rootOf = isFile ? () => FILES_ROOT : rootFinder(input, projectRoots(input));
    for (const f of files) add(total, withRoot(await loadFile(f, limits, guard, regular.has(f)), rootOf(f)));
  }
  return total;
}

/**
 * Files given one by one, and stdin, are applied together (`kubectl apply -f a.yaml -f -`): one
 * root. Directories, charts and overlays are roots of their own.
 */
const FILES_ROOT = '<files>';

/** Files that mark a folder as a project of its own (a repository or a released package). */
const PROJECT_MARKERS = /^(\.git|LICEN[CS]E(\..*)?|COPYING(\..*)?|Chart\.yaml|go\.mod|package\.json)$/i;

/**
 * The project folders inside a directory given to `scan`: when two or more of its immediate
 * sub-folders carry a project marker (a LICENSE, a .git, a Chart.yaml), the directory is a folder
 * of unrelated projects (a corpus, a monorepo of charts) and each of those sub-folders is a root.
 * Otherwise (one project laid out in sub-folders such as rbac/ and apps/) the directory is one root.
 */
export function projectRoots(dir: string): Set<string> {
  const out = new Set<string>();
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.')) continue;
    try {
      if (readdirSync(path.join(dir, e.name)).some((n) => PROJECT_MARKERS.test(n))) out.add(e.name);
    } catch {
      /* unreadable folders are reported when their files are read */
    }
  }
  return out.size >= 2 ? out : new Set();
}

/**
 * The root of each file found under `input`: its project folder, or `input` itself. A file the walk
 * joined onto `input` starts with its normalised prefix, so its first folder is read off the path
 * (path.relative per file cost more than the rest of the loop); each root is worked out once.
 */
function rootFinder(input: string, projects: Set<string>): (file: string) => string {
  // What path.join puts before a name joined onto `input` ('' when `input` is the working directory).
  const prefix = path.join(input, 'x').slice(0, -1);
  const roots = new Map<string, string>();
  return (file) => {
    let top: string | undefined;
    if (file.startsWith(prefix) && (prefix !== '' || !path.isAbsolute(file))) {
      const end = file.indexOf(path.sep, prefix.length);
      top = file.slice(prefix.length, end < 0 ? file.length : end);
    }
    if (top === undefined || top === '' || top === '.' || top === '..') top = path.relative(input, file).split(path.sep)[0];
    const key = top !== undefined && projects.has(top) ? top : '';
    let root = roots.get(key);
    if (root === undefined) {
      root = displayPath(key ? path.join(input, key) : input);
      roots.set(key, root);
    }
    return root;
  };
}

function withRoot(load: LoadResult, root: string): LoadResult {
  for (const r of load.resources) r.root ??= root;
  return load;
}
