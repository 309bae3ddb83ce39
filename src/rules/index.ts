// Every built-in rule, by family. Each family owns its own index file.
import type { AnyRule } from '../engine/rule.js';
import { Registry } from '../engine/registry.js';
import { workloadRules } from './workload/index.js';

export const builtinRules: AnyRule[] = [...workloadRules];

export function builtinRegistry(): Registry {
  return new Registry(builtinRules);
}
