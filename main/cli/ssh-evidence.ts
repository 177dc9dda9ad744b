import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TeeError } from '../../app/errors.js';
import { KnownHosts } from '../ssh/known-hosts.js';

export function defaultHostKeyStore(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tee-inspector', 'known-hosts.json');
}

export interface HostKeyArgs {
  hostKeyStore?: string;
  /** An OpenSSH known_hosts file whose keys for this host are imported (pinned). */
  knownHosts?: string;
  /** A fingerprint the user confirmed (`SHA256:…`), pinned for this host. */
  trustHostKey?: string;
}

/**
 * The app's pinned host keys, plus what the user vouched for on this command line: a host key is trusted
 * only as the user confirms it (--trust-host-key with the fingerprint shown) or as an imported known_hosts lists it.
 */
export async function pinnedHostKeys(a: HostKeyArgs, host: string, port: number): Promise<KnownHosts> {
  const store = await KnownHosts.load(a.hostKeyStore ?? defaultHostKeyStore());
  if (a.knownHosts) {
    const text = await readFile(a.knownHosts, 'utf8').catch(() => Promise.reject(new TeeError('FILE_UNREADABLE', `cannot read known_hosts file ${a.knownHosts}`)));
    await store.importOpenSsh(text, host, port);
  }
  if (a.trustHostKey) {
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(a.trustHostKey)) throw new TeeError('USAGE_ERROR', '--trust-host-key takes a fingerprint such as SHA256:abc… (43 base64 characters)');
    await store.trust(host, port, a.trustHostKey);
  }
  return store;
}
