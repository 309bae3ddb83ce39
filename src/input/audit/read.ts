// Streaming readers for API-server audit logs: JSON lines (the log backend), gzip files, stdin,
// EventList documents (the webhook backend), and `--follow` of a growing file across rotation.
// Memory is bounded by the longest line, never by the file: each record is handed on as it is read.
import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonValue } from '../../model/types.js';
import { eventListItems } from '../../analyses/audit/event.js';
import { zlib } from '../lazy-builtins.js';

/** One JSON value read from a source, or why a line could not be read. */
export type AuditRecord = { kind: 'value'; value: JsonValue; source: string; line: number } | { kind: 'invalid'; source: string; line: number; message: string };

export interface ReadOptions {
  /** Keep reading as the file grows; reopen it when it is rotated (renamed/recreated or truncated). */
  follow?: boolean;
  /** Poll interval for --follow, ms. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Longest accepted line in bytes (longer lines are reported invalid and skipped). */
  maxLineBytes?: number;
  /** Largest multi-line JSON document (a pretty-printed EventList) read whole. */
  maxDocumentBytes?: number;
  /** Stream to read instead of stdin for "-" (tests). */
  stdin?: NodeJS.ReadableStream;
}

export class AuditInputError extends Error {}

const GZIP_MAGIC = [0x1f, 0x8b];
const CHUNK = 1 << 20;
/** Records per batch handed on (one await per batch, not per event). */
const BATCH = 256;
/** Marks, in the chunk stream, that --follow switched to a new file: line numbers restart. */
const ROTATED = Symbol('rotated');
type Chunk = Buffer | typeof ROTATED;

/** Reads every record of one source ("-" = stdin). Errors that stop the source throw AuditInputError. */
export async function* readAuditSource(path: string, opts: ReadOptions = {}): AsyncGenerator<AuditRecord> {
  for await (const batch of readAuditBatches(path, opts)) yield* batch;
}

/** Same records, handed on a chunk at a time (one await per chunk instead of per event: the fast path). */
export function readAuditBatches(path: string, opts: ReadOptions = {}): AsyncGenerator<AuditRecord[]> {
  return records(chunksOf(path, opts), path === '-' ? '<stdin>' : path, opts);
}

async function* chunksOf(path: string, opts: ReadOptions): AsyncGenerator<Chunk> {
  if (path === '-') {
    yield* gunzipIfNeeded(opts.stdin ?? process.stdin);
    return;
  }
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new AuditInputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const head = Buffer.alloc(2);
  const { bytesRead } = await fh.read(head, 0, 2, 0);
  if (bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    await fh.close();
    if (opts.follow) throw new AuditInputError(`${path}: --follow needs a plain (not gzip) file`);
    yield* gunzipIfNeeded(createReadStream(path));
    return;
  }
  try {
    yield* follow(path, fh, opts);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function* gunzipIfNeeded(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  // Peek at the first chunk to tell gzip from text.
  const r = await it.next();
  if (r.done) return;
  const firstChunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  if (firstChunk.length >= 2 && firstChunk[0] === GZIP_MAGIC[0] && firstChunk[1] === GZIP_MAGIC[1]) {
    const gunzip = zlib().createGunzip();
    const feed = (async () => {
      try {
        gunzip.write(firstChunk);
        for (let n = await it.next(); !n.done; n = await it.next()) {
          if (!gunzip.write(typeof n.value === 'string' ? Buffer.from(n.value) : n.value)) await new Promise((res) => gunzip.once('drain', res));
        }
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    try {
      for await (const c of gunzip) yield c as Buffer;
    } catch (e) {
      throw new AuditInputError(`gzip data is corrupt or truncated: ${(e as Error).message}`);
    }
    await feed;
    return;
  }
  yield firstChunk;
  for (let n = await it.next(); !n.done; n = await it.next()) yield typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
}

/** Reads to the end; with `follow`, keeps polling and reopens the path when it was rotated. */
async function* follow(path: string, first: Awaited<ReturnType<typeof open>>, opts: ReadOptions): AsyncGenerator<Chunk> {
  let fh = first;
  let pos = 0;
  let ino = (await fh.stat()).ino;
  for (;;) {
    // A fresh buffer per read, handed on as is (the consumer decodes it at once): no copy.
    const buf = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead > 0) {
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
      continue;
    }
    if (!opts.follow || opts.signal?.aborted) return;
    try {
      await sleep(opts.pollMs ?? 250, undefined, opts.signal ? { signal: opts.signal } : undefined);
    } catch {
      return; // aborted
    }
    let now;
    try {
      now = await stat(path);
    } catch {
      continue; // between rename and re-create: wait for the new file
    }
    if (now.ino !== ino || now.size < pos) {
      // Rotated (new inode) or truncated in place: the old file was read to its end; start the new one.
      await fh.close().catch(() => undefined);
      try {
        fh = await open(path, 'r');
      } catch {
        continue;
      }
      ino = (await fh.stat()).ino;
      pos = 0;
      yield ROTATED;
    }
  }
}

/**
 * Splits chunks into lines and parses each as JSON. A file whose first line is not JSON but opens
 * a JSON document (a pretty-printed Event or EventList) is read whole, up to maxDocumentBytes.
 */
async function* records(chunks: AsyncIterable<Chunk>, source: string, opts: ReadOptions): AsyncGenerator<AuditRecord[]> {
  const maxLine = opts.maxLineBytes ?? 64 << 20;
  const maxDoc = opts.maxDocumentBytes ?? 512 << 20;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  let skippingLongLine = false;
  let document: string[] | undefined;
  let documentBytes = 0;
  let documentLine = 0;
  let sawContent = false;
  let batch: AuditRecord[] = [];

  const emit = (text: string, at: number): void => {
    let value: JsonValue;
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (e) {
      if (text.trim() !== '') batch.push({ kind: 'invalid', source, line: at, message: `not valid JSON: ${(e as Error).message}` });
      return;
    }
    const items = eventListItems(value);
    if (items) for (const item of items) batch.push({ kind: 'value', value: item, source, line: at });
    else batch.push({ kind: 'value', value, source, line: at });
  };

  const onLine = (text: string): void => {
    line++;
    if (document) {
      document.push(text);
      documentBytes += text.length + 1;
      if (documentBytes > maxDoc) {
        batch.push({ kind: 'invalid', source, line: documentLine, message: `multi-line JSON document larger than ${maxDoc} bytes; write JSON lines (one Event per line) instead` });
        document = [];
        documentBytes = 0;
      }
      return;
    }
    if (!sawContent) {
      const trimmed = text.trim();
      if (trimmed === '') return;
      sawContent = true;
      // A first line that opens but does not close a JSON value: a pretty-printed document.
      if ((trimmed === '{' || trimmed === '[' || (trimmed.startsWith('{') && !trimmed.endsWith('}'))) && !parses(trimmed)) {
        document = [text];
        documentBytes = text.length + 1;
        documentLine = line;
        return;
      }
    }
    emit(text.endsWith('\r') ? text.slice(0, -1) : text, line);
  };

  for await (const chunk of chunks) {
    if (chunk === ROTATED) {
      // The old file ended: an unterminated last line is still a line of that file.
      if (carry !== '' && !skippingLongLine) onLine(carry + decoder.end());
      carry = '';
      skippingLongLine = false;
      line = 0;
      continue;
    }
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skippingLongLine) skippingLongLine = false;
      else onLine(text.slice(start, nl));
      start = nl + 1;
      // Hand records on in small batches: a whole chunk's parsed events alive at once outlive the
      // young generation and are promoted as garbage, which grows the peak RSS with the file.
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    carry = skippingLongLine ? '' : text.slice(start);
    if (!document && carry.length > maxLine) {
      line++;
      batch.push({ kind: 'invalid', source, line, message: `line longer than ${maxLine} bytes; skipped` });
      carry = '';
      skippingLongLine = true;
    }
    if (batch.length) {
      yield batch;
      batch = [];
    }
  }
  carry += decoder.end();
  if (carry !== '' && !skippingLongLine) onLine(carry);
  if (document) emit(document.join('\n'), documentLine);
  if (batch.length) yield batch;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
