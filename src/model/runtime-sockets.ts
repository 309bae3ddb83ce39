// Container runtime API sockets and the hostPaths that expose them: whoever can talk to one can start
// a privileged container on the node. Shared by workload/runtime-socket-mount and the attack-path graph.
import { normalisePosixPath } from './paths.js';

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
