// The webhook evaluates the same ValidatingAdmissionPolicies as `scan --policies`, on the real
// request: its operation, userInfo (for `request.userInfo` and the authorizer), object and oldObject.
import type { AdmissionRequest } from '../../input/admission.js';
import type { Resource } from '../../model/types.js';
import { isVapKind, loadPolicies, mergePolicies, type LoadedPolicies } from '../../analyses/vap/policy.js';
import { evaluateRequest, type VapRequest } from '../../analyses/vap/evaluate.js';
import { rbacAuthorize } from '../../analyses/vap/rbac-authorize.js';
import { ACTION_SEVERITY } from '../../analyses/vap/scan.js';
import type { AdmissionContext } from './admit.js';
import type { WatchedCollection } from './watched-context.js';
import { ApiError } from '../../input/cluster/client.js';
import type { Mode, Verdict } from './policy.js';

function vapRequest(req: AdmissionRequest): VapRequest {
  return {
    operation: req.operation,
    group: req.kind.group,
    version: req.kind.version,
    kind: req.kind.kind,
    resource: req.resource.resource,
    subResource: req.subResource ?? '',
    name: req.name ?? '',
    namespace: req.namespace ?? '',
    object: req.object ?? null,
    oldObject: req.oldObject ?? null,
    userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid ? { uid: req.userInfo.uid } : {}) },
    dryRun: req.dryRun,
  };
}

/** Verdicts from the policies' validationActions (Deny → enforce, Warn → warn, Audit → audit); errors under failurePolicy Fail follow the same actions (Deny: the request is denied as not evaluated). */
export function vapVerdicts(files: LoadedPolicies | undefined, ctx: AdmissionContext, req: AdmissionRequest, settings: Readonly<Record<string, unknown>>): { verdicts: Verdict[]; failures: string[] } {
  const policies = effectivePolicies(files, ctx.policies);
  if (!policies) return { verdicts: [], failures: [] };
  const out = evaluateRequest(policies, vapRequest(req), { resources: ctx.resources, authorize: (u, q) => authorizerFor(ctx, settings)(u, q) });
  const verdicts: Verdict[] = [];
  const push = (policy: string, actions: readonly ('Deny' | 'Warn' | 'Audit')[], path: string, message: string) => {
    const modes = new Set<Mode>(actions.map((a) => (a === 'Deny' ? 'enforce' : a === 'Warn' ? 'warn' : 'audit')));
    // Deny and Warn together: denied, and the warning shown too, as the API server does.
    for (const mode of modes) {
      if (mode === 'audit' && modes.size > 1) continue;
      const severity = mode === 'enforce' ? ACTION_SEVERITY.Deny : mode === 'warn' ? ACTION_SEVERITY.Warn : ACTION_SEVERITY.Audit;
      verdicts.push({ ruleId: `vap/${policy}`, severity, path, message, mode, existing: false });
    }
  };
  for (const v of out.violations) push(v.policy.name, v.actions, v.path ?? '', v.message);
  const failures: string[] = [];
  for (const p of out.problems) {
    if (p.ignored) continue;
    // failurePolicy Fail: the error is enforced by the binding's actions, as the API server does; with Deny it denies.
    if (p.binding.validationActions.includes('Deny')) failures.push(p.message);
    else push(p.policy.name, p.binding.validationActions, '', `not evaluated: ${p.message}`);
  }
  return { verdicts, failures };
}

// The RBAC authorizer of a context snapshot, built when a policy first asks (not per request).
const authorizers = new WeakMap<AdmissionContext['index'], { settings: Readonly<Record<string, unknown>>; authorize: ReturnType<typeof rbacAuthorize> }>();
function authorizerFor(ctx: AdmissionContext, settings: Readonly<Record<string, unknown>>): ReturnType<typeof rbacAuthorize> {
  const hit = authorizers.get(ctx.index);
  if (hit?.settings === settings) return hit.authorize;
  const authorize = rbacAuthorize(ctx.index, settings);
  authorizers.set(ctx.index, { settings, authorize });
  return authorize;
}

// The --policies files over the cluster's own, merged once per context snapshot.
const merged = new WeakMap<LoadedPolicies, { files: LoadedPolicies | undefined; policies: LoadedPolicies }>();
function effectivePolicies(files: LoadedPolicies | undefined, cluster: LoadedPolicies | undefined): LoadedPolicies | undefined {
  if (!cluster) return files;
  if (!files) return cluster;
  const m = merged.get(cluster);
  if (m?.files === files) return m.policies;
  const policies = mergePolicies(cluster, files);
  merged.set(cluster, { files, policies });
  return policies;
}

let lastCompiled: { vaps: Resource[]; loaded: LoadedPolicies } | undefined;

/**
 * `webhook serve --cluster`: the cluster's own ValidatingAdmissionPolicies and bindings among the
 * watched objects, compiled off the request path when the snapshot is rebuilt (again only when one
 * of them changed). A policy whose params are of a kind the context does not watch is left out and
 * logged, as is one that does not compile: the API server still enforces both itself.
 */
export function withClusterPolicies(ctx: AdmissionContext, watchedKinds: ReadonlySet<string>, log: (entry: Record<string, unknown>) => void = () => undefined): AdmissionContext {
  const vaps = ctx.resources.filter(isVapKind);
  if (!vaps.length) return ctx;
  if (!(lastCompiled && lastCompiled.vaps.length === vaps.length && lastCompiled.vaps.every((r, i) => r === vaps[i]))) {
    const loaded = loadPolicies(vaps);
    for (const [name, p] of loaded.policies) {
      if (p.paramKind && !watchedKinds.has(p.paramKind.kind)) {
        loaded.policies.delete(name);
        log({ level: 'warn', msg: 'cluster ValidatingAdmissionPolicy not evaluated by the webhook: its params are not watched', policy: name, paramKind: p.paramKind.kind });
      }
    }
    loaded.bindings = loaded.bindings.filter((b) => loaded.policies.has(b.policyName));
    if (loaded.errors.length) log({ level: 'warn', msg: 'cluster ValidatingAdmissionPolicies not evaluated by the webhook', errors: loaded.errors.map((e) => `${e.file}: ${e.message}`) });
    lastCompiled = { vaps, loaded };
  }
  return { ...ctx, policies: lastCompiled.loaded };
}

/**
 * The watched policy kinds are a bonus, not the context: where the webhook may not list them it
 * starts without them (logged; the API server still enforces its own policies) rather than failing
 * its start, which would block admission under failurePolicy Fail.
 */
export function optionalPolicyCollection(c: WatchedCollection, kind: string, log: (entry: Record<string, unknown>) => void): WatchedCollection {
  let off = false;
  return {
    async start() {
      try {
        await c.start();
      } catch (e) {
        if (!(e instanceof ApiError && (e.status === 403 || e.status === 404))) throw e;
        off = true;
        log({ level: 'warn', msg: "the cluster's own policies are not evaluated by the webhook: they cannot be listed (the API server still enforces them)", kind, status: e.status });
      }
    },
    stop: () => (off ? Promise.resolve() : c.stop()),
    all: () => (off ? [] : c.all()),
    brokenSince: () => (off ? undefined : c.brokenSince()),
  };
}
