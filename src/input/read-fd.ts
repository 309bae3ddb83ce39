// Reading a regular file, or a range of it, from an open descriptor (the callers open it non-blocking and check it).
import { readSync } from 'node:fs';

/**
 * Up to `size` bytes of `fd` from offset `from`: fewer when the file shrank since it was checked.
 * With `into` (large enough), read into it: for callers that decode the bytes at once and keep nothing.
 */
export function readFd(fd: number, size: number, from = 0, into?: Buffer): Buffer {
  // Not pooled: the buffer may be kept (rendered sources), and only the bytes read are returned.
  const buf = into && into.length >= size ? into : Buffer.allocUnsafeSlow(size);
  let n = 0;
  while (n < size) {
    const read = readSync(fd, buf, n, size - n, from + n);
    if (read === 0) break;
    n += read;
  }
  return n === buf.length ? buf : buf.subarray(0, n);
}

/**
 * One buffer that whole files are read into, one file at a time (their text is decoded, a copy,
 * and the bytes are dropped once the file is parsed), and large ranges read back for positions
 * (checked and decoded at once; files are never read while findings are located). A fresh buffer
 * per file lay outside the heap until a full collection freed it: a dump of four 10 MB JSON files
 * held three dead ones at its peak.
 */
let shared: Buffer | undefined;
/** Above this size a read gets a buffer of its own (none that large is kept for the rest of the run). */
const SHARED_MAX = 32 * 1024 * 1024;

/** The shared buffer, at least `size` bytes (valid until the next call), or undefined above SHARED_MAX. */
export function sharedBuffer(size: number): Buffer | undefined {
  if (size > SHARED_MAX) return undefined;
  // Grown in steps of 64 KiB, so a run of growing files does not allocate once per file.
  if (!shared || shared.length < size) shared = Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / 65536) * 65536);
  return shared;
}

/** The whole of `fd` (`size` bytes when checked), in the shared buffer up to SHARED_MAX. */
export function readWholeShared(fd: number, size: number): Buffer {
  return readFd(fd, size, 0, sharedBuffer(size));
}
