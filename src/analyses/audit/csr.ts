// The subject of a CertificateSigningRequest as an audit event carries it: `spec.request` is the
// base64 of a PEM "CERTIFICATE REQUEST" (PKCS#10). The subject is read from the ASN.1 directly, so
// any key type decodes (kubelets send ECDSA keys, which node-forge's CSR reader refuses). The
// subject's CN is the user name and its O values the groups the API server would give the cert.
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { asObject, asString } from '../../model/json.js';
import type { JsonObject } from '../../model/types.js';

export interface CsrSubject {
  commonName?: string;
  organizations: string[];
}

export interface CsrFacts {
  /** spec.signerName ("" when absent: the legacy signer of v1beta1). */
  signerName: string;
  /** Decoded subject, or why the request could not be decoded. */
  subject: CsrSubject | { error: string };
}

// node-forge is a third of the code a scan would load (600 KB): required on the first CSR body
// only, so scans, which load every rule's module, do not pay for it.
let forgeLib: typeof Forge | undefined;
function forgeOf(): typeof Forge {
  return (forgeLib ??= createRequire(import.meta.url)('node-forge') as typeof Forge);
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';

/** Signer name and subject of the CSR object an event wrote (the request body, else the stored object); undefined when the event has no CSR body. */
export function csrFacts(objects: readonly (JsonObject | undefined)[]): CsrFacts | undefined {
  for (const o of objects) {
    const spec = asObject(o?.spec);
    const request = asString(spec?.request);
    if (!spec || request === undefined) continue;
    return { signerName: asString(spec.signerName) ?? '', subject: decodeCsrSubject(request) };
  }
  return undefined;
}

/** The subject of a base64-encoded PEM CSR (the `spec.request` field). */
export function decodeCsrSubject(requestBase64: string): CsrSubject | { error: string } {
  try {
    const forge = forgeOf();
    const pem = Buffer.from(requestBase64, 'base64').toString('utf8');
    const block = forge.pem.decode(pem).find((b) => /CERTIFICATE REQUEST$/.test(b.type));
    if (!block) return { error: 'no PEM CERTIFICATE REQUEST block' };
    const csr = forge.asn1.fromDer(block.body);
    // CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version, subject Name, ... }, ... }
    const info = children(csr)[0];
    const name = info ? children(info)[1] : undefined;
    if (!name) return { error: 'CSR has no subject' };
    const subject: CsrSubject = { organizations: [] };
    for (const rdn of children(name))
      for (const atv of children(rdn)) {
        const [oid, value] = children(atv);
        if (!oid || !value || typeof oid.value !== 'string' || typeof value.value !== 'string') continue;
        const type = forge.asn1.derToOid(forge.util.createBuffer(oid.value));
        const text = value.type === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(value.value) : value.value;
        if (type === OID_CN) subject.commonName = text;
        else if (type === OID_O) subject.organizations.push(text);
      }
    return subject;
  } catch (e) {
    return { error: `CSR could not be decoded: ${(e as Error).message}` };
  }
}

function children(node: Forge.asn1.Asn1): Forge.asn1.Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}
