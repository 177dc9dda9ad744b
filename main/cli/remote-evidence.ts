import { TeeError } from '../../app/errors.js';
import { parseSourceUrl } from '../../app/acquire/target.js';
import { KnownHosts } from '../ssh/known-hosts.js';
import { acquireEvidence } from '../acquire/evidence.js';
import type { AcquiredEvidence } from '../acquire/evidence.js';
import { pinnedHostKeys } from './ssh-evidence.js';
import type { HostKeyArgs } from './ssh-evidence.js';

export interface RemoteArgs extends HostKeyArgs {
  url: string;
  adapter?: string;
  identity?: string;
  collector?: string;
  noNonce: boolean;
  /** Extra trust anchors (PEM) for an HTTPS endpoint. */
  ca?: string;
}

/**
 * `verify ssh://…` or `verify https://…`: evidence from a live target with a fresh 64-byte nonce (unless
 * --no-nonce), which the verifier then requires in REPORT_DATA. Secrets come from the environment, never
 * from the command line (where `ps` shows them): TEE_INSPECT_SSH_PASSPHRASE, TEE_INSPECT_TOKEN.
 */
export async function evidenceFromTarget(a: RemoteArgs): Promise<AcquiredEvidence> {
  const source = parseSourceUrl(a.url, {
    ...(a.adapter ? { adapter: a.adapter } : {}),
    ...(a.identity ? { identityFile: a.identity } : {}),
    ...(a.collector ? { collector: a.collector } : {}),
  });
  if (source.kind === 'https' && (a.knownHosts || a.trustHostKey || a.hostKeyStore))
    throw new TeeError('USAGE_ERROR', '--known-hosts, --trust-host-key and --host-key-store go with an ssh:// target');
  const knownHosts = source.kind === 'ssh' ? await pinnedHostKeys(a, source.host, source.port) : new KnownHosts();
  const acquired = await acquireEvidence(source, { knownHosts, nonce: !a.noNonce, ...(a.ca ? { ca: a.ca } : {}), ...envSecrets() });
  await knownHosts.settled();
  return acquired;
}

/** The CLI's secrets: from the environment only (`ps` would show them on a command line). */
export function envSecrets(): { passphrase?: string; token?: string } {
  const passphrase = process.env.TEE_INSPECT_SSH_PASSPHRASE;
  const token = process.env.TEE_INSPECT_TOKEN;
  return { ...(passphrase ? { passphrase } : {}), ...(token ? { token } : {}) };
}
