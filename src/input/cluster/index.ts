// The live-cluster input: which clusters to read (kubeconfig contexts or the pod's own service
// account), and reading each into resources + coverage. The client (client.ts) is reusable on its own.
import { existsSync } from 'node:fs';
import { contextNames, inCluster, inClusterTarget, KubeconfigError, kubeconfigFiles, loadKubeconfig, resolveContext, type ClusterTarget } from './kubeconfig.js';

export { KubeClient, ApiError, type ClientOptions, type WatchEvent } from './client.js';
export { ClusterCache, type CacheOptions } from './cache.js';
export { type Collection } from './discovery.js';
export { readCluster, clusterObjectUri, type ClusterInput, type ReadOptions } from './read.js';
export { KubeconfigError, type ClusterTarget } from './kubeconfig.js';
export { CredentialError } from './credentials.js';

export interface TargetSelection {
  kubeconfig?: string;
  /** Context names (--context a,b); empty for the current context. */
  contexts?: string[];
  allContexts?: boolean;
}

/**
 * The clusters to read. With no kubeconfig flag and no kubeconfig file, inside a pod: the pod's
 * service account (as client-go does). Errors name the kubeconfig and the contexts it has.
 */
export function resolveTargets(sel: TargetSelection, env: NodeJS.ProcessEnv = process.env): ClusterTarget[] {
  const files = kubeconfigFiles(sel.kubeconfig, env);
  const explicit = Boolean(sel.kubeconfig);
  const anyFile = files.some((f) => existsSync(f));
  if (!explicit && !anyFile && !sel.contexts?.length && !sel.allContexts && inCluster(env)) return [inClusterTarget(env)];
  const kc = loadKubeconfig(files, explicit);
  if (sel.allContexts) {
    const names = contextNames(kc);
    if (!names.length) throw new KubeconfigError(`kubeconfig ${kc.files.join(', ')} has no contexts`);
    return names.map((n) => resolveContext(kc, n));
  }
  if (sel.contexts?.length) return [...new Set(sel.contexts)].map((n) => resolveContext(kc, n));
  return [resolveContext(kc)];
}
