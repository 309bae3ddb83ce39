// One way to reach every pod spec and every container, with JSON Pointers to them.
import type { JsonObject, Resource } from './types.js';
import { asArray, asObject, asString, getIn, isObject, pointer } from './json.js';

/** Where the pod spec lives inside each built-in kind that carries one (whatever the API group). */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  // OpenShift's DeploymentConfig has the same shape as a ReplicationController.
  DeploymentConfig: ['spec', 'template', 'spec'],
};

/**
 * Custom resources that run pods from a pod template, by API group and kind (a kind alone is not
 * enough: Knative's Service is not a core Service). OpenKruise's Advanced StatefulSet and DaemonSet
 * share the built-in kinds' shape and are covered above.
 */
const CUSTOM_POD_SPEC_PATHS: Record<string, Record<string, string[]>> = {
  'argoproj.io': { Rollout: ['spec', 'template', 'spec'] },
  'serving.knative.dev': {
    Service: ['spec', 'template', 'spec'],
    Configuration: ['spec', 'template', 'spec'],
    Revision: ['spec'],
  },
  'keda.sh': { ScaledJob: ['spec', 'jobTargetRef', 'template', 'spec'] },
  'apps.kruise.io': {
    CloneSet: ['spec', 'template', 'spec'],
    BroadcastJob: ['spec', 'template', 'spec'],
    AdvancedCronJob: ['spec', 'template', 'jobTemplate', 'spec', 'template', 'spec'],
  },
};

/**
 * Index key under which resources of custom kinds with a pod template learned elsewhere
 * (`Resource.podSpecPath`, from a live cluster's CRD schemas) are also found, so every rule that
 * reads WORKLOAD_KINDS sees them. Not a valid kind name, so it never clashes with a real one.
 */
export const CUSTOM_WORKLOAD_KEY = '<custom workload>';

/** Kinds whose objects may carry a pod spec: rules that read pod specs select these, then `podSpecOf` decides. */
export const WORKLOAD_KINDS = [...new Set([...Object.keys(POD_SPEC_PATHS), ...Object.values(CUSTOM_POD_SPEC_PATHS).flatMap((k) => Object.keys(k)), CUSTOM_WORKLOAD_KEY])];

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

// The tables as Maps, read per call by every rule that looks at pods (a Map has no inherited keys: a kind
// named "constructor" is not a workload). A custom kind is looked up by its group only when the kind is one.
const BUILTIN_SEGMENTS = new Map(Object.entries(POD_SPEC_PATHS));
const CUSTOM_SEGMENTS = new Map(Object.entries(CUSTOM_POD_SPEC_PATHS).flatMap(([group, kinds]) => Object.entries(kinds).map(([kind, segs]): [string, string[]] => [`${group}/${kind}`, segs])));
const CUSTOM_KINDS = new Set(Object.values(CUSTOM_POD_SPEC_PATHS).flatMap((k) => Object.keys(k)));

/** Path segments of the pod spec for this object's group and kind, if it is one that has one. */
function podSpecSegments(r: Resource): string[] | undefined {
  if (r.podSpecPath) return r.podSpecPath;
  if (CUSTOM_KINDS.has(r.kind)) {
    const custom = CUSTOM_SEGMENTS.get(`${apiGroup(r.apiVersion)}/${r.kind}`);
    if (custom) return custom;
  }
  return BUILTIN_SEGMENTS.get(r.kind);
}

/** Pod template shapes any controller may use; see `unknownPodTemplate`. */
const GENERIC_POD_SPEC_PATHS = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

/**
 * The pointer of a pod spec in an object whose kind Rampart does not know (a custom resource with
 * `spec.template.spec.containers` or `spec.jobTemplate.spec.template.spec.containers`), or undefined.
 * Its pods are not evaluated, so callers must name it as not evaluated rather than pass it.
 */
export function unknownPodTemplate(r: Resource): string | undefined {
  if (podSpecSegments(r)) return undefined;
  for (const segs of GENERIC_POD_SPEC_PATHS) {
    const spec = follow(r.object, segs);
    if (typeof spec === 'object' && spec !== null && !Array.isArray(spec) && Array.isArray((spec as JsonObject).containers)) return pointer(...segs);
  }
  return undefined;
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_KINDS: ContainerKind[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface PodSpecRef {
  resource: Resource;
  spec: JsonObject;
  /** JSON Pointer of the pod spec, relative to the object. */
  path: string;
  /** Pod template metadata (labels/annotations of the pods), or the Pod's own metadata. */
  metadata: JsonObject;
  metadataPath: string;
}

export interface ContainerRef {
  pod: PodSpecRef;
  container: JsonObject;
  name: string;
  type: ContainerKind;
  index: number;
  /** JSON Pointer of the container, relative to the object. */
  path: string;
}

export function hasPodSpec(r: Resource): boolean {
  return podSpecSegments(r) !== undefined;
}

/** JSON Pointer where this object's pod spec belongs (present or not), or undefined for kinds without one. */
export function podSpecPath(r: Resource): string | undefined {
  const segs = podSpecSegments(r);
  return segs ? shapeOf(segs).path : undefined;
}

/** A pod spec location's pointers and metadata segments, worked out once per path (rules ask per resource, many times). */
interface PodSpecShape {
  path: string;
  metaSegs: string[];
  metadataPath: string;
}
const shapes = new WeakMap<readonly string[], PodSpecShape>();

function shapeOf(segs: string[]): PodSpecShape {
  let s = shapes.get(segs);
  if (!s) {
    // A Pod's (and a Knative Revision's) pods carry the object's own metadata; a template has its own.
    const metaSegs = segs.length === 1 ? ['metadata'] : [...segs.slice(0, -1), 'metadata'];
    s = { path: pointer(...segs), metaSegs, metadataPath: pointer(...metaSegs) };
    shapes.set(segs, s);
  }
  return s;
}

// Written out (no helper calls, an indexed loop): scans run without inlining (cli/commands/scan.ts), and
// every rule that reads a pod spec comes through here.
function follow(v: unknown, segs: readonly string[]): unknown {
  let cur = v;
  for (let i = 0; i < segs.length; i++) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as JsonObject)[segs[i]!];
  }
  return cur;
}

/** One object's pod spec and containers, as the memo holds them (containers made when first asked). */
interface PodMemo {
  pod: PodSpecRef | undefined;
  /** containersOf in CONTAINER_KINDS order, and of ['containers', 'initContainers'] (what most rules ask for). */
  all?: readonly ContainerRef[];
  podOnly?: readonly ContainerRef[];
}

/**
 * Pod specs and containers per object while the engine runs rules (`memoisePodSpecs`): ~40 rules ask
 * for the same workload's pod spec and containers, and each call built them again (the pointers of
 * every container included). Values do not change while rules run, which are pure; outside a run
 * (a library caller, the rules run while reading) nothing is kept.
 */
let podMemo: WeakMap<Resource, PodMemo> | undefined;

/**
 * Starts a fresh memo of pod specs and containers for the rules about to run; the returned function
 * puts back the one before (none outside the engine). The arrays handed out then are shared: read only.
 */
export function memoisePodSpecs(): () => void {
  const before = podMemo;
  podMemo = new WeakMap();
  return () => {
    podMemo = before;
  };
}

/** The pod spec of a workload; undefined when the kind has none or the field is missing or mistyped. */
export function podSpecOf(r: Resource): PodSpecRef | undefined {
  if (podMemo === undefined) return readPodSpec(r);
  let m = podMemo.get(r);
  if (m === undefined) podMemo.set(r, (m = { pod: readPodSpec(r) }));
  return m.pod;
}

function readPodSpec(r: Resource): PodSpecRef | undefined {
  const segs = podSpecSegments(r);
  if (!segs) return undefined;
  const spec = follow(r.object, segs);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
  const shape = shapeOf(segs);
  const meta = follow(r.object, shape.metaSegs);
  const metadata = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as JsonObject) : {};
  return { resource: r, spec: spec as JsonObject, path: shape.path, metadata, metadataPath: shape.metadataPath };
}

const POD_CONTAINERS: readonly ContainerKind[] = ['containers', 'initContainers'];

/** The pod's containers of these types, in this order (shared and read-only while the pod spec memo is on). */
export function containersOf(pod: PodSpecRef, types: readonly ContainerKind[] = CONTAINER_KINDS): readonly ContainerRef[] {
  const m = podMemo?.get(pod.resource);
  if (m === undefined || m.pod !== pod) return readContainers(pod, types);
  if (types === CONTAINER_KINDS || (types.length === 3 && types[0] === 'containers' && types[1] === 'initContainers' && types[2] === 'ephemeralContainers')) return (m.all ??= readContainers(pod, CONTAINER_KINDS));
  if (types.length === 2 && types[0] === 'containers' && types[1] === 'initContainers') return (m.podOnly ??= readContainers(pod, POD_CONTAINERS));
  return readContainers(pod, types);
}

function readContainers(pod: PodSpecRef, types: readonly ContainerKind[]): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (let t = 0; t < types.length; t++) {
    const type = types[t]!;
    const list = pod.spec[type];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const c = list[index];
      if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
      const name = c.name;
      out.push({ pod, container: c, name: (typeof name === 'string' && name) || `#${index}`, type, index, path: `${pod.path}/${type}/${index}` });
    }
  }
  return out;
}

/** All containers of a resource (empty for kinds without a pod spec). */
export function allContainers(r: Resource, types?: readonly ContainerKind[]): readonly ContainerRef[] {
  const pod = podSpecOf(r);
  return pod ? containersOf(pod, types) : [];
}

/** Describes a container for messages: `container "app"`, `init container "setup"`. */
export function describeContainer(c: ContainerRef): string {
  const prefix = c.type === 'initContainers' ? 'init container' : c.type === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${prefix} "${c.name}"`;
}

/** Labels the workload's pods carry (template labels), used for selectors. */
export function podLabels(r: Resource): Record<string, string> {
  const pod = podSpecOf(r);
  const labels = pod ? asObject(pod.metadata.labels) : undefined;
  const out: Record<string, string> = {};
  if (labels) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}
