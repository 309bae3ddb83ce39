// Shared CLI plumbing: usage errors, output writing, config loading, the TTY check.
// Kept light: every command imports it, so anything heavy (rules, parsers) is imported lazily.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../engine/config.js';
import { ConfigError, discoverConfig, emptyConfig, loadConfigFile, unknownRuleReferences } from '../engine/config.js';
import { editDistance } from '../engine/edit-distance.js';
import type { Severity } from '../model/types.js';
import { isSeverity } from '../model/types.js';
import { OutputError, UsageError } from './errors.js';

export { OutputError, UsageError };

/** Findings the engine itself produces (config hygiene), which config may also name. */
const ENGINE_RULE_IDS = ['config/expired-exception', 'config/suppression-without-reason'];

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with short usage errors (and a "did you mean") instead of Node's parser text. */
export function parse<O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseErrorMessage(e as Error & { code?: string }, options));
  }
}

function parseErrorMessage(e: Error & { code?: string }, options: Options): string {
  const named = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) {
    const flags = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
    const typed = named.split('=')[0]!;
    const near = flags.filter((f) => f.startsWith('--')).find((f) => editDistance(f, typed) <= 2 || (typed.length > 3 && f.startsWith(typed)));
    const dashed = /^-[a-z-]{3,}$/.test(typed) && flags.includes(`-${typed}`) ? `-${typed}` : undefined;
    const hint = dashed ?? near;
    return `unknown option ${typed}${hint ? ` (did you mean ${hint}?)` : ''}; to pass a path starting with '-', put it after --`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(e.message);
  if (missing) return `${missing[1]} needs a value`;
  const noArg = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(e.message);
  if (noArg) return `${noArg[1]} takes no value`;
  return e.message.replace(/^TypeError \[[A-Z_]+\]: /, '');
}

/** A severity as written on the command line, in any case (`HIGH`, `High`, `high`). */
export function parseSeverity(v: string, flag: string): Severity {
  const s = v.trim().toLowerCase();
  if (isSeverity(s)) return s;
  throw new UsageError(`${flag} must be one of critical, high, medium, low, info (got "${v}")`);
}

export function parseFailOn(v: string | undefined, fallback: Severity | 'never'): Severity | 'never' {
  if (v === undefined) return fallback;
  if (v.trim().toLowerCase() === 'never') return 'never';
  if (isSeverity(v.trim().toLowerCase())) return parseSeverity(v, '--fail-on');
  throw new UsageError(`--fail-on must be one of critical, high, medium, low, info, never (got "${v}")`);
}

/**
 * The config file (given, or found from the working directory up), checked: a rule id in it that
 * matches no rule is a usage error. `ruleIds` are the ids to check against (default: every built-in
 * rule, loaded only when there is a config file to check).
 */
export async function loadCheckedConfig(explicit: string | undefined, noConfig = false, ruleIds?: readonly string[]): Promise<Config> {
  if (noConfig) return emptyConfig();
  const file = explicit ?? discoverConfig();
  if (!file) return emptyConfig();
  const ids = ruleIds ?? (await import('../rules/index.js')).allRuleMetas.map((m) => m.id);
  return loadConfig(file, false, ids);
}

/**
 * The config file, synchronously. Rule ids in it are checked only against `ruleIds` when given
 * (prefer `loadCheckedConfig`, which always checks).
 */
export function loadConfig(explicit: string | undefined, noConfig = false, ruleIds?: readonly string[]): Config {
  if (noConfig) return emptyConfig();
  const file = explicit ?? discoverConfig();
  if (!file) return emptyConfig();
  try {
    const cfg = loadConfigFile(file);
    const unknown = ruleIds ? unknownRuleReferences(cfg, [...ruleIds, ...ENGINE_RULE_IDS]) : [];
    if (unknown.length) {
      const u = unknown[0]!;
      throw new UsageError(`${cfg.file ?? file}: ${u.where} names "${u.ref}", which matches no rule${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}; 'rampart rules list' shows them all`);
    }
    return cfg;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    throw e;
  }
}

const OUTPUT_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/**
 * Writes to --output FILE or stdout. The file's folder is created when missing (as `-o dir/x.sarif`
 * in a fresh CI workspace expects); a folder that cannot be made or a file that cannot be written
 * is a short error naming the path, exit 2 — never a stack trace.
 */
export function emit(text: string | Iterable<string>, file: string | undefined): void {
  // Pieces are gathered into ~1 MiB writes: few system calls, and never one string for a huge report.
  if (!file) {
    if (typeof text === 'string') return void process.stdout.write(text);
    const w = new PieceWriter(STDOUT);
    for (const piece of text) w.add(piece);
    w.end();
    return;
  }
  let fd: number | undefined;
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fd = openSync(file, 'w');
    if (typeof text === 'string') writeSync(fd, text);
    else {
      const w = new PieceWriter(fileSink(fd));
      for (const piece of text) w.add(piece);
      w.end();
    }
  } catch (e) {
    throw outputError(file, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Where a PieceWriter's bytes go: whole buffers, a piece too large for one as text; `keeps` when the sink may hold a buffer after the call. */
interface Sink {
  bytes(buf: Buffer): void;
  text(s: string): void;
  keeps?: boolean;
}

/** Standard output: the stream may hold a buffer after write() returns, so each write gets a fresh one. */
const STDOUT: Sink = { bytes: (buf) => process.stdout.write(buf), text: (s) => process.stdout.write(s), keeps: true };

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

function fileSink(fd: number): Sink {
  return { bytes: (buf) => writeAll(fd, buf), text: (s) => writeSync(fd, s) };
}

/** Pieces shorter than this are joined before they are encoded (one encoding call per line cost more than joining). */
const SMALL_PIECE = 8192;
const WRITE_SIZE = 1 << 20;

const endsInHighSurrogate = (s: string): boolean => {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xd800 && c <= 0xdbff;
};

/**
 * Pieces encoded into a 1 MiB buffer, handed to the sink when it is full (reused, unless the sink
 * keeps it): a large piece (often a slice of a larger string) is encoded where it lies, where
 * gathering all pieces into one string first copied every byte once more to flatten it; small ones
 * are joined up to SMALL_PIECE first. A piece larger than the buffer goes to the sink as text.
 */
class PieceWriter {
  private buf = Buffer.allocUnsafe(WRITE_SIZE);
  private used = 0;
  /**
   * Small pieces joined so far; also a piece's final high surrogate, waiting for what follows (a
   * surrogate pair split between pieces is encoded whole, as the joined text holds it).
   */
  private pending = '';

  constructor(private readonly sink: Sink) {}

  add(piece: string): void {
    if (piece.length < SMALL_PIECE) {
      this.pending += piece;
      if (this.pending.length < SMALL_PIECE) return;
      const s = this.pending;
      this.pending = '';
      this.send(s);
    } else if (this.pending === '') this.send(piece);
    else {
      const s = this.pending;
      this.pending = '';
      if (endsInHighSurrogate(s)) this.send(s + piece);
      else {
        this.put(s);
        this.send(piece);
      }
    }
  }

  end(): void {
    if (this.pending) this.put(this.pending);
    this.pending = '';
    this.flush();
  }

  private send(s: string): void {
    if (endsInHighSurrogate(s)) {
      this.pending = s.slice(-1);
      s = s.slice(0, -1);
    }
    this.put(s);
  }

  private put(s: string): void {
    // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2).
    if (this.used + s.length * 3 > WRITE_SIZE) {
      this.flush();
      if (s.length * 3 > WRITE_SIZE) return this.sink.text(s);
    }
    this.used += this.buf.write(s, this.used);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.sink.bytes(this.buf.subarray(0, this.used));
    if (this.sink.keeps) this.buf = Buffer.allocUnsafe(WRITE_SIZE);
    this.used = 0;
  }
}

function outputError(file: string, e: unknown): OutputError {
  const err = e as NodeJS.ErrnoException;
  const why = OUTPUT_ERRORS[err.code ?? ''] ?? err.code ?? err.message;
  return new OutputError(`cannot write --output ${file}: ${why}`);
}

/**
 * `emit` for pieces made while the inputs are still being read (`pss` evaluates each file as it is
 * read), in the same ~1 MiB writes. The file is opened at the first write; only opening and
 * writing errors become an OutputError, errors of the pieces themselves pass through.
 */
export async function emitAsync(pieces: AsyncIterable<string>, file: string | undefined): Promise<void> {
  let fd: number | undefined;
  const opened = (): number => {
    if (fd === undefined) {
      mkdirSync(path.dirname(path.resolve(file!)), { recursive: true });
      fd = openSync(file!, 'w');
    }
    return fd;
  };
  const onFile = (write: (fd: number) => void) => {
    try {
      write(opened());
    } catch (e) {
      throw outputError(file!, e);
    }
  };
  const sink: Sink = file ? { bytes: (buf) => onFile((d) => writeAll(d, buf)), text: (s) => onFile((d) => writeSync(d, s)) } : STDOUT;
  try {
    const w = new PieceWriter(sink);
    for await (const piece of pieces) w.add(piece);
    w.end();
    // An empty report still makes its file.
    if (file) onFile(() => undefined);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
export function useColor(file: string | undefined): boolean {
  if (file) return false;
  if (process.env.NO_COLOR !== undefined) return false;
  if (process.env.FORCE_COLOR) return true;
  return Boolean(process.stdout.isTTY);
}

/** Progress for long work: on a TTY stderr only, so machine output stays clean. */
export function progress(message: string): void {
  if (process.stderr.isTTY && !process.env.CI) process.stderr.write(`\r\x1b[K${message}`);
}

export function progressDone(): void {
  if (process.stderr.isTTY && !process.env.CI) process.stderr.write('\r\x1b[K');
}
