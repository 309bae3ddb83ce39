// Whether a file's bytes hold a C0 control other than tab and line feed, or DEL: the one check every
// byte of every file goes through before the block reader may trust its text (printableUtf8). In
// JavaScript it was a loop over 32-bit words, ~7.7 instructions a byte: ~3% of a scan of the
// real-world corpus. WebAssembly's 128-bit SIMD looks at 16 bytes in a few instructions. Where
// WebAssembly or its SIMD is not available (`--jitless`, an old CPU), the word loop answers.

/**
 * The module, assembled by hand: byte for byte what WABT's wat2wasm (`--enable-simd`) makes of this text
 * (the constants written out in full, sixteen equal lanes each):
 *
 *   (module
 *     (memory (export "m") 5)
 *     (func (export "c") (param $n i32) (result i32)   ;; $n: a multiple of 16
 *       (local $i i32) (local $acc v128) (local $v v128)
 *       (block $done (loop $next
 *         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *         (local.set $v (v128.load (local.get $i)))
 *         (local.set $acc (v128.or (local.get $acc) (v128.or
 *           ;; below 0x20, but not tab or line feed (v - 9 below 2, unsigned)
 *           (v128.andnot (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 ...))
 *                        (i8x16.lt_u (i8x16.sub (local.get $v) (v128.const i8x16 9 ...)) (v128.const i8x16 2 ...)))
 *           (i8x16.eq (local.get $v) (v128.const i8x16 0x7f ...)))))
 *         (local.set $i (i32.add (local.get $i) (i32.const 16)))
 *         (br $next)))
 *       (v128.any_true (local.get $acc))))
 */
function moduleBytes(): Uint8Array {
  const splat = (b: number) => [0xfd, 0x0c, ...new Array<number>(16).fill(b)]; // v128.const, 16 equal lanes
  const body = [
    0x02, 0x01, 0x7f, 0x02, 0x7b, // locals: one i32 ($i), two v128 ($acc, $v)
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, // br_if $done (i >= n)
    0x20, 0x01, 0xfd, 0x00, 0x04, 0x00, 0x21, 0x03, // v = v128.load align=16 [i]
    0x20, 0x02, // acc
    0x20, 0x03, ...splat(0x20), 0xfd, 0x26, // v <u 0x20
    0x20, 0x03, ...splat(0x09), 0xfd, 0x71, ...splat(0x02), 0xfd, 0x26, // (v - 9) <u 2
    0xfd, 0x4f, // andnot
    0x20, 0x03, ...splat(0x7f), 0xfd, 0x23, // v == 0x7f
    0xfd, 0x50, 0xfd, 0x50, 0x21, 0x02, // acc |= ... | ...
    0x20, 0x01, 0x41, 0x10, 0x6a, 0x21, 0x01, // i += 16
    0x0c, 0x00, 0x0b, 0x0b, // br $next, end loop, end block
    0x20, 0x02, 0xfd, 0x53, 0x0b, // any_true(acc), end
  ];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]), // type: (i32) -> i32
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(5, [0x01, 0x00, PAGES]), // one memory of PAGES pages
    ...section(7, [0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x63, 0x00, 0x00]), // exports "m" (memory), "c" (function)
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

/** Memory pages (64 KiB each): a chunk and its padding to 16 bytes. */
const PAGES = 5;
/** Bytes copied into the module's memory and checked at a time. */
const CHUNK = 256 * 1024;

/** What is used of WebAssembly (the build's libraries leave out the DOM's, which declare it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface SimdCheck {
  memory: Uint8Array;
  check: (n: number) => number;
}

let simd: SimdCheck | null | undefined;

/** The module's instance, made on first use; null where WebAssembly SIMD cannot run here. */
function simdCheck(): SimdCheck | null {
  if (simd !== undefined) return simd;
  try {
    const bytes = moduleBytes();
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return (simd = null);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as { m: { buffer: ArrayBuffer }; c: (n: number) => number };
    simd = { memory: new Uint8Array(exports.m.buffer), check: exports.c };
  } catch {
    simd = null;
  }
  return simd;
}

/** Which check hasControlBytes runs in this process (tests assert that the SIMD one is the one compared). */
export function controlCheckKind(): 'simd' | 'javascript' {
  return simdCheck() ? 'simd' : 'javascript';
}

/** Whether `bytes` hold a C0 control other than tab and line feed, or DEL (bytes with bit 7 set are not looked at). */
export function hasControlBytes(bytes: Uint8Array, useSimd = true): boolean {
  const s = useSimd ? simdCheck() : null;
  if (!s) return controlInBytes(bytes);
  for (let a = 0; a < bytes.length; a += CHUNK) {
    const n = Math.min(CHUNK, bytes.length - a);
    s.memory.set(n === bytes.length ? bytes : bytes.subarray(a, a + n));
    const padded = (n + 15) & ~15;
    s.memory.fill(0x20, n, padded); // spaces: not controls
    if (s.check(padded) !== 0) return true;
  }
  return false;
}

/** The same in JavaScript: aligned 32-bit words, and the bytes before and after them one by one. */
function controlInBytes(bytes: Uint8Array): boolean {
  const head = Math.min(bytes.length, (4 - (bytes.byteOffset & 3)) & 3); // bytes before the first aligned word
  const words = (bytes.length - head) >> 2;
  if (words > 0 && controlInWords(new Int32Array(bytes.buffer, bytes.byteOffset + head, words))) return true;
  for (let i = 0; i < head; i++) if (isControlByte(bytes[i]!)) return true;
  for (let i = head + words * 4; i < bytes.length; i++) if (isControlByte(bytes[i]!)) return true;
  return false;
}

/**
 * C0 controls but tab and line feed, and DEL, in any byte of `w` (bytes with bit 7 set are not).
 * Each byte is tested by adding to it: a byte below 0x80 plus at most 0x80 never carries into the
 * next, so bit 7 of each byte answers for it alone. A loop of its own: V8 optimizes it whole.
 */
function controlInWords(w: Int32Array): boolean {
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    const y = x & 0x7f7f7f7f;
    // Bit 7 of byte b is set in: ~(b + 0x77) when b < 9; (b + 0x75) & ~(b + 0x60) when 11 <= b < 32; b + 1 when b = 0x7f.
    acc |= (~(y + 0x77777777) | ((y + 0x75757575) & ~(y + 0x60606060)) | (y + 0x01010101)) & ~x;
  }
  return (acc & 0x80808080) !== 0;
}

const isControlByte = (b: number): boolean => (b < 0x20 ? b !== 0x09 && b !== 0x0a : b === 0x7f);
