// Credentials for a request: a static token, a token file (re-read: projected tokens rotate), basic
// auth, or an exec credential plugin's ExecCredential (token or client certificate), cached until it
// expires or the server answers 401. No credential is ever put into a message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { childProcess } from '../lazy-builtins.js';
import type { ClusterTarget, ExecConfig } from './kubeconfig.js';

export interface Credential {
  authorization?: string;
  clientCert?: Buffer;
  clientKey?: Buffer;
  /** ms since epoch after which it must be fetched again. */
  expiresAt?: number;
}

export class CredentialError extends Error {}

const EXEC_TIMEOUT_MS = 60_000;

function runPlugin(exec: ExecConfig, target: ClusterTarget): Promise<string> {
  const info: Record<string, unknown> = { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } };
  if (exec.provideClusterInfo) {
    const cluster: Record<string, unknown> = { server: target.server, 'insecure-skip-tls-verify': target.insecureSkipTlsVerify };
    if (target.ca) cluster['certificate-authority-data'] = target.ca.toString('base64');
    (info.spec as Record<string, unknown>).cluster = cluster;
  }
  // A command with a path separator is relative to the kubeconfig, as in client-go; a bare name is looked up on PATH.
  const cmd = exec.command.includes('/') ? path.resolve(exec.baseDir, exec.command) : exec.command;
  const env = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) } as NodeJS.ProcessEnv;
  for (const e of exec.env) env[e.name] = e.value;
  return new Promise((resolve, reject) => {
    childProcess().execFile(cmd, exec.args, { env, timeout: EXEC_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        const why = e.code === 'ENOENT' ? 'not found (is it installed and on PATH?)' : e.killed ? `timed out after ${EXEC_TIMEOUT_MS / 1000} s` : `failed (exit ${String(e.code ?? '?')})`;
        // stderr is the plugin's message for the user (e.g. "run aws sso login"); stdout may hold a credential.
        const hint = String(stderr ?? '').trim().split('\n').slice(-3).join(' ').slice(0, 400);
        reject(new CredentialError(`exec credential plugin "${exec.command}" ${why}${hint ? `: ${hint}` : ''}`));
        return;
      }
      resolve(stdout);
    });
  });
}

/** Parses an ExecCredential; errors say what is wrong without echoing the output. */
export function parseExecCredential(stdout: string, exec: ExecConfig): Credential {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new CredentialError(`exec credential plugin "${exec.command}" printed something that is not JSON (expected an ExecCredential)`);
  }
  if (doc.kind !== 'ExecCredential') throw new CredentialError(`exec credential plugin "${exec.command}" printed kind "${String(doc.kind)}", not ExecCredential`);
  if (doc.apiVersion !== exec.apiVersion) throw new CredentialError(`exec credential plugin "${exec.command}" answered ${String(doc.apiVersion)}, but the kubeconfig asks for ${exec.apiVersion}`);
  const st = (doc.status ?? {}) as Record<string, unknown>;
  const c: Credential = {};
  if (typeof st.token === 'string' && st.token) c.authorization = `Bearer ${st.token}`;
  if (typeof st.clientCertificateData === 'string' && typeof st.clientKeyData === 'string') {
    c.clientCert = Buffer.from(st.clientCertificateData);
    c.clientKey = Buffer.from(st.clientKeyData);
  }
  if (!c.authorization && !c.clientCert) throw new CredentialError(`exec credential plugin "${exec.command}" returned neither a token nor a client certificate`);
  if (typeof st.expirationTimestamp === 'string') {
    const t = Date.parse(st.expirationTimestamp);
    if (!Number.isNaN(t)) c.expiresAt = t;
  }
  return c;
}

/** Hands out the current credential for a target; `invalidate()` after a 401 forces a fresh one. */
export class CredentialSource {
  private cached: Credential | undefined;
  private pending: Promise<Credential> | undefined;

  constructor(private readonly target: ClusterTarget) {}

  /** True when the credential can change (exec plugin, token file): a 401 is worth one retry. */
  get refreshable(): boolean {
    return Boolean(this.target.exec || this.target.tokenFile);
  }

  invalidate(): void {
    this.cached = undefined;
  }

  async get(): Promise<Credential> {
    const now = Date.now();
    if (this.cached && (this.cached.expiresAt === undefined || this.cached.expiresAt - 10_000 > now)) return this.cached;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached;
  }

  private async fetch(): Promise<Credential> {
    const t = this.target;
    if (t.exec) return parseExecCredential(await runPlugin(t.exec, t), t.exec);
    const c: Credential = {};
    if (t.clientCert && t.clientKey) {
      c.clientCert = t.clientCert;
      c.clientKey = t.clientKey;
    }
    if (t.tokenFile) {
      let tok: string;
      try {
        tok = readFileSync(t.tokenFile, 'utf8').trim();
      } catch {
        throw new CredentialError(`cannot read the token file ${t.tokenFile}`);
      }
      c.authorization = `Bearer ${tok}`;
      c.expiresAt = Date.now() + 60_000; // re-read each minute: kubelet rotates projected tokens
    } else if (t.token) c.authorization = `Bearer ${t.token}`;
    else if (t.username !== undefined && t.password !== undefined) c.authorization = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
    return c;
  }
}
