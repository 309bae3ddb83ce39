// Core data types shared by every layer. Plain data, no behaviour.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** A position in a source file; line and column are 1-based. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

/** Where a finding points: a position plus the JSON Pointer of the offending value. */
export interface Location extends Position {
  /** JSON Pointer into the (rendered) document. */
  path: string;
  /** For rendered inputs: whether the source position is exact or a best guess. */
  mapping?: 'exact' | 'guess';
}

/** A Kubernetes object as parsed: an untrusted JSON value with apiVersion and kind. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Resolves a JSON Pointer (relative to the object) to a source position.
 * Inputs supply it: plain YAML walks its AST; rendered inputs add a source map.
 */
export interface Locator {
  /** Position of the value (or its key) at `pointer`, or of the deepest existing ancestor. */
  locate(pointer: string): Location;
  /**
   * A hint before the object's findings are located: the pointers about to be asked. A locator may
   * then read only what they need; any pointer may still be asked, with the same answer.
   */
  willLocate?(pointers: readonly string[]): void;
  /** For rendered inputs, the position in the rendered text. */
  rendered?(pointer: string): Position | undefined;
}

export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  /** As written in the object; undefined when absent (cluster-scoped or defaulted). */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  object: JsonObject;
  /** File the object came from (display path). */
  file: string;
  /** 0-based document index inside the file. */
  docIndex: number;
  /** JSON Pointer of the object inside its document ('' or '/items/3' for List items). */
  basePath: string;
  locator: Locator;
  /**
   * For custom kinds that carry a pod template (a CRD such as an Argo Rollout): the path of the pod
   * spec, learned from the CRD's schema by the reader. Built-in kinds never set it.
   */
  podSpecPath?: string[];
  /**
   * The input root the object came from (a path given to `scan`, one project folder of a folder of
   * projects, one rendered chart or overlay). Objects of different roots are separate installs: the
   * engine never joins them into one cluster for cross-object rules. Absent: one install.
   */
  root?: string;
}

export function refOf(r: Resource): ResourceRef {
  const ref: ResourceRef = { apiVersion: r.apiVersion, kind: r.kind, name: r.name };
  if (r.namespace !== undefined) ref.namespace = r.namespace;
  return ref;
}

/** Something that could not be evaluated. It fails the run closed (exit 2). */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** Something deliberately not evaluated (not Kubernetes, an unrendered template). Reported, not an error. */
export interface Skipped {
  file: string;
  line?: number;
  reason: string;
  hint?: string;
  /**
   * True when the skipped input was meant to be evaluated but could not be (an unrendered
   * template, a forbidden API kind): it counts as not evaluated and fails the run closed.
   * False for notes such as non-Kubernetes YAML.
   */
  failsClosed: boolean;
}
