import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'secrets/env-from-secret',
    title: 'Secret passed as environment variables instead of mounted files',
    severity: 'low',
    rationale:
      'Environment variables leak more easily than files: child processes inherit them, crash reporters and debug endpoints dump them, `kubectl describe`-style tooling and /proc/<pid>/environ show them, and they never change while the pod runs, so a rotated Secret needs a restart. A mounted Secret volume is readable only by the container\'s user and is updated in place.',
    remediation:
      'Mount the Secret as a volume (volumes[].secret plus volumeMounts, readOnly) and have the application read the file; keep env[].valueFrom.secretKeyRef only for software that cannot read a file.',
    references: {
      cis: ['5.4.1'],
      nsa: ['Network separation and hardening: secrets'],
      mitre: ['T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/', 'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource)) {
      const uses: { what: string; path: string }[] = [];
      asArray(c.container.env).forEach((e, j) => {
        const ref = asObject(asObject(asObject(e)?.valueFrom)?.secretKeyRef);
        if (ref) uses.push({ what: `env ${asString(asObject(e)?.name) ?? `#${j}`} from Secret ${asString(ref.name) ?? '?'}`, path: `${c.path}/env/${j}/valueFrom/secretKeyRef` });
      });
      asArray(c.container.envFrom).forEach((e, j) => {
        const ref = asObject(asObject(e)?.secretRef);
        if (ref) uses.push({ what: `every key of Secret ${asString(ref.name) ?? '?'} (envFrom)`, path: `${c.path}/envFrom/${j}/secretRef` });
      });
      if (!uses.length) continue;
      // One finding per container (the first use is pointed at); the message names them all.
      ctx.report({ message: `${describeContainer(c)} takes ${uses.map((u) => u.what).join(', ')} as environment variables; mount the Secret as a file instead`, path: uses[0]!.path });
    }
  },
});
