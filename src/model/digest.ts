// Digests (fingerprints of findings and secrets, cache keys). node:crypto is required on first use, not
// imported: every command starts from one bundle that initialises the modules it imports, loading
// node:crypto cost each start 4-13 ms, and most runs (a pre-commit hook's one-file scan) hash nothing.
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

let cryptoModule: typeof import('node:crypto') | undefined;
const crypto = (): typeof import('node:crypto') => (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));

export function createHash(algorithm: string): Hash {
  return crypto().createHash(algorithm);
}

/** SHA-256 in hex: one-shot `crypto.hash` where Node has it (20.12+; a Hash object per finding cost 3x more), else a Hash. */
export function sha256Hex(data: string): string {
  return (sha256HexOf ??= oneShotSha256() ?? ((d) => createHash('sha256').update(d).digest('hex')))(data);
}

let sha256HexOf: ((data: string) => string) | undefined;

function oneShotSha256(): ((data: string) => string) | undefined {
  const hash = (crypto() as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
  return hash && ((d) => hash('sha256', d, 'hex'));
}
