// Container image references, split the way the container runtime reads them.
// Grammar: [registry/]repository[:tag][@algorithm:digest] (distribution/reference).

export interface ImageRef {
  /** As written. */
  raw: string;
  /** Registry host as written, or undefined when implied (Docker Hub). */
  registry?: string;
  /** Repository path without registry, tag or digest (e.g. `library/nginx` is written `nginx`). */
  repository: string;
  tag?: string;
  /** `sha256:...` */
  digest?: string;
  /** Fully qualified name without tag/digest: `docker.io/library/nginx`, `quay.io/org/app`. */
  canonicalName: string;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
/** Encoded lengths of the registered algorithms: `@sha256:123456` pins nothing and no runtime pulls it. */
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function validDigest(d: string): boolean {
  if (!DIGEST.test(d)) return false;
  const [alg, hex] = d.split(':') as [string, string];
  const want = DIGEST_HEX[alg];
  return want === undefined || (hex.length === want && /^[0-9a-f]+$/.test(hex));
}

/** Parses an image reference; undefined when it is empty or malformed (spaces, empty parts). */
export function parseImage(raw: string): ImageRef | undefined {
  const s = raw.trim();
  if (s === '' || /\s/.test(s)) return undefined;
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!validDigest(digest)) return undefined;
  }
  // The tag is after the last ':' of the last path component (a ':' before a '/' is a registry port).
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') return undefined;
  }
  if (rest === '' || rest.startsWith('/') || rest.endsWith('/') || rest.includes('//')) return undefined;
  const parts = rest.split('/');
  let registry: string | undefined;
  // The first component is a registry host when it looks like one: has a dot or a port, or is localhost.
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) registry = parts.shift();
  let repository = parts.join('/');
  const host = registry === undefined || DOCKER_HUB_ALIASES.has(registry.toLowerCase()) ? 'docker.io' : registry.toLowerCase();
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const ref: ImageRef = { raw, repository, canonicalName: `${host}/${repository}` };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/**
 * Image references that are placeholders resolved by a build tool before deployment
 * (ko's `ko://import/path`), not images a kubelet could pull as written.
 */
export function isBuildToolReference(raw: string): boolean {
  return /^ko:\/\//.test(raw.trim());
}

/**
 * True when the image's canonical name is under an allowlist entry. Entries are a registry host
 * (`registry.k8s.io`), or a host plus path prefix (`ghcr.io/acme`, `docker.io/library`), matched on
 * `/` boundaries so `ghcr.io/acme` does not allow `ghcr.io/acme-evil/x`. Docker Hub aliases are folded to `docker.io`.
 */
export function imageAllowed(img: ImageRef, allowed: readonly string[]): boolean {
  const name = img.canonicalName.toLowerCase();
  return allowed.some((entry) => {
    let e = entry.trim().toLowerCase().replace(/\/+$/, '');
    if (e === '') return false;
    const [host, ...path] = e.split('/');
    if (DOCKER_HUB_ALIASES.has(host!)) e = ['docker.io', ...path].join('/');
    return name === e || name.startsWith(e + '/');
  });
}
