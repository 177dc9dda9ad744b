import { randomBytes } from 'node:crypto';
import { splitCollected } from '../../app/acquire/collected.js';
import type { EvidenceSource } from '../../app/acquire/target.js';
import { sourceLabel } from '../../app/acquire/target.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { KnownHosts } from '../ssh/known-hosts.js';
import { fetchEvidenceOverSsh } from '../ssh/fetch-evidence.js';
import { fetchEvidenceOverHttps } from './https-evidence.js';

export interface AcquireEvidenceOptions {
  knownHosts: KnownHosts;
  /** false: ask for evidence without a fresh nonce (nothing then proves it is recent). */
  nonce?: boolean;
  /** Extra trust anchors (PEM) for an HTTPS endpoint; TLS verification stays on. */
  ca?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** The SSH key file's passphrase, or the HTTPS endpoint's bearer token (from the secret store; never logged). */
  passphrase?: string;
  token?: string;
  /** Aborts the fetch (CANCELLED): the connection is closed at once. */
  signal?: AbortSignal;
  /** Environment for an SSH collector (the tests' configfs-tsm stand-in). */
  env?: Record<string, string>;
}

export interface AcquiredEvidence {
  source: string;
  evidence: Uint8Array;
  /** Collateral that travelled with the evidence (the SNP certificate table from configfs-tsm's auxblob). */
  collateral: CollateralFile[];
  /** The fresh nonce REPORT_DATA must begin with, when one was sent. */
  nonce?: Uint8Array;
  provider?: string;
  elapsedMs: number;
}

/** Evidence from a live target, bound to a fresh 64-byte nonce unless the caller opts out. */
export async function acquireEvidence(source: EvidenceSource, o: AcquireEvidenceOptions): Promise<AcquiredEvidence> {
  const started = performance.now();
  const nonce = o.nonce === false ? undefined : new Uint8Array(randomBytes(64));
  const common = { ...(nonce ? { nonce } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}) };
  const output =
    source.kind === 'ssh'
      ? await fetchEvidenceOverSsh(
          { host: source.host, port: source.port, user: source.user, ...(source.identityFile ? { identityFile: source.identityFile } : {}), ...(o.passphrase ? { passphrase: o.passphrase } : {}) },
          { knownHosts: o.knownHosts, ...common, ...(source.collector ? { collector: source.collector } : {}), ...(o.env ? { env: o.env } : {}) },
        )
      : await fetchEvidenceOverHttps(source, { ...common, ...(o.ca ? { ca: o.ca } : {}), ...(o.token ? { token: o.token } : {}) });
  const split = splitCollected(output);
  return {
    source: sourceLabel(source),
    evidence: split.evidence,
    collateral: split.collateral,
    ...(nonce ? { nonce } : {}),
    ...(split.provider ? { provider: split.provider } : {}),
    elapsedMs: performance.now() - started,
  };
}
