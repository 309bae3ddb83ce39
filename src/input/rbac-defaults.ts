// Loads the Kubernetes bootstrap RBAC policy that ships with Rampart (data/rbac-bootstrap/).
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadInputs, type LoadResult } from './files.js';
import type { Resource } from '../model/types.js';

/** Folder of the bundled bootstrap policy (same relative place from src/ and dist/). */
export const RBAC_DEFAULTS_DIR = fileURLToPath(new URL('../../data/rbac-bootstrap/', import.meta.url));

export const DEFAULT_FILES = [
  'cluster-roles.yaml',
  'cluster-role-bindings.yaml',
  'namespace-roles.yaml',
  'namespace-role-bindings.yaml',
  'controller-roles.yaml',
  'controller-role-bindings.yaml',
];

let cached: Promise<LoadResult> | undefined;

/** The default Roles, ClusterRoles and bindings every cluster has. Display paths name the bundled files. */
export function loadRbacDefaults(): Promise<LoadResult> {
  const files = DEFAULT_FILES.map((f) => path.join(RBAC_DEFAULTS_DIR, f));
  cached ??= loadInputs(files).then((r) => {
    for (const res of r.resources) res.file = `<defaults>/${path.basename(res.file)}`;
    for (const e of r.errors) e.file = `<defaults>/${path.basename(e.file)}`;
    return r;
  });
  return cached;
}

/**
 * `settings.rbac` for `rampart scan`: the config's rbac section plus the bootstrap objects as
 * `defaultObjects`, so the rbac rules see the roles every cluster has without scanning them
 * (no findings on them, not counted as resources). Off with `rbac.defaults: false` or `off`.
 * The rules only consult the defaults through the input's own bindings, so an input without
 * RoleBindings or ClusterRoleBindings skips loading them (parsing them costs a few hundred ms).
 */
export async function rbacScanSettings(
  configRbac: Record<string, unknown> | undefined,
  off: boolean | undefined,
  resources?: readonly Resource[],
): Promise<{ settings: Record<string, unknown>; errors: LoadResult['errors'] }> {
  const settings: Record<string, unknown> = { ...(configRbac ?? {}) };
  delete settings.defaultObjects;
  if (off || settings.defaults === false) return { settings: { ...settings, defaults: false }, errors: [] };
  if (resources && !resources.some((r) => r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding')) return { settings: { ...settings, defaults: true }, errors: [] };
  const defaults = await loadRbacDefaults();
  return { settings: { ...settings, defaults: true, defaultObjects: defaults.resources }, errors: [...defaults.errors] };
}
