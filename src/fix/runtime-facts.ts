// What some widely used images do at run time, as far as fixes care: the user they run as and the
// paths they write to. Facts from the images' own Dockerfiles (official Docker Hub images).
import { parseImage } from '../model/images.js';

/** Official images whose default user is root (no USER in the Dockerfile). */
const RUNS_AS_ROOT = new Set([
  'nginx', 'httpd', 'redis', 'postgres', 'mysql', 'mariadb', 'mongo', 'busybox', 'alpine', 'ubuntu', 'debian',
  'centos', 'fedora', 'node', 'python', 'golang', 'ruby', 'php', 'wordpress', 'traefik',
]);

/** Paths an official image writes to while it serves, which a read-only root filesystem breaks. */
const WRITES_TO: Record<string, string[]> = {
  nginx: ['/var/cache/nginx', '/var/run'],
  httpd: ['/usr/local/apache2/logs'],
  postgres: ['/var/lib/postgresql/data', '/var/run/postgresql'],
  mysql: ['/var/lib/mysql', '/var/run/mysqld'],
  mariadb: ['/var/lib/mysql', '/run/mysqld'],
  redis: ['/data'],
  mongo: ['/data/db'],
  wordpress: ['/var/www/html'],
};

/** The Docker Hub official image name (`nginx` for `nginx:1.25`, `docker.io/library/nginx`), if it is one. */
function officialName(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const ref = parseImage(image);
  if (!ref || !ref.canonicalName.startsWith('docker.io/library/')) return undefined;
  return ref.canonicalName.slice('docker.io/library/'.length);
}

export function imageRunsAsRoot(image: unknown): boolean {
  const n = officialName(image);
  return n !== undefined && RUNS_AS_ROOT.has(n);
}

/** Paths the image writes to that no volume mount covers. */
export function unmountedWritePaths(image: unknown, mountPaths: readonly string[]): string[] {
  const n = officialName(image);
  const needs = n ? (WRITES_TO[n] ?? []) : [];
  const norm = (p: string) => p.replace(/\/+$/, '');
  return needs.filter((p) => !mountPaths.some((m) => norm(p) === norm(m) || norm(p).startsWith(`${norm(m)}/`)));
}
