import { homedir } from 'node:os';
import { join } from 'node:path';
import { TeeError } from '../../app/errors.js';
import { KnownHosts, isFingerprint } from '../ssh/known-hosts.js';
import { readInput } from '../read-input.js';

export function defaultHostKeyStore(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tee-inspector', 'known-hosts.json');
}

export interface HostKeyArgs {
  hostKeyStore?: string;
  /** An OpenSSH known_hosts file trusted for this run only (as OpenSSH's UserKnownHostsFile); never copied into the store. */
  knownHosts?: string;
  /** A fingerprint the user confirmed (`SHA256:…`), pinned for this host if it has no pin yet. */
  trustHostKey?: string;
}

/**
 * The app's pinned host keys, plus what the user vouched for on this command line: --known-hosts for this
 * run, --trust-host-key pinned for good once the host presents that key, and only for a host without a pin
 * (a different pinned key stays, and the connection then reports HOST_KEY_CHANGED; `hosts unpin` comes first).
 */
export async function pinnedHostKeys(a: HostKeyArgs, host: string, port: number): Promise<KnownHosts> {
  if (a.trustHostKey !== undefined && !isFingerprint(a.trustHostKey))
    throw new TeeError('USAGE_ERROR', '--trust-host-key takes a fingerprint such as SHA256:abc… (43 base64 characters)');
  const store = await KnownHosts.load(a.hostKeyStore ?? defaultHostKeyStore());
  if (a.knownHosts !== undefined) store.useRunFile(await readKnownHostsFile(a.knownHosts));
  if (a.trustHostKey !== undefined) store.offer(host, port, a.trustHostKey);
  return store;
}

export async function readKnownHostsFile(path: string): Promise<string> {
  return new TextDecoder().decode(await readInput(path, 'known_hosts file'));
}
