// `--baseline` of `rampart paths` and `--paths-baseline` of `rampart scan`: the keys of the paths a previous run listed.
import { readFileSync } from 'node:fs';
import { baselineKeys, BaselineError } from '../analyses/paths/baseline.js';
import { UsageError } from './errors.js';

/** Path keys of a previous `rampart paths -o json`; a file that is not one is a usage error naming the flag. */
export function readPathsBaseline(file: string, flag = '--baseline'): Set<string> {
  try {
    return baselineKeys(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    const why = e instanceof BaselineError ? e.message : e instanceof SyntaxError ? `not JSON (${e.message})` : ((e as NodeJS.ErrnoException).code ?? String(e));
    throw new UsageError(`${flag} ${file}: ${why}`);
  }
}
