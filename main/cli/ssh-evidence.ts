import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TeeError } from '../../app/errors.js';
import { KnownHosts } from '../ssh/known-hosts.js';
import { fetchEvidenceOverSsh } from '../ssh/fetch-evidence.js';

export interface SshArgs {
  url: string;
  identity?: string;
  knownHosts?: string;
  hostKeyStore?: string;
  trustHostKey?: string;
  collector?: string;
  noNonce: boolean;
}

export function defaultHostKeyStore(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tee-inspector', 'known-hosts.json');
}

/**
 * `verify ssh://USER@HOST[:PORT]`: evidence fetched over SSH with a fresh 64-byte nonce (unless --no-nonce),
 * which the verifier then requires in REPORT_DATA. A host key is trusted only as the user confirms it
 * (--trust-host-key with the fingerprint shown) or as an imported OpenSSH known_hosts file lists it.
 */
export async function evidenceOverSsh(a: SshArgs): Promise<{ evidence: Uint8Array; nonce?: Uint8Array }> {
  const u = new URL(a.url);
  if (u.protocol !== 'ssh:' || !u.hostname || !u.username) throw new TeeError('USAGE_ERROR', `expected ssh://USER@HOST[:PORT], not ${a.url}`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 22;
  const store = await KnownHosts.load(a.hostKeyStore ?? defaultHostKeyStore());
  if (a.knownHosts) await store.importOpenSsh(await readFile(a.knownHosts, 'utf8'), host, port);
  if (a.trustHostKey) {
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(a.trustHostKey)) throw new TeeError('USAGE_ERROR', '--trust-host-key takes a fingerprint such as SHA256:abc… (43 base64 characters)');
    await store.trust(host, port, a.trustHostKey);
  }
  const nonce = a.noNonce ? undefined : new Uint8Array(randomBytes(64));
  const evidence = await fetchEvidenceOverSsh(
    { host, port, user: decodeURIComponent(u.username), ...(a.identity ? { identityFile: a.identity } : {}) },
    { knownHosts: store, ...(a.collector ? { collector: a.collector } : {}), ...(nonce ? { nonce } : {}) },
  );
  return { evidence, ...(nonce ? { nonce } : {}) };
}
