// A CA and a serving certificate for the webhook Service. Keys come from Node's own crypto (fast,
// native); node-forge builds the X.509 certificates, which Node cannot issue by itself.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface WebhookPems {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

function rsaKey(): { pem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serial(): string {
  // Positive 128-bit serial (the high bit cleared so DER does not read it as negative).
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

/** `names[0]` becomes the serving certificate's CN; all names go in subjectAltName. */
export async function makeWebhookCertificates(names: string[], days: number, now = new Date()): Promise<WebhookPems> {
  const ca = rsaKey();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.pub;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now.getTime() - 60_000);
  caCert.validity.notAfter = new Date(now.getTime() + Math.max(days, 3650) * 86_400_000);
  // A unique CA name: during a CA rotation clients trust old and new together, and two CAs with one
  // subject make verifiers try the wrong key.
  const caName = [{ name: 'commonName', value: `rampart-webhook-ca-${randomBytes(4).toString('hex')}` }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.key, forge.md.sha256.create());

  const leaf = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.pub;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'rampart-webhook' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { caCert: forge.pki.certificateToPem(caCert), caKey: ca.pem, cert: forge.pki.certificateToPem(cert), key: leaf.pem };
}
