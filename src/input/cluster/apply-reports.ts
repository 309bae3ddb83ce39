// Writes PolicyReports (wgpolicyk8s.io/v1alpha2) into the cluster by server-side apply, then deletes
// the reports Rampart wrote before that this run no longer produces (a namespace that became clean),
// so the cluster always shows the latest run and nothing stale.
import type { KubeClient } from './client.js';

export const FIELD_MANAGER = 'rampart';
const GV = '/apis/wgpolicyk8s.io/v1alpha2';
const MANAGED_BY = 'app.kubernetes.io/managed-by=rampart';

export interface ApplyResult {
  applied: number;
  deleted: number;
  errors: string[];
}

function reportPath(kind: string, name: string, namespace?: string): string {
  return kind === 'PolicyReport' ? `${GV}/namespaces/${encodeURIComponent(namespace ?? '')}/policyreports/${encodeURIComponent(name)}` : `${GV}/clusterpolicyreports/${encodeURIComponent(name)}`;
}

/** Applies the report documents; `namespace` limits stale-report removal to what was scanned (-n). */
export async function applyPolicyReports(client: KubeClient, docs: Record<string, unknown>[], namespace?: string): Promise<ApplyResult> {
  const out: ApplyResult = { applied: 0, deleted: 0, errors: [] };
  const keep = new Set<string>();
  await Promise.all(
    docs.map(async (d) => {
      const md = (d.metadata ?? {}) as { name?: string; namespace?: string };
      const kind = String(d.kind);
      const p = reportPath(kind, md.name ?? '', md.namespace);
      keep.add(p);
      const res = await client.request('PATCH', `${p}?fieldManager=${FIELD_MANAGER}&force=true`, { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' }, Buffer.from(JSON.stringify(d)));
      if (res.status >= 200 && res.status < 300) out.applied++;
      else out.errors.push(`apply ${kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}: ${client.errorOf(res, p).message}`);
    }),
  );
  // Stale: reports we manage that this run did not write.
  const lists = [
    { path: namespace ? `${GV}/namespaces/${encodeURIComponent(namespace)}/policyreports` : `${GV}/policyreports`, kind: 'PolicyReport' },
    ...(namespace ? [] : [{ path: `${GV}/clusterpolicyreports`, kind: 'ClusterPolicyReport' }]),
  ];
  for (const l of lists) {
    const stale: string[] = [];
    try {
      await client.list(`${l.path}?labelSelector=${encodeURIComponent(MANAGED_BY)}`, {
        onPage: (items) => {
          for (const it of items as { metadata?: { name?: string; namespace?: string } }[]) {
            const p = reportPath(l.kind, it.metadata?.name ?? '', it.metadata?.namespace);
            if (!keep.has(p)) stale.push(p);
          }
        },
        onRestart: () => (stale.length = 0),
      });
    } catch (e) {
      out.errors.push(`list ${l.kind}s to remove stale ones: ${(e as Error).message}`);
      continue;
    }
    for (const p of stale) {
      const res = await client.request('DELETE', p, { accept: 'application/json' });
      if ((res.status >= 200 && res.status < 300) || res.status === 404) out.deleted++;
      else out.errors.push(`delete stale ${p}: ${client.errorOf(res, p).message}`);
    }
  }
  return out;
}
