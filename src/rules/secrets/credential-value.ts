// secrets/credential-value: a credential recognised by its value (not its name) in env values,
// args and commands, ConfigMap data and annotations (including kubectl's last-applied-configuration).
import { defineRule, type RuleContext } from '../../engine/rule.js';
import { allContainers, describeContainer } from '../../model/workloads.js';
import { asArray, asObject, asString, pointer } from '../../model/json.js';
import { detectSecret } from '../../analyses/secrets/detect.js';
import { looksLikeCredentialName } from '../../analyses/secrets/names.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function report(ctx: RuleContext, text: string, where: string, path: string): boolean {
  const m = detectSecret(text);
  if (!m) return false;
  // The value is never shown: the detector says what it is, the fingerprint tells two findings apart.
  ctx.report({ message: `${where} holds ${m.what} (sha256 ${m.fingerprint}…; value not shown)`, path, details: { detector: m.detector, fingerprint: m.fingerprint } });
  return true;
}

export default defineRule({
  meta: {
    id: 'secrets/credential-value',
    title: 'Credential in a manifest, recognised by its value',
    severity: 'high',
    rationale:
      'A private key, cloud key, API token or password in an env value, a command line, a ConfigMap or an annotation is readable by everyone who can read the repository or the object, and it is copied into logs, diffs and last-applied annotations. Names can be neutral (VALUE_1, --config), so the value itself is checked.',
    remediation:
      'Move the credential into a Secret fed from a secret store (External Secrets, Sealed Secrets, SOPS, Vault) and reference it (secretKeyRef, a mounted file); then rotate the exposed credential: it is in the repository history.',
    references: {
      cis: ['5.4.1'],
      nsa: ['Network separation and hardening: secrets'],
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
    // Annotations and pod specs only: a CRD has no pod spec (its schema is never read).
    readsOnlyMetadataOf: ['CustomResourceDefinition'],
  },
  check(ctx) {
    const r = ctx.resource;
    // A Secret's own data is secrets/committed-secret's subject.
    if (r.kind !== 'Secret') {
      for (const [k, v] of Object.entries(r.annotations)) {
        if (k === LAST_APPLIED) continue;
        report(ctx, v, `annotation ${k}`, pointer('metadata', 'annotations', k));
      }
    }
    const lastApplied = r.annotations[LAST_APPLIED];
    if (lastApplied) {
      let applied: unknown;
      try {
        applied = JSON.parse(lastApplied);
      } catch {
        applied = undefined;
      }
      const a = asObject(applied);
      const path = pointer('metadata', 'annotations', LAST_APPLIED);
      if (a && a.kind === 'Secret' && (Object.keys(asObject(a.data) ?? {}).length || Object.keys(asObject(a.stringData) ?? {}).length)) {
        ctx.report({ message: `annotation ${LAST_APPLIED} holds a copy of the Secret's data (readable by anyone who can get the object's metadata; value not shown)`, path, details: { detector: 'last-applied-secret' } });
      } else report(ctx, lastApplied, `annotation ${LAST_APPLIED}`, path);
    }
    if (r.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(asObject(r.object.data) ?? {})) {
        if (typeof v === 'string') report(ctx, v, `ConfigMap key ${k}`, pointer('data', k));
      }
    }
    for (const c of allContainers(r)) {
      asArray(c.container.env).forEach((e, j) => {
        const env = asObject(e);
        const name = asString(env?.name) ?? '';
        const value = asString(env?.value);
        // Values under credential-like names are secrets/env-literal's: one finding per value.
        if (!value || looksLikeCredentialName(name)) return;
        report(ctx, value, `${describeContainer(c)} env ${name}`, `${c.path}/env/${j}/value`);
      });
      for (const field of ['command', 'args'] as const) {
        asArray(c.container[field]).forEach((a, j) => {
          if (typeof a === 'string') report(ctx, a, `${describeContainer(c)} ${field}[${j}]`, `${c.path}/${field}/${j}`);
        });
      }
    }
  },
});
