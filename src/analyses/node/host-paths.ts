// Maps a path a static Pod's container sees to the path on the node, through its hostPath volumes.
// Pure: works on the Pod object.
import type { JsonObject } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { normalisePosixPath as normalise } from '../../model/paths.js';

/**
 * The node path behind `containerPath`, or undefined when no hostPath volume is mounted over it
 * (then the file lives in the image and cannot be read from the node's filesystem).
 */
export function hostPathFor(pod: JsonObject, container: JsonObject, containerPath: string): string | undefined {
  if (!containerPath.startsWith('/')) return undefined;
  const target = normalise(containerPath);
  const volumes = new Map<string, string>();
  for (const v of asArray(asObject(pod.spec)?.volumes)) {
    if (!isObject(v)) continue;
    const name = asString(v.name);
    const hp = asString(asObject(v.hostPath)?.path);
    if (name && hp) volumes.set(name, hp);
  }
  let best: { mount: string; host: string } | undefined;
  for (const m of asArray(container.volumeMounts)) {
    if (!isObject(m)) continue;
    const name = asString(m.name);
    const mountPath = asString(m.mountPath);
    if (!name || !mountPath) continue;
    const host = volumes.get(name);
    if (!host) continue;
    const mp = normalise(mountPath);
    const sub = asString(m.subPath);
    const covers = target === mp || target.startsWith(mp === '/' ? '/' : mp + '/');
    if (!covers) continue;
    if (!best || mp.length > best.mount.length) best = { mount: mp, host: sub ? `${host}/${sub}` : host };
  }
  if (!best) return undefined;
  const rest = target.slice(best.mount.length);
  return normalise(best.host + rest);
}
