import { defineRule } from '../../engine/rule.js';
import { containersOf, describeContainer, podSpecOf, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString } from '../../model/json.js';
import { normalisePosixPath } from '../../model/paths.js';
import { exposedSockets } from '../../model/runtime-sockets.js';

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
