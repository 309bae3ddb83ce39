// Shared CLI plumbing: usage errors, output writing, config loading, the TTY check.
import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../engine/config.js';
import { ConfigError, discoverConfig, emptyConfig, loadConfigFile, unknownRuleReferences } from '../engine/config.js';
import { allRuleMetas } from '../rules/index.js';
import { displayPath } from '../input/files.js';

/** Findings the engine itself produces (config hygiene), which config may also name. */
const ENGINE_RULE_IDS = ['config/expired-exception', 'config/suppression-without-reason'];
import type { Severity } from '../model/types.js';
import { isSeverity } from '../model/types.js';

export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage errors instead of exceptions that read like crashes. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function parseFailOn(v: string | undefined, fallback: Severity | 'never'): Severity | 'never' {
  if (v === undefined) return fallback;
  if (v === 'never' || isSeverity(v)) return v;
  throw new UsageError(`--fail-on must be one of critical, high, medium, low, info, never (got "${v}")`);
}

export function loadConfig(explicit: string | undefined, noConfig = false): Config {
  if (noConfig) return emptyConfig();
  const file = explicit ?? discoverConfig();
  if (!file) return emptyConfig();
  try {
    const cfg = loadConfigFile(file);
    const unknown = unknownRuleReferences(cfg, [...allRuleMetas.map((m) => m.id), ...ENGINE_RULE_IDS]);
    if (unknown.length) {
      const u = unknown[0]!;
      throw new UsageError(`${displayPath(file)}: ${u.where} names "${u.ref}", which matches no rule${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}; 'rampart rules list' shows them all`);
    }
    return cfg;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    throw e;
  }
}

/** Writes to --output FILE or stdout. */
export function emit(text: string, file: string | undefined): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
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
