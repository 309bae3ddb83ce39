// One way to reach every pod spec and every container, with JSON Pointers to them.
import type { JsonObject, Resource } from './types.js';
import { asArray, asObject, asString, getIn, isObject, pointer } from './json.js';

/** Where the pod spec lives inside each kind that carries one. */
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
 * Index key under which resources of custom kinds with a pod template (`Resource.podSpecPath`) are
 * also found, so every rule that reads WORKLOAD_KINDS sees them. Not a valid kind name, so it never
 * clashes with a real one.
 */
export const CUSTOM_WORKLOAD_KEY = '<custom workload>';

export const WORKLOAD_KINDS = [...Object.keys(POD_SPEC_PATHS), CUSTOM_WORKLOAD_KEY];

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
  return r.kind in POD_SPEC_PATHS || r.podSpecPath !== undefined;
}

/** The pod spec of a workload; undefined when the kind has none or the field is missing or mistyped. */
export function podSpecOf(r: Resource): PodSpecRef | undefined {
  const segs = POD_SPEC_PATHS[r.kind] ?? r.podSpecPath;
  if (!segs) return undefined;
  const spec = getIn(r.object, ...segs);
  if (!isObject(spec)) return undefined;
  const metaSegs = r.kind === 'Pod' ? ['metadata'] : [...segs.slice(0, -1), 'metadata'];
  const metadata = asObject(getIn(r.object, ...metaSegs)) ?? {};
  return { resource: r, spec, path: pointer(...segs), metadata, metadataPath: pointer(...metaSegs) };
}

export function containersOf(pod: PodSpecRef, types: ContainerKind[] = CONTAINER_KINDS): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const type of types) {
    asArray(pod.spec[type]).forEach((c, index) => {
      if (!isObject(c)) return;
      out.push({ pod, container: c, name: asString(c.name) ?? `#${index}`, type, index, path: `${pod.path}/${type}/${index}` });
    });
  }
  return out;
}

/** All containers of a resource (empty for kinds without a pod spec). */
export function allContainers(r: Resource, types?: ContainerKind[]): ContainerRef[] {
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
