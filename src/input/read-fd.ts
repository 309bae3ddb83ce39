// Reading a regular file, or a range of it, from an open descriptor (the callers open it non-blocking and check it).
import { readSync } from 'node:fs';

/** Up to `size` bytes of `fd` from offset `from`: fewer when the file shrank since it was checked. */
export function readFd(fd: number, size: number, from = 0): Buffer {
  // Not pooled: the buffer may be kept (rendered sources), and only the bytes read are returned.
  const buf = Buffer.allocUnsafeSlow(size);
  let n = 0;
  while (n < size) {
    const read = readSync(fd, buf, n, size - n, from + n);
    if (read === 0) break;
    n += read;
  }
  return n === size ? buf : buf.subarray(0, n);
}
