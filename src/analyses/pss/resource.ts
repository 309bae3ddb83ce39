// From a Kubernetes resource (Pod or any workload with a pod template) to the pod PSA evaluates.
import type { Resource } from '../../model/types.js';
import { podSpecOf, podSpecPath } from '../../model/workloads.js';
import { asObject, asString, getIn } from '../../model/json.js';
import type { PodInput } from './types.js';

/** The pod PSA would see; undefined for kinds without pods. A missing or mistyped spec still yields a (malformed) input. */
export function podInputOf(r: Resource): PodInput | undefined {
  // A spec that is there is the common case (podSpecOf finds it only where podSpecPath would point).
  const ref = podSpecOf(r);
  if (ref) return { metadata: ref.metadata, spec: ref.spec, metadataPath: ref.metadataPath, specPath: ref.path };
  const specPath = podSpecPath(r);
  if (specPath === undefined) return undefined;
  const metadataPath = specPath === '/spec' ? '/metadata' : specPath.replace(/\/spec$/, '/metadata');
  return { metadata: undefined, spec: getIn(r.object, ...specPath.slice(1).split('/')), metadataPath, specPath };
}

/** spec.runtimeClassName, for runtime-class exemptions. */
export function runtimeClassOf(input: PodInput): string | undefined {
  return asString(asObject(input.spec)?.runtimeClassName);
}
