// Pod Security Admission: the data the pure engine takes and returns.
import type { JsonObject } from '../../model/types.js';

export type Level = 'privileged' | 'baseline' | 'restricted';
export type CheckLevel = 'baseline' | 'restricted';

/** Newest policy version this engine implements; `latest` and any newer `v1.N` evaluate as this. */
export const LATEST_MINOR = 37;

/** A policy version as upstream spells it: `v1.N` or `latest`. */
export type PolicyVersion = 'latest' | `v1.${number}`;

/** One offending field, pointed at for scan findings (JSON Pointer relative to the object). */
export interface Offence {
  path: string;
  message: string;
  /** Edits that make this field compliant, where one safe edit exists. */
  fix?: OffenceFix[];
}

/** Same shape as the engine's fix operations; kept here so the analysis stays independent. */
export type OffenceFix = { op: 'set'; path: string; value: boolean | string | string[] } | { op: 'remove'; path: string };

/** A field whose type Kubernetes would refuse to decode; the pod cannot be evaluated faithfully. */
export interface Malformed {
  path: string;
  message: string;
  /** The check that was reading the field. */
  check?: string;
}

/** What one check says about one pod: upstream's result object plus the fields behind it. */
export interface CheckResult {
  allowed: boolean;
  /** Short reason, as upstream words it (`privileged`, `host namespaces`, ...). */
  forbiddenReason?: string;
  /** Detail, as upstream words it (`container "app" must not set securityContext.privileged=true`). */
  forbiddenDetail?: string;
  offences: Offence[];
}

/** The pod as PSA sees it: metadata (annotations) and spec, with where they sit in the object. */
export interface PodInput {
  metadata: unknown;
  spec: unknown;
  /** JSON Pointer of the pod metadata inside the object (`/metadata`, `/spec/template/metadata`). */
  metadataPath: string;
  /** JSON Pointer of the pod spec inside the object (`/spec`, `/spec/template/spec`). */
  specPath: string;
}

export type ContainerType = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface ContainerView {
  obj: JsonObject;
  /** `name` as Kubernetes decodes it ('' when absent). */
  name: string;
  type: ContainerType;
  index: number;
  path: string;
  /** `${path}/securityContext`, made once per pod rather than once per check. */
  scPath: string;
  /** `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
  label: string;
}

/** One revision of a check, in force from `minVersion` (a v1 minor) until the next revision. */
export interface VersionedCheck {
  minVersion: number;
  check: (pod: import('./pod.js').PodReader) => CheckResult;
  /** Baseline checks this (restricted) revision replaces at the restricted level. */
  overrides?: string[];
}

/** A Pod Security Standards control with its version history (upstream `policy/check_*.go`). */
export interface CheckDef {
  id: string;
  level: CheckLevel;
  versions: VersionedCheck[];
}
