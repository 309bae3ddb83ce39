// Reads a gzipped tar (a packaged Helm chart) so its templates and values can be shown in findings.
import path from 'node:path';
import { zlib } from '../lazy-builtins.js';

export interface TarFile {
  name: string;
  data: Buffer;
}

function field(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

/** Regular files of a .tgz; names are normalised and may not escape the archive root. */
export function readTgz(buf: Buffer, maxBytes = 256 * 1024 * 1024): TarFile[] {
  const tar = zlib().gunzipSync(buf, { maxOutputLength: maxBytes });
  const out: TarFile[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error('corrupt tar header');
    const type = String.fromCharCode(h[156]!);
    const prefix = field(h, 345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type !== '0' && type !== '\0') continue;
    name = path.posix.normalize(name);
    if (name.startsWith('..') || path.posix.isAbsolute(name)) continue;
    out.push({ name, data: Buffer.from(data) });
  }
  return out;
}
