import { defineRule } from '../../engine/rule.js';
import { containersOf, describeContainer, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString } from '../../model/json.js';
import { normalisePosixPath } from '../../model/paths.js';

/** Container runtime API sockets: whoever can talk to one can start a privileged container on the node. */
const RUNTIME_SOCKETS: { path: string; runtime: string }[] = [
  { path: '/var/run/docker.sock', runtime: 'Docker' },
  { path: '/run/docker.sock', runtime: 'Docker' },
  { path: '/var/run/dockershim.sock', runtime: 'dockershim' },
  { path: '/var/run/cri-dockerd.sock', runtime: 'cri-dockerd' },
  { path: '/run/cri-dockerd.sock', runtime: 'cri-dockerd' },
  { path: '/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/var/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/run/containerd/containerd.sock.ttrpc', runtime: 'containerd' },
  { path: '/var/run/containerd/containerd.sock.ttrpc', runtime: 'containerd' },
  { path: '/var/run/docker/containerd/containerd.sock', runtime: 'containerd (Docker)' },
  { path: '/run/k3s/containerd/containerd.sock', runtime: 'containerd (k3s)' },
  { path: '/run/k0s/containerd.sock', runtime: 'containerd (k0s)' },
  { path: '/var/snap/microk8s/common/run/containerd.sock', runtime: 'containerd (microk8s)' },
  { path: '/var/run/crio/crio.sock', runtime: 'CRI-O' },
  { path: '/run/crio/crio.sock', runtime: 'CRI-O' },
  { path: '/run/podman/podman.sock', runtime: 'Podman' },
  { path: '/var/run/podman/podman.sock', runtime: 'Podman' },
];

/** Windows named pipes of the runtimes (hostPath volumes on Windows nodes). */
const WINDOWS_PIPES: { path: string; runtime: string }[] = [
  { path: '\\\\.\\pipe\\docker_engine', runtime: 'Docker' },
  { path: '\\\\.\\pipe\\containerd-containerd', runtime: 'containerd' },
];

/** The runtime sockets a hostPath exposes: the socket itself or any directory above it. */
export function exposedSockets(hostPath: string): { path: string; runtime: string }[] {
  if (/^[\\/]{2}\.[\\/]pipe[\\/]/i.test(hostPath.trim())) {
    const pipe = hostPath.trim().replace(/\//g, '\\').toLowerCase();
    return WINDOWS_PIPES.filter((w) => w.path === pipe);
  }
  const p = normalisePosixPath(hostPath);
  return RUNTIME_SOCKETS.filter((s) => s.path === p || p === '/' || s.path.startsWith(p + '/'));
}

export default defineRule({
  meta: {
    id: 'workload/runtime-socket-mount',
    title: 'Container runtime socket mounted',
    severity: 'critical',
    rationale:
      'The Docker, containerd and CRI-O sockets are unauthenticated root APIs of the node. A container that can reach one can start a privileged container, read every other container\'s files and secrets, and take over the node. Mounting a directory above the socket (/, /run, /var/run) exposes it as well; that case is reported as high.',
    remediation:
      'Remove the hostPath volume (or mount only the subdirectory the workload needs, not /, /run or /var/run). Build images with a daemonless builder (BuildKit rootless, kaniko, buildah) and read container metadata through the Kubernetes API or a purpose-built agent instead of the runtime socket.',
    references: {
      cis: ['5.2.11'],
      nsa: ['Pod security: pod security enforcement'],
      mitre: ['T1610', 'T1611', 'T1613'],
      urls: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    const pod = podSpecOf(ctx.resource);
    if (!pod) return;
    const containers = containersOf(pod);
    asArray(pod.spec.volumes).forEach((v, i) => {
      const vol = asObject(v);
      const hostPath = asString(asObject(vol?.hostPath)?.path);
      if (!vol || hostPath === undefined) return;
      const sockets = exposedSockets(hostPath);
      if (sockets.length === 0) return;
      const volName = asString(vol.name) ?? `#${i}`;
      const users = containers.filter((c) => asArray(c.container.volumeMounts).some((m) => asString(asObject(m)?.name) === volName));
      const runtimes = [...new Set(sockets.map((s) => s.runtime))];
      const exact = sockets.find((s) => s.path === normalisePosixPath(hostPath) || s.path.startsWith('\\\\'));
      const what = exact ? `the ${exact.runtime} socket` : `a directory holding the ${runtimes.join(', ')} socket${runtimes.length > 1 ? 's' : ''}`;
      const who = users.length ? `mounted by ${users.map(describeContainer).join(', ')}` : 'declared but not mounted by any container';
      ctx.report({
        message: `hostPath volume "${volName}" exposes ${what} (${hostPath}), ${who}`,
        path: `${pod.path}/volumes/${i}/hostPath/path`,
        // A parent directory exposes the socket too (connect() works even on a read-only mount),
        // but it is usually mounted for something else and the socket's permissions may still hold.
        ...(exact ? {} : { severity: 'high' as const }),
        details: { hostPath, runtimes },
      });
    });
  },
});
