import { posix } from 'node:path';
import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent, EventUser } from '../../analyses/audit/event.js';
import { actor, describeObject, succeeded } from '../../analyses/audit/event.js';
import { bodyResource, WORKLOAD_RESOURCES } from '../../analyses/audit/body.js';
import { RecentKeys } from '../../analyses/audit/window.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';
import { containersOf, podSpecOf } from '../../model/workloads.js';
import type { JsonObject } from '../../model/types.js';

/** The kubelet marks the API copy of a static pod (its "mirror pod") with this annotation: the manifest's hash. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** Mirror pods remembered (namespace/name → manifest hash), to recognise later writes and manifest changes. */
const MAX_MIRROR_PODS = 50_000;

function isNode(u: EventUser): boolean {
  return u.groups.includes('system:nodes') || u.username.startsWith('system:node:');
}

function annotationsOf(o: JsonObject | undefined): Record<string, unknown> {
  return asObject(asObject(o?.metadata)?.annotations) ?? {};
}

/** The mirror hash the event's body carries (request body first, then the stored object). */
function mirrorHash(e: AuditEvent): string | undefined {
  for (const o of [e.requestObject, e.responseObject]) {
    const h = asString(annotationsOf(o)[MIRROR_ANNOTATION]);
    if (h !== undefined) return h;
  }
  return undefined;
}

/** Host paths under (or above) a manifest directory that a container of the written workload mounts writable. */
function writableManifestMounts(e: AuditEvent, manifestDirs: readonly string[]): string[] {
  const obj = [e.requestObject, e.responseObject].find((o) => o && asString(o.apiVersion) && asString(o.kind) && isObject(o.spec));
  if (!obj) return [];
  const pod = podSpecOf(bodyResource(obj, e));
  if (!pod) return [];
  const hostPaths = new Map<string, string>();
  for (const v of asArray(pod.spec.volumes) ?? []) {
    const name = asString(asObject(v)?.name);
    const path = asString(asObject(asObject(v)?.hostPath)?.path);
    if (name && path) hostPaths.set(name, path);
  }
  const hits = new Set<string>();
  for (const c of containersOf(pod))
    for (const m of asArray(c.container.volumeMounts) ?? []) {
      const mount = asObject(m);
      const base = hostPaths.get(asString(mount?.name) ?? '');
      if (base === undefined || mount?.readOnly === true) continue;
      const path = posix.normalize(posix.join('/', base, asString(mount?.subPath) ?? ''));
      for (const dir of manifestDirs) {
        const d = posix.normalize(posix.join('/', dir));
        // The directory itself, a parent of it (/, /etc), or a manifest file inside it.
        if (path === d || path === '/' || d.startsWith(`${path}/`) || path.startsWith(`${d}/`)) hits.add(path);
      }
    }
  return [...hits];
}

/** Defences of a kube-apiserver container that its flags switch off (undefined: not a kube-apiserver pod, or no body). */
function apiServerWeaknesses(e: AuditEvent): string[] | undefined {
  const obj = e.requestObject ?? e.responseObject;
  const pod = obj && isObject(obj.spec) && asString(obj.kind) ? podSpecOf(bodyResource(obj, e)) : undefined;
  if (!pod) return undefined;
  for (const c of containersOf(pod)) {
    const args = [...(asArray(c.container.command) ?? []), ...(asArray(c.container.args) ?? [])].map((a) => asString(a) ?? '');
    if (!args.some((a) => a.endsWith('kube-apiserver'))) continue;
    const flag = (f: string) => args.find((a) => a.startsWith(`${f}=`))?.slice(f.length + 1);
    const out: string[] = [];
    if (flag('--anonymous-auth') !== 'false') out.push('anonymous requests allowed');
    if (/AlwaysAllow/.test(flag('--authorization-mode') ?? 'AlwaysAllow')) out.push(`--authorization-mode=${flag('--authorization-mode') ?? '(default AlwaysAllow)'}`);
    if (flag('--audit-log-path') === undefined && flag('--audit-webhook-config-file') === undefined) out.push('no audit log (--audit-log-path, --audit-webhook-config-file)');
    if (flag('--audit-policy-file') === undefined) out.push('no --audit-policy-file');
    if (!(flag('--enable-admission-plugins') ?? '').split(',').includes('NodeRestriction') || (flag('--disable-admission-plugins') ?? '').split(',').includes('NodeRestriction')) out.push('NodeRestriction admission off');
    return out;
  }
  return undefined;
}

/** What a mirror pod's manifest looked like when last seen: its hash and, for kube-apiserver, the defences it lacked. */
interface MirrorSeen {
  hash: string;
  weak: string[] | undefined;
}

export default defineEventRule<AuditEvent, RecentKeys<MirrorSeen>>({
  meta: {
    id: 'audit/static-pod-tampering',
    title: 'Static pod tampering: mirror pods forged or changed, manifest directory writable',
    severity: 'high',
    scope: 'event',
    rationale:
      'Static pods (the control plane on kubeadm clusters: kube-apiserver, etcd, controller-manager, scheduler) run from manifest files on the node, outside admission control; the API only shows a mirror pod, annotated kubernetes.io/config.mirror, that the node\'s kubelet writes. A mirror pod created or changed by anyone but a node is forged; a new manifest hash for a control-plane pod means its file on the node changed (an attacker turning off audit logging or authorization); and a workload that mounts the manifest directory writable can plant static pods on its node.',
    remediation:
      'Check the node\'s manifest directory (/etc/kubernetes/manifests) and the kubelet\'s staticPodPath against the expected manifests; find who wrote the pod; forbid hostPath volumes (Pod Security baseline) and restrict pod writes in kube-system.',
    references: {
      mitre: ['T1543.005', 'T1562.001', 'T1036.005', 'T1611'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/', 'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/'],
    },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        manifestDirs: { type: 'array', items: { type: 'string' }, description: 'The kubelets\' static pod directories (staticPodPath).' },
        controlPlanePods: { type: 'array', items: { type: 'string' }, description: 'Name prefixes of control-plane static pods (a manifest change of these is high, of others medium).' },
      },
    },
    defaults: { manifestDirs: ['/etc/kubernetes/manifests'], controlPlanePods: ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'] },
  },
  resources: WORKLOAD_RESOURCES,
  verbs: ['create', 'update', 'patch', 'delete'],
  init: () => new RecentKeys<MirrorSeen>(MAX_MIRROR_PODS),
  check(ctx) {
    const e = ctx.event;
    const ref = e.objectRef;
    if (!ref || ref.subresource || !succeeded(e)) return;
    const who = actor(e);
    if (e.verb !== 'delete') {
      const dirs = writableManifestMounts(e, ctx.options.manifestDirs as string[]);
      if (dirs.length)
        ctx.report({ message: `${who.username} ${e.verb === 'create' ? 'created' : 'changed'} ${describeObject(e)}, which mounts the static pod manifest directory writable (hostPath ${dirs.join(', ')}): it can run any pod on its node, outside admission control`, severity: 'critical' });
    }
    if (ref.resource !== 'pods') return;
    const name = ref.name ?? asString(asObject((e.requestObject ?? e.responseObject)?.metadata)?.name);
    if (!name) return;
    const key = `${ref.namespace ?? ''}/${name}`;
    const hash = mirrorHash(e);
    const known = ctx.state.get(key);
    if (hash === undefined && known === undefined) return;
    const controlPlane = (ctx.options.controlPlanePods as string[]).some((p) => name === p || name.startsWith(`${p}-`));
    const what = `${controlPlane ? 'control-plane ' : ''}static pod ${key}`;
    if (isNode(who)) {
      if (e.verb !== 'create' || hash === undefined) return;
      const weak = apiServerWeaknesses(e);
      ctx.state.set(key, { hash, weak });
      if (known === undefined || known.hash === hash) return;
      // Only what this manifest change switched off (the cluster may have run without some defences all along).
      const lost = weak && known.weak ? weak.filter((w) => !known.weak!.includes(w)) : [];
      ctx.report({
        message: `${who.username} re-created the mirror pod of ${what} with a new manifest (config hash ${known.hash} -> ${hash}): the manifest file on the node changed${lost.length ? `; the new kube-apiserver runs with ${lost.join(', ')}` : ''}`,
        severity: lost.length ? 'critical' : controlPlane ? 'high' : 'medium',
      });
      return;
    }
    if (e.verb === 'create')
      ctx.report({ message: `${who.username} created ${describeObject(e)} with the mirror-pod annotation ${MIRROR_ANNOTATION}, which only a node's kubelet sets: a forged static pod`, severity: 'high' });
    else
      ctx.report({ message: `${who.username} did ${e.verb} on the mirror pod of ${what}; only its node's kubelet writes mirror pods (the manifest on the node is what runs)`, severity: e.verb === 'delete' && !controlPlane ? 'medium' : 'high' });
  },
});
