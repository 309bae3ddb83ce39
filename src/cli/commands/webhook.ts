// `rampart webhook serve | manifests | certs`: the admission front. Flags only; the server lives in
// src/fronts/webhook, the decision in src/fronts/webhook/{admit,policy}.ts.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, loadConfig, UsageError } from '../common.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, HELP_OPTION, HELP_USAGE, RULE_OPTIONS, ruleFilter, wantsHelp } from '../scan-options.js';

export const usage = `Usage: rampart webhook <serve|manifests|certs> [options]

  serve       run the validating admission webhook (HTTPS): POST /validate, GET /healthz /readyz /metrics
  manifests   print the Deployment, Service, PodDisruptionBudget and ValidatingWebhookConfiguration
  certs       make a CA and a serving certificate for the webhook's Service

Run 'rampart webhook <subcommand> --help' for its options. See docs/webhook.md.`;

const SERVE_USAGE = `Usage: rampart webhook serve --tls-cert FILE --tls-key FILE [options]

Judges CREATE and UPDATE of every object with the same rules as 'rampart scan'. Findings at or above
webhook.failOn (default high) are denied, lower ones are returned as warnings; per-rule and
per-namespace modes, exemptions and more are set in the config's webhook: section (docs/webhook.md).

Options:
      --tls-cert FILE       serving certificate (PEM); reloaded when the file changes
      --tls-key FILE        its private key (PEM)
      --port N              HTTPS port (default 8443)
      --host ADDR           listen address (default 0.0.0.0)
      --cluster             keep the context (Namespaces, ServiceAccounts, RBAC, NetworkPolicies, Services,
                            Ingresses) from the live cluster, fed by watches off the request path
      --kubeconfig FILE     with --cluster (default: in a pod its service account, else $KUBECONFIG, ~/.kube/config)
      --context NAME        with --cluster: the kubeconfig context
      --max-context-age N   /readyz fails once a watch has been down this many seconds (default 120)
      --context-from PATH   manifests (files or directories, repeatable) whose Namespaces, ServiceAccounts,
                            RBAC and NetworkPolicies the rules see as the cluster's context
      --timeout-seconds N   the webhook configuration's timeoutSeconds (default 10); answers are due by 80% of it
      --max-body BYTES      largest AdmissionReview accepted (default 7340032)
      --rule ID             judge with these rules only (repeatable; globs)
      --mutate              also serve POST /mutate: the safe fixes of each new object as a JSONPatch
      --policies PATH       ValidatingAdmissionPolicies + bindings (+ params) to evaluate on each request
                            (repeatable; docs/vap.md); a policy that does not compile stops the start
      --quiet               no per-request log lines (errors are still logged)
${CONFIG_USAGE}
${HELP_USAGE}`;

const MANIFESTS_USAGE = `Usage: rampart webhook manifests [options]

Prints the manifests that run the webhook: hardened Deployment (2 replicas, anti-affinity, PDB),
Service, NetworkPolicy, RBAC for the context cache, and a ValidatingWebhookConfiguration that never
sends kube-system or the webhook's own namespace (so it cannot lock the cluster out).

Options:
  -n, --namespace NS        namespace to run in (default rampart-system)
      --image IMAGE         container image (default ghcr.io/rampart-dev/rampart:VERSION; pin a digest in production)
      --ca-file FILE        CA certificate that signed the serving certificate (for caBundle)
      --failure-policy P    Fail (default: fail closed) or Ignore
      --timeout-seconds N   webhook timeoutSeconds (default 5)
      --mutate              add a MutatingWebhookConfiguration for /mutate (safe fixes on CREATE;
                            failurePolicy Ignore: validation stays the gate) and start serve with --mutate
      --cluster             keep the context from the live cluster: a list-only ClusterRole for the context
                            kinds (no Secrets, no pods), a mounted token, and serve --cluster
${HELP_USAGE}`;

const CERTS_USAGE = `Usage: rampart webhook certs --out DIR [options]

Makes a CA (ca.crt, ca.key) and a serving certificate (tls.crt, tls.key) for the webhook Service.
Keys are written 0600. Prefer cert-manager in clusters that have it.

Options:
      --out DIR             folder to write to (created 0700 if missing; existing keys are not overwritten)
  -n, --namespace NS        the Service's namespace (default rampart-system)
      --service NAME        the Service's name (default rampart-webhook)
      --dns NAME            extra DNS names (repeatable)
      --days N              validity of the serving certificate (default 365)
${HELP_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help') {
    process.stdout.write(usage + '\n');
    return sub ? 0 : 2;
  }
  if (sub === 'serve') return serve(rest);
  if (sub === 'manifests') return manifests(rest);
  if (sub === 'certs') return certs(rest);
  throw new UsageError(`unknown subcommand "${sub}": use serve, manifests or certs`);
}

function positiveInt(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer (got "${v}")`);
  return n;
}

/** Kinds the webhook's live context watches; workloads, pods and Secrets arrive in the requests themselves. */
const CONTEXT_KINDS = ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'NetworkPolicy', 'Service', 'Ingress', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];

/** The --policies files, compiled once; null (after naming each problem) when any cannot be used. */
async function loadWebhookPolicies(paths: string[]): Promise<import('../../analyses/vap/policy.js').LoadedPolicies | null> {
  const [{ loadInputs }, { loadPolicies }] = await Promise.all([import('../../input/files.js'), import('../../analyses/vap/policy.js')]);
  const load = await loadInputs(paths, undefined, false);
  const loaded = loadPolicies(load.resources);
  const errors = [...load.errors, ...loaded.errors];
  for (const e of errors) process.stderr.write(`rampart webhook: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  if (errors.length) process.stderr.write('rampart webhook: the policies could not all be read or compiled; not starting\n');
  return errors.length ? null : loaded;
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'context-from': { type: 'string', multiple: true },
    cluster: { type: 'boolean' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'max-context-age': { type: 'string' },
    'timeout-seconds': { type: 'string' },
    'max-body': { type: 'string' },
    quiet: { type: 'boolean' },
    mutate: { type: 'boolean' },
    policies: { type: 'string', multiple: true },
    ...RULE_OPTIONS,
    ...CONFIG_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, SERVE_USAGE)) return 0;
  if (!values['tls-cert'] || !values['tls-key']) throw new UsageError('--tls-cert and --tls-key are required: the API server only calls webhooks over HTTPS (make a pair with: rampart webhook certs --out DIR)');
  for (const f of [values['tls-cert'], values['tls-key']]) if (!existsSync(f)) throw new UsageError(`cannot read ${f}: no such file`);
  const port = values.port === undefined ? 8443 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535 (0: any free port) (got "${values.port}")`);
  const timeoutSeconds = positiveInt(values['timeout-seconds'], '--timeout-seconds', 10);
  if (timeoutSeconds > 30) throw new UsageError('--timeout-seconds must be at most 30 (the API server caps webhook timeouts at 30 s)');

  const [{ builtinRules }, { startWebhookServer, DEFAULT_MAX_BODY }, { contextOf }, { webhookPolicy, WebhookPolicyError }, { loadInputs }, { rbacScanSettings }] = await Promise.all([
    import('../../rules/index.js'),
    import('../../fronts/webhook/server.js'),
    import('../../fronts/webhook/admit.js'),
    import('../../fronts/webhook/policy.js'),
    import('../../input/files.js'),
    import('../../input/rbac-defaults.js'),
  ]);
  const maxBodyBytes = positiveInt(values['max-body'], '--max-body', DEFAULT_MAX_BODY);
  const config = loadConfig(values.config, values['no-config']);
  let policy;
  try {
    policy = webhookPolicy(config.settings.webhook);
  } catch (e) {
    if (e instanceof WebhookPolicyError) throw new UsageError(`${config.file ?? 'config'}: ${e.message}`);
    throw e;
  }
  const log = (entry: Record<string, unknown>) => {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
  };
  const live = Boolean(values.cluster || values.kubeconfig || values.context);
  const ctxPaths = values['context-from'] ?? [];
  if (live && ctxPaths.length) throw new UsageError('give either --cluster or --context-from, not both');
  const maxStaleSeconds = positiveInt(values['max-context-age'], '--max-context-age', 120);
  let context: import('../../fronts/webhook/server.js').ContextSource;
  let stopContext = async (): Promise<void> => undefined;
  if (live) {
    const [{ WatchedContext }, cluster, { discover, VAP_KINDS }, { withClusterPolicies, optionalPolicyCollection }] = await Promise.all([
      import('../../fronts/webhook/watched-context.js'),
      import('../../input/cluster/index.js'),
      import('../../input/cluster/discovery.js'),
      import('../../fronts/webhook/vap.js'),
    ]);
    let target;
    try {
      target = cluster.resolveTargets({ ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), contexts: values.context ? [values.context] : [] })[0]!;
    } catch (e) {
      if (e instanceof cluster.KubeconfigError) throw new UsageError(e.message);
      throw e;
    }
    const client = new cluster.KubeClient(target);
    let watched: InstanceType<typeof WatchedContext> | undefined;
    try {
      const found = await discover(client, new Set(VAP_KINDS));
      const missing = CONTEXT_KINDS.filter((k) => !found.collections.some((c) => c.kind === k));
      if (missing.length) log({ level: 'warn', msg: 'context kinds not served by this cluster', kinds: missing });
      const caches = found.collections.filter((c) => CONTEXT_KINDS.includes(c.kind)).map((c) => {
        const cache = new cluster.ClusterCache(client, c, { onChange: () => watched?.changed() });
        return VAP_KINDS.includes(c.kind) ? optionalPolicyCollection(cache, c.kind, log) : cache;
      });
      // The cluster's own ValidatingAdmissionPolicies are evaluated too (see docs/vap.md).
      const watchedKinds = new Set(CONTEXT_KINDS);
      watched = new WatchedContext({ collections: caches, maxAgeMs: maxStaleSeconds * 1000, log, prepare: (c) => withClusterPolicies(c, watchedKinds, log) });
      await watched.start();
    } catch (e) {
      if (!(e instanceof cluster.ApiError || e instanceof cluster.CredentialError)) throw e;
      // Fail closed at start: judging without the context would answer differently from scan.
      process.stderr.write(`rampart webhook: the cluster context could not be read: ${e.message}\n`);
      client.close();
      return 2;
    }
    context = watched;
    stopContext = async () => {
      await watched?.stop();
      client.close();
    };
  } else {
    // Context from manifests is read once; errors in it are fatal at start (a webhook judging with a
    // context it could not read would answer differently from scan without saying so).
    const load = ctxPaths.length ? await loadInputs(ctxPaths, undefined, false) : undefined;
    if (load && load.errors.length) {
      for (const e of load.errors) process.stderr.write(`rampart webhook: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      process.stderr.write('rampart webhook: the context could not be read completely; not starting\n');
      return 2;
    }
    const snapshot = contextOf(load?.resources ?? []);
    context = { current: () => snapshot, ageSeconds: () => (ctxPaths.length ? 0 : -1), ready: () => true };
  }
  const rbac = await rbacScanSettings(config.settings.rbac, false);
  const settings: Record<string, unknown> = { ...config.settings, rbac: rbac.settings };
  const policies = values.policies?.length ? await loadWebhookPolicies(values.policies) : undefined;
  if (policies === null) return 2;
  const admitter = { rules: builtinRules, config, policy, settings, ...ruleFilter(values.rule), ...(policies ? { policies } : {}) };
  const started = Date.now();
  const server = await startWebhookServer({
    certFile: values['tls-cert'],
    keyFile: values['tls-key'],
    port,
    ...(values.host ? { host: values.host } : {}),
    admitter,
    context,
    timeoutSeconds,
    maxBodyBytes,
    log,
    logReviews: values.quiet !== true,
    mutate: values.mutate === true,
  });
  log({ level: 'info', msg: 'ready', port: server.port, rules: builtinRules.length, contextObjects: context.current().resources.length, startupMs: Date.now() - started });
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log({ level: 'info', msg: `${sig}: finishing in-flight requests` });
      server.close().then(stopContext).then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

async function manifests(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    namespace: { type: 'string', short: 'n' },
    image: { type: 'string' },
    'ca-file': { type: 'string' },
    'failure-policy': { type: 'string' },
    'timeout-seconds': { type: 'string' },
    mutate: { type: 'boolean' },
    cluster: { type: 'boolean' },
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, MANIFESTS_USAGE)) return 0;
  const fp = values['failure-policy'] ?? 'Fail';
  if (fp !== 'Fail' && fp !== 'Ignore') throw new UsageError(`--failure-policy must be Fail or Ignore (got "${fp}")`);
  const timeoutSeconds = positiveInt(values['timeout-seconds'], '--timeout-seconds', 5);
  if (timeoutSeconds > 30) throw new UsageError('--timeout-seconds must be at most 30');
  let caBundle = '';
  if (values['ca-file']) {
    if (!existsSync(values['ca-file'])) throw new UsageError(`cannot read ${values['ca-file']}: no such file`);
    caBundle = readFileSync(values['ca-file']).toString('base64');
  }
  const { webhookManifests } = await import('../../fronts/webhook/manifests.js');
  const { VERSION } = await import('../../version.js');
  process.stdout.write(
    webhookManifests({
      namespace: values.namespace ?? 'rampart-system',
      image: values.image ?? `ghcr.io/rampart-dev/rampart:${VERSION}`,
      caBundle,
      failurePolicy: fp,
      timeoutSeconds,
      mutate: values.mutate === true,
      cluster: values.cluster === true,
    }),
  );
  if (!caBundle) process.stderr.write('rampart webhook manifests: no --ca-file given: set caBundle in the ValidatingWebhookConfiguration (or let cert-manager inject it)\n');
  return 0;
}

async function certs(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    service: { type: 'string' },
    dns: { type: 'string', multiple: true },
    days: { type: 'string' },
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, CERTS_USAGE)) return 0;
  if (!values.out) throw new UsageError('--out DIR is required');
  const ns = values.namespace ?? 'rampart-system';
  const svc = values.service ?? 'rampart-webhook';
  const days = positiveInt(values.days, '--days', 365);
  const names = [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.cluster.local`, ...(values.dns ?? [])];
  const out = values.out;
  const files = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key'].map((f) => path.join(out, f));
  const existing = files.filter((f) => existsSync(f));
  if (existing.length) throw new UsageError(`${existing.join(', ')} already exist; not overwriting keys (choose another --out)`);
  const { makeWebhookCertificates } = await import('../../fronts/webhook/certs.js');
  const pem = await makeWebhookCertificates(names, days);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  writeFileSync(files[0]!, pem.caCert, { mode: 0o644 });
  writeFileSync(files[1]!, pem.caKey, { mode: 0o600 });
  writeFileSync(files[2]!, pem.cert, { mode: 0o644 });
  writeFileSync(files[3]!, pem.key, { mode: 0o600 });
  process.stdout.write(
    `wrote ${files.join(', ')}\nserving names: ${names.join(', ')}\n` +
      `next: kubectl -n ${ns} create secret tls ${svc}-tls --cert=${files[2]} --key=${files[3]}\n` +
      `      rampart webhook manifests -n ${ns} --ca-file ${files[0]} | kubectl apply -f -\n`,
  );
  return 0;
}
