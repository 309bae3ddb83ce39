// Starts the bundled CLI (dist/bundle/rampart.cjs, made by scripts/bundle.mjs) with V8's code cache.
// A one-file scan is mostly start-up: compiling ~1 MB of JavaScript cost as much as the scan itself.
// The build runs the bundle once and saves V8's cache of the code it compiled next to it; later
// starts deserialise that instead of parsing and compiling (issue 18, bench/startup.mjs).
//
// The cache is only ever written by the build, into dist/ (never a shared or user-writable cache
// at run time), and V8 checks it against the source, its own version and flags: when it does not
// match (another Node version, other V8 flags) V8 rejects it and compiles as usual.
import { isAscii } from 'node:buffer';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

export interface CliModule {
  main(args: string[]): Promise<number>;
}

/** The cache file of a bundle. */
export function codeCacheOf(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * Loads a CommonJS bundle with its code cache when the cache is at least as new as the bundle.
 * `makeCache` returns a function that writes the cache of everything compiled so far (the build
 * calls it after running the bundle, so the functions a scan runs are included).
 */
export function loadBundle(bundle: string): { cli: CliModule; cacheRejected: boolean | undefined; makeCache(): void } {
  const bytes = readFileSync(bundle);
  // The build writes the bundle in ASCII (scripts/ascii-js.mjs): read as one-byte text that costs
  // ~1 ms, where decoding it as UTF-8 cost ~12 ms (and a two-byte copy of it) at every start.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = codeCacheOf(bundle);
  let cachedData: Buffer | undefined;
  try {
    if (statSync(cacheFile).mtimeMs >= statSync(bundle).mtimeMs) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compile as usual.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const module = { exports: {} as CliModule };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    cli: module.exports,
    cacheRejected: cachedData ? script.cachedDataRejected : undefined,
    makeCache: () => writeFileSync(cacheFile, script.createCachedData()),
  };
}
