// secrets/committed-secret: a Secret object with real values in its manifest, so in git.
import { defineRule } from '../../engine/rule.js';
import { asObject, asString, pointer } from '../../model/json.js';
import { isPlaceholder } from '../../analyses/secrets/detect.js';

/** Values the API server or a controller fills, or placeholders: not a committed credential. */
function isRealValue(v: unknown, base64: boolean): boolean {
  if (typeof v !== 'string' || v === '') return false;
  if (/^ENC\[[A-Z0-9_]+,data:/.test(v)) return false; // SOPS ciphertext
  const text = base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
  return !isPlaceholder(text);
}

export default defineRule({
  meta: {
    id: 'secrets/committed-secret',
    title: 'Secret with its values in the manifest',
    severity: 'medium',
    rationale:
      "A Secret manifest carries its values base64-encoded, not encrypted: whoever reads the repository, a CI log or the rendered chart reads the credential, and git keeps it forever. Kubernetes' own guidance is to keep Secret values out of source control.",
    remediation:
      'Commit an encrypted form instead (Sealed Secrets, SOPS) or a reference to a secret store (External Secrets Operator, the Secrets Store CSI driver), and rotate the values that were committed.',
    references: {
      cis: ['5.4.1'],
      nsa: ['Network separation and hardening: secrets'],
      mitre: ['T1552.001'],
      urls: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
    kinds: ['Secret'],
  },
  check(ctx) {
    const o = ctx.resource.object;
    if (asObject(o.sops)) return; // a SOPS-encrypted file
    const real: string[] = [];
    let first: string | undefined;
    for (const [field, base64] of [['data', true], ['stringData', false]] as const) {
      for (const [k, v] of Object.entries(asObject(o[field]) ?? {})) {
        if (!isRealValue(v, base64)) continue;
        real.push(k);
        first ??= pointer(field, k);
      }
    }
    if (!first) return;
    const type = asString(o.type) ?? 'Opaque';
    ctx.report({ message: `Secret ${ctx.resource.name} (${type}) commits ${real.length} value${real.length === 1 ? '' : 's'} (${real.slice(0, 5).join(', ')}${real.length > 5 ? ', …' : ''}) in the manifest; values not shown`, path: first });
  },
});
