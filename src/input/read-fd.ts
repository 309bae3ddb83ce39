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
