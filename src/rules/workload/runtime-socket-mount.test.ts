import rule from './runtime-socket-mount.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    {
      name: 'ordinary hostPath volumes (not a socket, not a parent of one)',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers: [{name: a, image: "a:1"}]
      volumes:
      - {name: logs, hostPath: {path: /var/log}}
      - {name: calico, hostPath: {path: /var/run/calico}}
      - {name: xtables, hostPath: {path: /run/xtables.lock, type: FileOrCreate}}
      - {name: docker-data, hostPath: {path: /var/lib/docker/containers}}
`,
    },
    { name: 'emptyDir and mistyped volumes', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n  volumes:\n  - {name: tmp, emptyDir: {}}\n  - {name: x, hostPath: "/var/run/docker.sock"}\n  - "junk"\n' },
  ],
  invalid: [
    {
      name: 'docker.sock mounted by a container points at hostPath.path (kube-linter docker-sock)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
      - name: app
        image: docker:27
        volumeMounts:
        - {name: sock, mountPath: /var/run/docker.sock}
      volumes:
      - name: sock
        hostPath:
          path: /var/run/docker.sock
          type: Socket
`,
      findings: [
        { path: '/spec/template/spec/volumes/0/hostPath/path', line: 15, column: 11, severity: 'critical', message: 'hostPath volume "sock" exposes the Docker socket (/var/run/docker.sock), mounted by container "app"' },
      ],
    },
    {
      name: 'containerd and CRI-O sockets, non-canonical spellings',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: []
  volumes:
  - {name: containerd, hostPath: {path: //run/containerd/./containerd.sock}}
  - {name: crio, hostPath: {path: /var/run/crio/crio.sock}}
`,
      findings: [
        { path: '/spec/volumes/0/hostPath/path', line: 7, column: 35, severity: 'critical', message: 'the containerd socket' },
        { path: '/spec/volumes/1/hostPath/path', line: 8, column: 29, severity: 'critical', message: 'the CRI-O socket (/var/run/crio/crio.sock), declared but not mounted by any container' },
      ],
    },
    {
      name: 'Windows named pipes (either slash style), the containerd ttrpc socket and k0s',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: windows}
  containers: []
  volumes:
  - name: pipe
    hostPath: {path: '\\\\.\\pipe\\docker_engine'}
  - name: pipe2
    hostPath: {path: //./pipe/containerd-containerd}
  - name: ttrpc
    hostPath: {path: /run/containerd/containerd.sock.ttrpc}
  - name: k0s
    hostPath: {path: /run/k0s/containerd.sock}
  - name: other-pipe
    hostPath: {path: '\\\\.\\pipe\\my_app'}
`,
      findings: [
        { path: '/spec/volumes/0/hostPath/path', line: 9, column: 16, severity: 'critical', message: 'the Docker socket' },
        { path: '/spec/volumes/1/hostPath/path', line: 11, severity: 'critical', message: 'the containerd socket' },
        { path: '/spec/volumes/2/hostPath/path', line: 13, severity: 'critical', message: 'the containerd socket' },
        { path: '/spec/volumes/3/hostPath/path', line: 15, severity: 'critical', message: 'the containerd (k0s) socket' },
      ],
    },
    {
      name: 'a parent directory (/var/run, /) exposes the sockets too, reported as high',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: busybox:1.36
    volumeMounts: [{name: run, mountPath: /host/run}]
  containers: []
  volumes:
  - name: run
    hostPath: {path: /var/run/}
  - name: root
    hostPath: {path: /}
`,
      findings: [
        { path: '/spec/volumes/0/hostPath/path', line: 12, column: 16, severity: 'high', message: 'a directory holding the Docker' },
        { path: '/spec/volumes/1/hostPath/path', line: 14, column: 16, severity: 'high', message: 'not mounted' },
      ],
    },
  ],
});
