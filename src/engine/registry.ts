// The rule registry: every rule module, looked up by id.
import type { AnyRule } from './rule.js';

export class Registry {
  private rules = new Map<string, AnyRule>();

  constructor(rules: AnyRule[] = []) {
    for (const r of rules) this.add(r);
  }

  add(rule: AnyRule): void {
    const id = rule.meta.id;
    if (!/^[a-z0-9-]+\/[A-Za-z0-9_.-]+$/.test(id)) throw new Error(`rule id "${id}" is not <family>/<name>`);
    if (this.rules.has(id)) throw new Error(`duplicate rule id "${id}"`);
    this.rules.set(id, rule);
  }

  get(id: string): AnyRule | undefined {
    return this.rules.get(id);
  }

  all(): AnyRule[] {
    return [...this.rules.values()].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  }
}
