// Safe accessors for untrusted parsed JSON: wrong field types never throw.
import type { JsonObject, JsonValue } from './types.js';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

export function asArray(v: unknown): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function asBool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function asStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

/** Follows keys through nested objects/arrays; undefined when any step is missing or mistyped. */
export function getIn(v: unknown, ...keys: (string | number)[]): JsonValue | undefined {
  let cur: unknown = v;
  for (const k of keys) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[k];
    }
    if (cur === undefined) return undefined;
  }
  return cur as JsonValue;
}

/** JSON Pointer (RFC 6901) helpers. */
export function pointer(...segments: (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + escapeSegment(String(s));
  return out;
}

function escapeSegment(s: string): string {
  // Most segments hold neither character: no regular expressions run for them.
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + pointer(...segments);
}

export function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new Error(`invalid JSON Pointer: ${p}`);
  const segments = p.slice(1).split('/');
  // Most pointers escape nothing: no regular expressions run for them (every finding located parses one).
  if (p.includes('~')) for (let i = 0; i < segments.length; i++) segments[i] = segments[i]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return segments;
}
